package org.opendesk.human;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Durable timers of sessions (desk_timer): an accept timeout of an offered session, a request for a
 * human still to route, the user reply timeout of a served session. A timer is claimed inside a transaction of its app that has taken the
 * app's message lock first (the order every writer of this app uses), with FOR UPDATE SKIP LOCKED,
 * and deleted by the transaction that fires it: it fires once across nodes, and survives restarts.
 */
final class Timers {
    static final String ACCEPT = "accept";
    static final String ROUTE = "route";
    /** The user reply timeout of a served session: the account's UserTimeout after the account side's last message. */
    static final String USER_REPLY = "user_reply";
    /** The agent reply timeout of a served session: the desk's AgentReplyTimeout after the user's first unanswered message. */
    static final String AGENT_REPLY = "agent_reply";
    /** A queued user went offline: the desk's QueueOfflineTimeout until the session ends. */
    static final String QUEUE_OFFLINE = "queue_offline";

    private static final String INSERT = "INSERT INTO desk_timer (sdkappid, kind, session_id, ref, due_at, created_at) "
            + "VALUES (:sdkappid, :kind, :session, :ref, :due, :now)";
    private static final String CANCEL = "DELETE FROM desk_timer WHERE sdkappid = :sdkappid AND session_id = :session "
            + "AND kind = :kind";
    private static final String CANCEL_ALL = "DELETE FROM desk_timer WHERE sdkappid = :sdkappid AND session_id = :session";
    private static final String DUE = "SELECT id, sdkappid FROM desk_timer WHERE due_at <= :now ORDER BY due_at LIMIT :limit";
    private static final String CLAIM = "SELECT id, kind, session_id, ref, due_at FROM desk_timer WHERE sdkappid = :sdkappid "
            + "AND id = :id FOR UPDATE SKIP LOCKED";
    private static final String BY_ID = "SELECT id, kind, session_id, ref, due_at FROM desk_timer WHERE sdkappid = :sdkappid "
            + "AND id = :id";
    private static final String DELETE = "DELETE FROM desk_timer WHERE sdkappid = :sdkappid AND id = :id";
    private static final String OF_SESSION = "SELECT id, kind, session_id, ref, due_at FROM desk_timer "
            + "WHERE sdkappid = :sdkappid AND session_id = :session AND kind = :kind";

    record Timer(long id, String kind, String sessionId, String ref, long dueAt) {
    }

    /** A due timer's address: its app and id (the scan across apps reads nothing else). */
    record Due(long sdkAppId, long id) {
    }

    void schedule(TenantDb tx, String kind, String sessionId, String ref, long dueAt, long now) {
        tx.dml("timer-insert", INSERT, Params.of("kind", kind, "session", sessionId, "ref", ref).put("due", dueAt)
                .put("now", now));
    }

    void cancel(TenantDb tx, String sessionId, String kind) {
        tx.dml("timer-cancel", CANCEL, Params.of("session", sessionId, "kind", kind));
    }

    void cancelAll(TenantDb tx, String sessionId) {
        tx.dml("timer-cancel-all", CANCEL_ALL, Params.of("session", sessionId));
    }

    Optional<Timer> of(TenantDb db, String sessionId, String kind) {
        return db.one("timer-of-session", OF_SESSION, Params.of("session", sessionId, "kind", kind), Timers::map);
    }

    /** Timers due now, of every app (the maintenance reader across apps: addresses only). */
    static List<Due> due(DbClient client, long now, int limit) {
        try (Stream<DbRow> rows = client.execute().createNamedQuery("timers-due", DUE).addParam("now", now)
                .addParam("limit", limit).execute()) {
            return rows.map(r -> new Due(Sql.longValue(r, "sdkappid"), Sql.longValue(r, "id"))).toList();
        }
    }

    /** Locks a timer for firing in this transaction; empty when another node has it or it is gone. */
    Optional<Timer> claim(TenantDb tx, long id) {
        return tx.one("timer-claim", CLAIM, Params.of("id", id), Timers::map);
    }

    Optional<Timer> byId(TenantDb db, long id) {
        return db.one("timer-by-id", BY_ID, Params.of("id", id), Timers::map);
    }

    void delete(TenantDb tx, long id) {
        tx.dml("timer-delete", DELETE, Params.of("id", id));
    }

    private static Timer map(DbRow r) {
        return new Timer(Sql.longValue(r, "id"), Sql.string(r, "kind"), Sql.string(r, "session_id"), Sql.string(r, "ref"),
                Sql.longValue(r, "due_at"));
    }
}
