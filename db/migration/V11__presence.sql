-- Presence of users on the visitor WebSocket: a row per user and server process (node) while the
-- user has a socket open on it; seen_at (epoch ms, wall clock) is refreshed by the node's heartbeat,
-- so a killed node's rows go stale and are removed by any node. A user is online while a fresh row exists.
CREATE TABLE desk_presence (
  sdkappid BIGINT       NOT NULL,
  user_id  VARCHAR(128) NOT NULL,
  node_id  VARCHAR(36)  NOT NULL,
  seen_at  BIGINT       NOT NULL,
  PRIMARY KEY (sdkappid, user_id, node_id),
  KEY desk_presence_node (node_id),
  KEY desk_presence_seen (seen_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- How long a queued user may be offline before the session ends (SessionPendingAutoFinishEnd);
-- our extension of the desk settings, 0: never.
ALTER TABLE desk_settings ADD COLUMN queue_offline_timeout_seconds INT NOT NULL DEFAULT 120;
