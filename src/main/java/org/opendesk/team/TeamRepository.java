package org.opendesk.team;

import io.helidon.dbclient.DbRow;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL of members, agent groups and desk settings, beside the row mappers. */
final class TeamRepository {
    private static final String MEMBER_COLUMNS = "SELECT member_id, nick_name, roles, status, rest_reason, status_since, "
            + "active_sessions, last_assigned_at, forced_offline, password_version, password_generated, last_login_at, "
            + "created_at FROM desk_member ";
    private static final String MEMBER = MEMBER_COLUMNS + "WHERE sdkappid = :sdkappid AND member_id = :id";
    private static final String MEMBERS = MEMBER_COLUMNS + "WHERE sdkappid = :sdkappid ORDER BY created_at, member_id";
    private static final String MEMBER_INSERT = "INSERT IGNORE INTO desk_member (sdkappid, member_id, nick_name, roles, "
            + "password_hash, password_version, password_generated, status, status_since, created_at, updated_at) VALUES "
            + "(:sdkappid, :id, :nick, :roles, :hash, 0, 1, 'offline', :now, :now, :now)";
    private static final String MEMBER_UPDATE = "UPDATE desk_member SET nick_name = :nick, roles = :roles, updated_at = :now "
            + "WHERE sdkappid = :sdkappid AND member_id = :id";
    private static final String MEMBER_DELETE = "DELETE FROM desk_member WHERE sdkappid = :sdkappid AND member_id = :id";
    private static final String PASSWORD_HASH = "SELECT password_hash FROM desk_member WHERE sdkappid = :sdkappid "
            + "AND member_id = :id";
    private static final String PASSWORD_SET = "UPDATE desk_member SET password_hash = :hash, password_version = "
            + "password_version + 1, password_generated = :generated, failed_logins = 0, login_locked_until = 0, "
            + "updated_at = :now WHERE sdkappid = :sdkappid "
            + "AND member_id = :id";
    private static final String FORCED = "UPDATE desk_member SET forced_offline = :forced, updated_at = :now "
            + "WHERE sdkappid = :sdkappid AND member_id = :id";
    private static final String STATUS = "UPDATE desk_member SET status = :status, rest_reason = :reason, status_since = :now, "
            + "updated_at = :now WHERE sdkappid = :sdkappid AND member_id = :id";
    private static final String LOGIN = "UPDATE desk_member SET last_login_at = :now, failed_logins = 0, "
            + "login_locked_until = 0 WHERE sdkappid = :sdkappid AND member_id = :id";
    private static final String LOGIN_RESERVE = "UPDATE desk_member SET failed_logins = failed_logins + 1 "
            + "WHERE sdkappid = :sdkappid AND member_id = :id AND login_locked_until <= :now AND failed_logins < :max";
    // both CASEs read the row's values before the update (left to right on MySQL, as the standard says on H2:
    // the first assignment does not touch failed_logins)
    private static final String LOGIN_FAILED = "UPDATE desk_member SET login_locked_until = CASE WHEN failed_logins >= :max "
            + "THEN :until ELSE login_locked_until END, failed_logins = CASE WHEN failed_logins >= :max THEN :max - 1 "
            + "ELSE failed_logins END WHERE sdkappid = :sdkappid AND member_id = :id";
    private static final String LOGIN_LOCK = "UPDATE desk_member SET login_locked_until = GREATEST(login_locked_until, :until), "
            + "failed_logins = :max - 1 WHERE sdkappid = :sdkappid AND member_id = :id";
    private static final String LOCKED_UNTIL = "SELECT login_locked_until FROM desk_member WHERE sdkappid = :sdkappid "
            + "AND member_id = :id";
    private static final String MEMBER_COUNT = "SELECT COUNT(*) AS n FROM desk_member WHERE sdkappid = :sdkappid";
    private static final String SUPER_ADMINS = "SELECT member_id FROM desk_member WHERE sdkappid = :sdkappid "
            + "AND roles LIKE '%super_admin%'";
    private static final String APPS_OF_MEMBER = "SELECT sdkappid FROM desk_member WHERE member_id = :id";

