-- Messages (C2C, Tencent IM style) and customer-service sessions.

-- Every message of an app. msg_seq comes from the app's 'msg' sequence, taken under that
-- sequence row's lock and held until commit, so sequences become visible in increasing order
-- (the realtime layer tails change_seq without gaps). change_seq = msg_seq at insert and a new
-- value of the same sequence at every edit (stream chunks, modify_msg).
-- role: 1 user, 2 human agent, 3 system (the robot, the protocol, the admin API).
-- online_only: pushed to connected clients only (typing, MsgLifeTime 0), never in history.
-- exclude_from_timeout: send_msg's ExcludeFromUserRespTimeout (the message does not restart the user-reply timer).
-- The MsgKey starts with the MsgSeq, so a message is found by key through the primary key.
CREATE TABLE im_message (
  sdkappid          BIGINT       NOT NULL,
  msg_seq           BIGINT       NOT NULL,
  change_seq        BIGINT       NOT NULL,
  msg_key           VARCHAR(96)  NOT NULL,
  from_account      VARCHAR(32)  NOT NULL,
  to_account        VARCHAR(32)  NOT NULL,
  msg_random        BIGINT       NOT NULL,
  msg_time          BIGINT       NOT NULL,
  body              MEDIUMTEXT   NOT NULL,
  cloud_custom_data MEDIUMTEXT   NOT NULL,
  session_id        VARCHAR(36)  NOT NULL DEFAULT '',
  role              TINYINT      NOT NULL,
  online_only       TINYINT      NOT NULL DEFAULT 0,
  exclude_from_timeout TINYINT   NOT NULL DEFAULT 0,
  PRIMARY KEY (sdkappid, msg_seq),
  KEY im_message_change (sdkappid, change_seq),
  KEY im_message_to (sdkappid, to_account, change_seq),
  KEY im_message_from (sdkappid, from_account, to_account, msg_random),
  KEY im_message_session (sdkappid, session_id, msg_seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- User messages the conversation engine has not handled yet (a robot reply, a session end): a row
-- from the message's transaction until the transaction that handles it deletes it.
CREATE TABLE im_message_pending (
  sdkappid    BIGINT      NOT NULL,
  msg_seq     BIGINT      NOT NULL,
  session_id  VARCHAR(36) NOT NULL,
  created_at  BIGINT      NOT NULL,
  PRIMARY KEY (sdkappid, msg_seq),
  KEY im_message_pending_session (sdkappid, session_id, msg_seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Sessions between a user and a customer-service account. open_slot is 'open' while the session
-- lives and its own session_id once ended, so the unique key allows one open session per pair.
-- state: Chatbot, WaitingForAgentAnswering, Queueing, Agent, Ended; version for optimistic checks.
CREATE TABLE desk_session (
  sdkappid            BIGINT       NOT NULL,
  session_id          VARCHAR(36)  NOT NULL,
  client_user_id      VARCHAR(32)  NOT NULL,
  customer_service_id VARCHAR(32)  NOT NULL,
  open_slot           VARCHAR(36)  NOT NULL,
  state               VARCHAR(32)  NOT NULL,
  version             INT          NOT NULL DEFAULT 0,
  channel_type        VARCHAR(16)  NOT NULL,
  language_tag        VARCHAR(16)  NOT NULL DEFAULT '',
  robot_id            VARCHAR(64)  NOT NULL DEFAULT '',
  agent_id            VARCHAR(128) NOT NULL DEFAULT '',
  started_at          BIGINT       NOT NULL,
  last_activity_at    BIGINT       NOT NULL,
  ended_at            BIGINT       NOT NULL DEFAULT 0,
  end_reason          VARCHAR(32)  NOT NULL DEFAULT '',
  PRIMARY KEY (sdkappid, session_id),
  UNIQUE KEY desk_session_open (sdkappid, client_user_id, customer_service_id, open_slot),
  KEY desk_session_idle (state, last_activity_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
