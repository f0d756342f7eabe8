-- contact_user: whether the desk lets members open sessions with users (the console's 联系用户
-- switch; 141014 when off), and which sessions were opened that way (IsContactUser in the events).
ALTER TABLE desk_settings ADD COLUMN contact_user_enabled TINYINT NOT NULL DEFAULT 1;
ALTER TABLE desk_session ADD COLUMN contact_user TINYINT NOT NULL DEFAULT 0;