    private static final String GROUPS = "SELECT group_id, name, created_at FROM desk_agent_group WHERE sdkappid = :sdkappid "
            + "ORDER BY group_id";
    private static final String GROUP = "SELECT group_id, name, created_at FROM desk_agent_group WHERE sdkappid = :sdkappid "
            + "AND group_id = :group";
    private static final String GROUP_BY_NAME = "SELECT group_id, name, created_at FROM desk_agent_group "
            + "WHERE sdkappid = :sdkappid AND name = :name";
    private static final String GROUP_COUNT = "SELECT COUNT(*) AS n FROM desk_agent_group WHERE sdkappid = :sdkappid";
    private static final String GROUP_LOCK = "SELECT group_id FROM desk_agent_group WHERE sdkappid = :sdkappid "
            + "AND group_id = :group FOR UPDATE";
    private static final String GROUP_INSERT = "INSERT INTO desk_agent_group (sdkappid, group_id, name, created_at, updated_at) "
            + "VALUES (:sdkappid, :group, :name, :now, :now)";
    private static final String GROUP_RENAME = "UPDATE desk_agent_group SET name = :name, updated_at = :now "
            + "WHERE sdkappid = :sdkappid AND group_id = :group";
    private static final String GROUP_DELETE = "DELETE FROM desk_agent_group WHERE sdkappid = :sdkappid AND group_id = :group";
    private static final String GROUP_MEMBERS = "SELECT group_id, member_id FROM desk_group_member WHERE sdkappid = :sdkappid "
            + "ORDER BY group_id, member_id";
    private static final String GROUP_MEMBERS_OF = "SELECT member_id FROM desk_group_member WHERE sdkappid = :sdkappid "
            + "AND group_id = :group ORDER BY member_id";
    private static final String GROUPS_OF_MEMBER = "SELECT group_id FROM desk_group_member WHERE sdkappid = :sdkappid "
            + "AND member_id = :id ORDER BY group_id";
    private static final String GROUP_MEMBER_ADD = "INSERT IGNORE INTO desk_group_member (sdkappid, group_id, member_id) "
            + "VALUES (:sdkappid, :group, :id)";
    private static final String GROUP_MEMBERS_CLEAR = "DELETE FROM desk_group_member WHERE sdkappid = :sdkappid "
            + "AND group_id = :group";
    private static final String MEMBER_GROUPS_CLEAR = "DELETE FROM desk_group_member WHERE sdkappid = :sdkappid "
            + "AND member_id = :id";

    private static final String SETTINGS = "SELECT reception_mode, accept_timeout_seconds, rest_after_accept_timeout, "
            + "max_sessions_per_agent, time_zone, agent_reply_timeout_seconds, queue_offline_timeout_seconds, contact_user_enabled "
            + "FROM desk_settings "
            + "WHERE sdkappid = :sdkappid";
    private static final String SETTINGS_UPDATE = "UPDATE desk_settings SET reception_mode = :mode, accept_timeout_seconds = "
            + ":accept, rest_after_accept_timeout = :rest, max_sessions_per_agent = :max, time_zone = :zone, "
            + "agent_reply_timeout_seconds = :agentReply, queue_offline_timeout_seconds = :queueOffline, contact_user_enabled = :contact, "
            + "updated_at = :now "
            + "WHERE sdkappid = :sdkappid";
    private static final String SETTINGS_INSERT = "INSERT INTO desk_settings (sdkappid, reception_mode, accept_timeout_seconds, "
            + "rest_after_accept_timeout, max_sessions_per_agent, time_zone, agent_reply_timeout_seconds, "
            + "queue_offline_timeout_seconds, contact_user_enabled, updated_at) VALUES (:sdkappid, :mode, :accept, :rest, "
            + ":max, :zone, :agentReply, :queueOffline, :contact, :now)";

    Optional<Member> member(TenantDb db, String id) {
        return db.one("member-find", MEMBER, Params.of("id", id), TeamRepository::member);
    }

    List<Member> members(TenantDb db) {
        return db.list("member-list", MEMBERS, Params.of(), TeamRepository::member);
    }

    long memberCount(TenantDb db) {
        return db.one("member-count", MEMBER_COUNT, Params.of(), r -> Sql.longValue(r, "n")).orElse(0L);
    }

