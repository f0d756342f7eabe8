-- The agent reply timeout (our extension of the desk settings): a session a member serves ends when
-- the user's message waits this long for the account side's answer (SessionAgentTimeoutEnd). 0: off.
ALTER TABLE desk_settings ADD COLUMN agent_reply_timeout_seconds INT NOT NULL DEFAULT 0;
