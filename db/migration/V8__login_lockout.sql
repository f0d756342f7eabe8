-- Failed agent logins: failed_logins counts attempts since the last successful one (an attempt is
-- counted before its password is checked, so concurrent guesses cannot exceed the limit);
-- login_locked_until (epoch ms) refuses every attempt until then. See TeamService.authenticate.
ALTER TABLE desk_member ADD COLUMN failed_logins INT NOT NULL DEFAULT 0;
ALTER TABLE desk_member ADD COLUMN login_locked_until BIGINT NOT NULL DEFAULT 0;