    /** The ids of the app's super administrators (one at most, by the service's rule). */
    List<String> superAdmins(TenantDb db) {
        return db.list("member-super-admins", SUPER_ADMINS, Params.of(), r -> Sql.string(r, "member_id"));
    }

    boolean insertMember(TenantDb db, String id, String nick, String roles, String hash, long now) {
        return db.dml("member-insert", MEMBER_INSERT, Params.of("id", id, "nick", nick, "roles", roles)
                .put("hash", hash).put("now", now)) == 1;
    }

    void updateMember(TenantDb db, String id, String nick, String roles, long now) {
        db.dml("member-update", MEMBER_UPDATE, Params.of("id", id, "nick", nick, "roles", roles).put("now", now));
    }

    void deleteMember(TenantDb db, String id) {
        db.dml("member-groups-clear", MEMBER_GROUPS_CLEAR, Params.of("id", id));
        db.dml("member-delete", MEMBER_DELETE, Params.of("id", id));
    }

    Optional<String> passwordHash(TenantDb db, String id) {
        return db.one("member-password", PASSWORD_HASH, Params.of("id", id), r -> Sql.string(r, "password_hash"));
    }

    void setPassword(TenantDb db, String id, String hash, boolean generated, long now) {
        db.dml("member-password-set", PASSWORD_SET, Params.of("id", id, "hash", hash, "generated", generated ? 1 : 0)
                .put("now", now));
    }

    void setForcedOffline(TenantDb db, String id, boolean forced, long now) {
        db.dml("member-forced", FORCED, Params.of("id", id, "forced", forced ? 1 : 0, "now", now));
    }

    void setStatus(TenantDb db, String id, MemberStatus status, String reason, long now) {
        db.dml("member-status", STATUS, Params.of("id", id, "status", status.wire(), "reason", reason).put("now", now));
    }

    /** Counts a login attempt before its password is checked; false: the member is locked (or at the limit). */
    boolean reserveLoginAttempt(TenantDb db, String id, long now, int max) {
        return db.dml("member-login-reserve", LOGIN_RESERVE, Params.of("id", id, "now", now).put("max", max)) > 0;
    }

    /** A counted attempt failed: at the limit the member is locked until {@code until}, then one more attempt is allowed. */
    void loginFailed(TenantDb db, String id, int max, long until) {
        db.dml("member-login-failed", LOGIN_FAILED, Params.of("id", id, "until", until).put("max", max));
    }

    /** Locks the member until {@code until} (at the limit with no lock: the attempts in flight reached it). */
    void lockLogin(TenantDb db, String id, int max, long until) {
        db.dml("member-login-lock", LOGIN_LOCK, Params.of("id", id, "until", until).put("max", max));
    }

    long loginLockedUntil(TenantDb db, String id) {
        return db.one("member-locked-until", LOCKED_UNTIL, Params.of("id", id), r -> Sql.longValue(r, "login_locked_until"))
                .orElse(0L);
    }

    void loggedIn(TenantDb db, String id, long now) {
        db.dml("member-login", LOGIN, Params.of("id", id, "now", now));
    }

    List<AgentGroup> groups(TenantDb db) {
        Map<Long, List<String>> members = new LinkedHashMap<>();
        db.list("group-members-all", GROUP_MEMBERS, Params.of(), r -> {
            members.computeIfAbsent(Sql.longValue(r, "group_id"), k -> new ArrayList<>()).add(Sql.string(r, "member_id"));
            return null;
        });
        return db.list("group-list", GROUPS, Params.of(), r -> group(r, members.getOrDefault(Sql.longValue(r, "group_id"),
                List.of())));
    }

    long groupCount(TenantDb db) {
        return db.one("group-count", GROUP_COUNT, Params.of(), r -> Sql.longValue(r, "n")).orElse(0L);
    }

    /** Whether the group exists; its row stays locked until the transaction ends (no delete or rename meanwhile). */
    boolean lockGroup(TenantDb tx, long groupId) {
        return tx.one("group-lock", GROUP_LOCK, Params.of("group", groupId), r -> Sql.longValue(r, "group_id")).isPresent();
    }

    Optional<AgentGroup> group(TenantDb db, long groupId) {
        return db.one("group-find", GROUP, Params.of("group", groupId), r -> group(r, membersOf(db, groupId)));
    }

