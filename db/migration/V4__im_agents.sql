-- Customer-service accounts (客服号): the conversation entry points users write to. The IM
-- account itself is in im_account (kind 3); its settings are the JSON document that
-- get_im_agent_list answers (the seed's field names). robot_id repeats the bound robot for lookups.
CREATE TABLE im_agent (
  sdkappid    BIGINT      NOT NULL,
  user_id     VARCHAR(32) NOT NULL,
  settings    MEDIUMTEXT  NOT NULL,
  robot_id    VARCHAR(64) NOT NULL DEFAULT '',
  is_default  TINYINT     NOT NULL DEFAULT 0,
  created_at  BIGINT      NOT NULL,
  updated_at  BIGINT      NOT NULL,
  PRIMARY KEY (sdkappid, user_id),
  KEY im_agent_robot (sdkappid, robot_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
