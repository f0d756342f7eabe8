package org.opendesk.human;

import io.helidon.dbclient.DbRow;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.team.MemberStatus;
import org.opendesk.tenant.TenantDb;

import java.util.List;

/**
 * Members as routing sees them (status, seats in use, last assignment), and the seat claims:
 * one conditional write each, so a member is never above capacity whatever runs concurrently
 * (every routing transaction also holds the app's message lock).
 */
final class Seats {
    private static final String COLUMNS = "SELECT m.member_id, m.nick_name, m.status, m.active_sessions, m.last_assigned_at, "
            + "m.forced_offline FROM desk_member m ";
    private static final String ALL = COLUMNS + "WHERE m.sdkappid = :sdkappid";
    private static final String OF_GROUP = COLUMNS + "JOIN desk_group_member g ON g.sdkappid = m.sdkappid "
            + "AND g.member_id = m.member_id WHERE m.sdkappid = :sdkappid AND g.group_id = :group";
    private static final String ONE = COLUMNS + "WHERE m.sdkappid = :sdkappid AND m.member_id = :id";
    private static final String CLAIM = "UPDATE desk_member SET active_sessions = active_sessions + 1, last_assigned_at = :now "
            + "WHERE sdkappid = :sdkappid AND member_id = :id AND active_sessions < :cap AND forced_offline = 0 "
            + "AND status IN (:s1, :s2, :s3)";
    private static final String TAKE = "UPDATE desk_member SET active_sessions = active_sessions + 1 "
            + "WHERE sdkappid = :sdkappid AND member_id = :id";
    private static final String RELEASE = "UPDATE desk_member SET active_sessions = active_sessions - 1 "
            + "WHERE sdkappid = :sdkappid AND member_id = :id AND active_sessions > 0";

    /** A member as routing sees it. */
    record Candidate(String memberId, String nickName, MemberStatus status, int activeSessions, long lastAssignedAt,
                     boolean forcedOffline) {
        boolean online() {
            return status.online() && !forcedOffline;
        }
    }

    List<Candidate> all(TenantDb db) {
        return db.list("seats-all", ALL, Params.of(), Seats::map);
    }

    List<Candidate> ofGroup(TenantDb db, long groupId) {
        return db.list("seats-of-group", OF_GROUP, Params.of("group", groupId), Seats::map);
    }

    java.util.Optional<Candidate> one(TenantDb db, String memberId) {
        return db.one("seats-one", ONE, Params.of("id", memberId), Seats::map);
    }

    /**
     * Takes a seat of the member if it is under {@code cap} and in one of the given statuses (free for
     * automatic routing; any online status for a transfer to a named member); false when not.
     */
    boolean claim(TenantDb tx, String memberId, int cap, long now, List<MemberStatus> statuses) {
        MemberStatus s1 = statuses.get(0);
        MemberStatus s2 = statuses.size() > 1 ? statuses.get(1) : s1;
        MemberStatus s3 = statuses.size() > 2 ? statuses.get(2) : s2;
        return tx.dml("seats-claim", CLAIM, Params.of("id", memberId, "cap", cap, "now", now).put("s1", s1.wire())
                .put("s2", s2.wire()).put("s3", s3.wire())) == 1;
    }

    /** Takes a seat whatever the capacity (an unsuspended session counts again). */
    void take(TenantDb tx, String memberId) {
        tx.dml("seats-take", TAKE, Params.of("id", memberId));
    }

    void release(TenantDb tx, String memberId) {
        tx.dml("seats-release", RELEASE, Params.of("id", memberId));
    }

    private static Candidate map(DbRow r) {
        return new Candidate(Sql.string(r, "member_id"), Sql.string(r, "nick_name"), MemberStatus.of(Sql.string(r, "status")),
                Sql.intValue(r, "active_sessions"), Sql.longValue(r, "last_assigned_at"), Sql.intValue(r, "forced_offline") == 1);
    }
}
