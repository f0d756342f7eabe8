package org.opendesk.conversation;

import io.helidon.dbclient.DbRow;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.List;
import java.util.Optional;

/** SQL of desk_session, beside its row mapper. State changes are optimistic: version must match. */
final class SessionRepository {
    private static final String OPEN = "open";
    private static final String COLUMNS = "SELECT session_id, client_user_id, customer_service_id, state, version, "
            + "channel_type, language_tag, robot_id, agent_id, started_at, last_activity_at, ended_at, end_reason "
            + "FROM desk_session ";
    private static final String INSERT = "INSERT INTO desk_session (sdkappid, session_id, client_user_id, customer_service_id, "
            + "open_slot, state, version, channel_type, language_tag, robot_id, agent_id, started_at, last_activity_at) VALUES "
            + "(:sdkappid, :id, :user, :cs, '" + OPEN + "', :state, 0, :channel, :lang, :robot, '', :now, :now)";
    private static final String BY_ID = COLUMNS + "WHERE sdkappid = :sdkappid AND session_id = :id";
    private static final String OPEN_OF = COLUMNS + "WHERE sdkappid = :sdkappid AND client_user_id = :user "
            + "AND customer_service_id = :cs AND open_slot = '" + OPEN + "'";
    private static final String TRANSITION = "UPDATE desk_session SET state = :to, version = version + 1, "
            + "open_slot = :slot, agent_id = :agent, ended_at = :ended, end_reason = :reason, last_activity_at = :now "
            + "WHERE sdkappid = :sdkappid AND session_id = :id AND version = :version AND state = :from";
    private static final String TOUCH = "UPDATE desk_session SET last_activity_at = :now WHERE sdkappid = :sdkappid "
            + "AND session_id = :id AND last_activity_at < :now";
    private static final String IDLE = COLUMNS + "WHERE sdkappid = :sdkappid AND state = :state AND last_activity_at < :before "
            + "ORDER BY last_activity_at LIMIT :limit";

    void insert(TenantDb tx, Session s) {
        tx.dml("session-insert", INSERT, Params.of("id", s.id(), "user", s.userId(), "cs", s.customerServiceId())
                .put("state", s.state().wire()).put("channel", s.channelType()).put("lang", s.languageTag())
                .put("robot", s.robotId()).put("now", s.startedAt()));
    }

    Optional<Session> byId(TenantDb db, String id) {
        return db.one("session-by-id", BY_ID, Params.of("id", id), SessionRepository::map);
    }

    Optional<Session> openOf(TenantDb db, String user, String cs) {
        return db.one("session-open-of", OPEN_OF, Params.of("user", user, "cs", cs), SessionRepository::map);
    }

    /** Moves a session from its state at {@code s.version()}; false when someone changed it first. */
    boolean transition(TenantDb tx, Session s, SessionState to, String agentId, String reason, long now) {
        s.state().transition(to);
        boolean ended = to == SessionState.ENDED;
        return tx.dml("session-transition", TRANSITION, Params.of("id", s.id(), "version", s.version(), "from", s.state().wire())
                .put("to", to.wire()).put("slot", ended ? s.id() : OPEN).put("agent", agentId)
                .put("ended", ended ? now : 0L).put("reason", reason).put("now", now)) == 1;
    }

    void touch(TenantDb tx, String id, long now) {
        tx.dml("session-touch", TOUCH, Params.of("id", id, "now", now));
    }

    List<Session> idle(TenantDb db, SessionState state, long before, int limit) {
        return db.list("session-idle", IDLE, Params.of("state", state.wire(), "before", before, "limit", limit),
                SessionRepository::map);
    }

    private static Session map(DbRow r) {
        return new Session(Sql.string(r, "session_id"), Sql.string(r, "client_user_id"), Sql.string(r, "customer_service_id"),
                SessionState.ofWire(Sql.string(r, "state")), Sql.intValue(r, "version"), Sql.string(r, "channel_type"),
                Sql.string(r, "language_tag"), Sql.string(r, "robot_id"), Sql.string(r, "agent_id"),
                Sql.longValue(r, "started_at"), Sql.longValue(r, "last_activity_at"), Sql.longValue(r, "ended_at"),
                Sql.string(r, "end_reason"));
    }
}