    Optional<Long> groupByName(TenantDb db, String name) {
        return db.one("group-by-name", GROUP_BY_NAME, Params.of("name", name), r -> Sql.longValue(r, "group_id"));
    }

    List<String> membersOf(TenantDb db, long groupId) {
        return db.list("group-members", GROUP_MEMBERS_OF, Params.of("group", groupId), r -> Sql.string(r, "member_id"));
    }

    List<Long> groupsOf(TenantDb db, String memberId) {
        return db.list("member-groups", GROUPS_OF_MEMBER, Params.of("id", memberId), r -> Sql.longValue(r, "group_id"));
    }

    void insertGroup(TenantDb db, long groupId, String name, long now) {
        db.dml("group-insert", GROUP_INSERT, Params.of("group", groupId, "name", name, "now", now));
    }

    void renameGroup(TenantDb db, long groupId, String name, long now) {
        db.dml("group-rename", GROUP_RENAME, Params.of("group", groupId, "name", name, "now", now));
    }

    void deleteGroup(TenantDb db, long groupId) {
        db.dml("group-members-clear", GROUP_MEMBERS_CLEAR, Params.of("group", groupId));
        db.dml("group-delete", GROUP_DELETE, Params.of("group", groupId));
    }

    void setGroupMembers(TenantDb db, long groupId, List<String> memberIds) {
        db.dml("group-members-clear", GROUP_MEMBERS_CLEAR, Params.of("group", groupId));
        for (String id : memberIds) {
            db.dml("group-member-add", GROUP_MEMBER_ADD, Params.of("group", groupId, "id", id));
        }
    }

    Optional<DeskSettings> settings(TenantDb db) {
        return db.one("desk-settings-find", SETTINGS, Params.of(), r -> new DeskSettings(Sql.intValue(r, "reception_mode"),
                Sql.intValue(r, "accept_timeout_seconds"), Sql.intValue(r, "rest_after_accept_timeout") == 1,
                Sql.intValue(r, "max_sessions_per_agent"), Sql.string(r, "time_zone"),
                Sql.intValue(r, "agent_reply_timeout_seconds"), Sql.intValue(r, "queue_offline_timeout_seconds"),
                Sql.intValue(r, "contact_user_enabled") == 1));
    }

    void saveSettings(TenantDb db, DeskSettings s, long now) {
        Params p = Params.of("mode", s.receptionMode(), "accept", s.acceptTimeoutSeconds(), "rest",
                s.restAfterAcceptTimeout() ? 1 : 0).put("max", s.maxSessionsPerAgent()).put("zone", s.timeZone()).put("now", now)
                .put("agentReply", s.agentReplyTimeoutSeconds()).put("queueOffline", s.queueOfflineTimeoutSeconds())
                .put("contact", s.contactUserEnabled() ? 1 : 0);
        if (db.dml("desk-settings-update", SETTINGS_UPDATE, p) == 0) {
            db.dml("desk-settings-insert", SETTINGS_INSERT, p);
        }
    }

    private static AgentGroup group(DbRow r, List<String> members) {
        return new AgentGroup(Sql.longValue(r, "group_id"), Sql.string(r, "name"), List.copyOf(members),
                Sql.longValue(r, "created_at"));
    }

    static Member member(DbRow r) {
        return new Member(Sql.string(r, "member_id"), Sql.string(r, "nick_name"), Role.split(Sql.string(r, "roles")),
                MemberStatus.of(Sql.string(r, "status")), Sql.string(r, "rest_reason"), Sql.longValue(r, "status_since"),
                Sql.intValue(r, "active_sessions"), Sql.longValue(r, "last_assigned_at"), Sql.intValue(r, "forced_offline") == 1,
                Sql.intValue(r, "password_version"), Sql.intValue(r, "password_generated") == 1,
                Sql.longValue(r, "last_login_at"), Sql.longValue(r, "created_at"));
    }

    /** The apps that have a member with this id: the one reader across apps, for a login that names no app. */
    static List<Long> appsOf(io.helidon.dbclient.DbClient client, String id) {
        try (var rows = client.execute().createNamedQuery("member-apps", APPS_OF_MEMBER).addParam("id", id).execute()) {
            return rows.map(r -> Sql.longValue(r, "sdkappid")).toList();
        }
    }
}
