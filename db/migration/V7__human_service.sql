-- Human service: members (human agents), agent groups, desk settings, routing state of sessions,
-- durable timers and the agent event stream.

-- Members: the human agents of an app (MemberId = e-mail). roles is a comma-separated set of
-- super_admin, admin, staff. The password is stored only as an Argon2id hash (PHC string);
-- password_version moves at every reset or change so earlier agent tokens stop working;
-- password_generated is 1 while the member still holds a generated one-time password.
-- status: offline, free, busy, rest (rest_reason with it). active_sessions counts the seats in
-- use (sessions offered to or served by the member), changed only in the transaction of the
-- session transition that takes or frees the seat; last_assigned_at orders "longest without a
-- new session".
CREATE TABLE desk_member (
  sdkappid           BIGINT       NOT NULL,
  member_id          VARCHAR(128) NOT NULL,
  nick_name          VARCHAR(64)  NOT NULL,
  roles              VARCHAR(64)  NOT NULL,
  password_hash      VARCHAR(255) NOT NULL,
  password_version   INT          NOT NULL DEFAULT 0,
  password_generated TINYINT      NOT NULL DEFAULT 1,
  forced_offline     TINYINT      NOT NULL DEFAULT 0,
  status             VARCHAR(16)  NOT NULL DEFAULT 'offline',
  rest_reason        VARCHAR(64)  NOT NULL DEFAULT '',
  status_since       BIGINT       NOT NULL,
  active_sessions    INT          NOT NULL DEFAULT 0,
  last_assigned_at   BIGINT       NOT NULL DEFAULT 0,
  last_login_at      BIGINT       NOT NULL DEFAULT 0,
  created_at         BIGINT       NOT NULL,
  updated_at         BIGINT       NOT NULL,
  PRIMARY KEY (sdkappid, member_id),
  KEY desk_member_login (member_id),
  KEY desk_member_free (sdkappid, status, last_assigned_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Agent groups (分组); group_id is the AgentGroupId of the vendor commands.
CREATE TABLE desk_agent_group (
  sdkappid   BIGINT      NOT NULL,
  group_id   BIGINT      NOT NULL,
  name       VARCHAR(64) NOT NULL,
  created_at BIGINT      NOT NULL,
  updated_at BIGINT      NOT NULL,
  PRIMARY KEY (sdkappid, group_id),
  UNIQUE KEY desk_agent_group_name (sdkappid, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE desk_group_member (
  sdkappid  BIGINT       NOT NULL,
  group_id  BIGINT       NOT NULL,
  member_id VARCHAR(128) NOT NULL,
  PRIMARY KEY (sdkappid, group_id, member_id),
  KEY desk_group_member_member (sdkappid, member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Desk settings of an app (the console's session settings); no row = the defaults.
-- reception_mode: 0 automatic, 1 manual (the agent accepts within accept_timeout_seconds).
CREATE TABLE desk_settings (
  sdkappid                  BIGINT      NOT NULL,
  reception_mode            TINYINT     NOT NULL DEFAULT 0,
  accept_timeout_seconds    INT         NOT NULL DEFAULT 60,
  rest_after_accept_timeout TINYINT     NOT NULL DEFAULT 0,
  max_sessions_per_agent    INT         NOT NULL DEFAULT 5,
  time_zone                 VARCHAR(64) NOT NULL DEFAULT 'Asia/Shanghai',
  updated_at                BIGINT      NOT NULL,
  PRIMARY KEY (sdkappid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Routing state of a session. queue_seq > 0 while the session queues (arrival order, a value of
-- the app's message sequence); queue_priority 0 (highest) to 9. target_group / target_agents
-- restrict who may take it (0 / '' = the account's group or anyone). announced_position is the
-- queue position the user was last told. group_choice 1 while the user is asked to pick a group.
-- passed_agents lists members who let an offer time out (not offered again for this request).
ALTER TABLE desk_session ADD COLUMN queue_priority INT NOT NULL DEFAULT 5;
ALTER TABLE desk_session ADD COLUMN queue_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE desk_session ADD COLUMN target_group BIGINT NOT NULL DEFAULT 0;
ALTER TABLE desk_session ADD COLUMN target_agents VARCHAR(2000) NOT NULL DEFAULT '';
ALTER TABLE desk_session ADD COLUMN passed_agents VARCHAR(2000) NOT NULL DEFAULT '';
ALTER TABLE desk_session ADD COLUMN announced_position INT NOT NULL DEFAULT 0;
ALTER TABLE desk_session ADD COLUMN group_choice TINYINT NOT NULL DEFAULT 0;
ALTER TABLE desk_session ADD COLUMN transfer_requested_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE desk_session ADD COLUMN accepted_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE desk_session ADD COLUMN offer_deadline BIGINT NOT NULL DEFAULT 0;
CREATE INDEX desk_session_queue ON desk_session (sdkappid, state, queue_priority, queue_seq);
CREATE INDEX desk_session_agent ON desk_session (sdkappid, agent_id, state);

-- Durable timers (accept timeouts; later the reply timeouts): claimed like the outbox, inside a
-- transaction of their app that also takes the app's message lock, and deleted by the transaction
-- that fires them, so a timer fires once across nodes and survives restarts.
CREATE TABLE desk_timer (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  sdkappid   BIGINT       NOT NULL,
  kind       VARCHAR(32)  NOT NULL,
  session_id VARCHAR(36)  NOT NULL,
  ref        VARCHAR(128) NOT NULL DEFAULT '',
  due_at     BIGINT       NOT NULL,
  created_at BIGINT       NOT NULL,
  PRIMARY KEY (id),
  KEY desk_timer_due (due_at),
  KEY desk_timer_session (sdkappid, session_id, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- What each member's agent socket pushes, in order: seq is a value of the app's message sequence
-- taken under its lock, so events commit in increasing order and the tail never skips one; a
-- reconnecting agent resumes after the last seq it saw.
CREATE TABLE desk_agent_event (
  sdkappid   BIGINT       NOT NULL,
  seq        BIGINT       NOT NULL,
  member_id  VARCHAR(128) NOT NULL,
  type       VARCHAR(32)  NOT NULL,
  session_id VARCHAR(36)  NOT NULL DEFAULT '',
  payload    MEDIUMTEXT   NOT NULL,
  created_at BIGINT       NOT NULL,
  PRIMARY KEY (sdkappid, seq),
  KEY desk_agent_event_member (sdkappid, member_id, seq),
  KEY desk_agent_event_age (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
