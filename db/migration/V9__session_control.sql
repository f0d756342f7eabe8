-- Session control (suspend_session, mark_session): a suspended session stays with its member but
-- holds no seat (desk_member.active_sessions does not count it) and is not ended by the user reply
-- timeout; mark is the business's own data (at most 200 bytes of UTF-8); starred is StarStatus;
-- user_timeout_on is UserTimeoutSwitch (0: the user reply timeout does not end this session).
ALTER TABLE desk_session ADD COLUMN suspended TINYINT NOT NULL DEFAULT 0;
ALTER TABLE desk_session ADD COLUMN mark VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE desk_session ADD COLUMN starred TINYINT NOT NULL DEFAULT 0;
ALTER TABLE desk_session ADD COLUMN user_timeout_on TINYINT NOT NULL DEFAULT 1;
