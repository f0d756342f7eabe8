-- Satisfaction ratings (满意度评价). desk_satisfaction_settings: an app's settings of
-- update_satisfaction_settings (no row: the defaults); content and content_multilingual are the
-- SatisfactionContent object and the SatisfactionContentMultilingual map as JSON.
CREATE TABLE desk_satisfaction_settings (
  sdkappid             BIGINT  NOT NULL,
  enabled              TINYINT NOT NULL,
  invitation_method    TINYINT NOT NULL,
  user_request_enabled TINYINT NOT NULL,
  content              TEXT    NOT NULL,
  content_multilingual TEXT    NOT NULL,
  updated_at           BIGINT  NOT NULL,
  PRIMARY KEY (sdkappid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The rating of a session: a row once a rating card (src 9) was sent. card_msg_key is the newest
-- card, expires_at (epoch ms) its end of validity; invited 1 when a member invited; stars 1-5 once
-- the user rated (0 before: a rating is taken once, by a conditional update).
CREATE TABLE desk_rating (
  sdkappid     BIGINT       NOT NULL,
  session_id   VARCHAR(36)  NOT NULL,
  agent_id     VARCHAR(128) NOT NULL,
  card_msg_key VARCHAR(96)  NOT NULL,
  card_sent_at BIGINT       NOT NULL,
  expires_at   BIGINT       NOT NULL,
  invited      TINYINT      NOT NULL,
  stars        TINYINT      NOT NULL,
  rated_at     BIGINT       NOT NULL,
  PRIMARY KEY (sdkappid, session_id),
  KEY desk_rating_rated (sdkappid, rated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
