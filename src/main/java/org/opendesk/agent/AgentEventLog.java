package org.opendesk.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.dbclient.DbRow;
import org.opendesk.message.MessageStore;
import org.opendesk.message.MsgBody;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * The durable stream of what each member's agent socket pushes. An event is written in the
 * transaction of the change it reports, with a value of the app's message sequence taken under
 * its lock ({@link MessageStore#lock}): events commit in increasing order, so a tail that has
 * seen seq n has seen every event before it, on any node, and a reconnecting agent resumes
 * after the last seq it received.
 */
public final class AgentEventLog {
    private static final String INSERT = "INSERT INTO desk_agent_event (sdkappid, seq, member_id, type, session_id, payload, "
            + "created_at) VALUES (:sdkappid, :seq, :member, :type, :session, :payload, :now)";
    private static final String AFTER = "SELECT seq, member_id, type, session_id, payload, created_at FROM desk_agent_event "
            + "WHERE sdkappid = :sdkappid AND seq > :after ORDER BY seq LIMIT :limit";
    private static final String OF_MEMBER_AFTER = "SELECT seq, member_id, type, session_id, payload, created_at "
            + "FROM desk_agent_event WHERE sdkappid = :sdkappid AND member_id = :member AND seq > :after ORDER BY seq "
            + "LIMIT :limit";
    private static final String LAST = "SELECT COALESCE(MAX(seq), 0) AS seq FROM desk_agent_event "
            + "WHERE sdkappid = :sdkappid";

    /** One pushed event: its place in the stream, the member it is for, its type, session and JSON payload. */
    public record Event(long seq, String memberId, String type, String sessionId, String payload, long createdAt) {
    }

    /**
     * The last event of a member's sockets: forced offline, deleted, or its password changed. Every
     * node's hub pushes it and then closes that member's sockets (payload: Reason, Detail).
     */
    public static final String SIGNED_OUT = "SignedOut";

    private final MessageStore store;
    private final java.time.Clock clock;
    private final List<LongConsumer> committed = new CopyOnWriteArrayList<>();

    public AgentEventLog(MessageStore store, java.time.Clock clock) {
        this.store = store;
        this.clock = clock;
        // events are written in transactions that hold the message lock: a commit of messages may carry some
        // (a user's message in the human phase), so it wakes the agent tail too
        store.onCommitted(app -> committed.forEach(l -> l.accept(app)));
    }

    /** Appends an event for a member inside the caller's transaction; answers its seq. */
    public long append(TenantDb tx, String memberId, String type, String sessionId, ObjectNode payload) {
        long seq = store.lock(tx);
        tx.dml("agent-event-insert", INSERT, Params.of("seq", seq, "member", memberId, "type", type)
                .put("session", sessionId == null ? "" : sessionId).put("payload", MsgBody.write(payload))
                .put("now", clock.millis()));
        return seq;
    }

    /** Events of every member after a seq, in order (the tail). */
    public List<Event> after(TenantDb db, long after, int limit) {
        return db.list("agent-events-after", AFTER, Params.of("after", after, "limit", limit), AgentEventLog::map);
    }

    /** A member's events after a seq, in order (the replay after a reconnect). */
    public List<Event> ofMemberAfter(TenantDb db, String memberId, long after, int limit) {
        return db.list("agent-events-of-member", OF_MEMBER_AFTER, Params.of("member", memberId, "after", after)
                .put("limit", limit), AgentEventLog::map);
    }

    /** The highest seq written so far (0: none). */
    public long last(TenantDb db) {
        return db.one("agent-events-last", LAST, Params.of(), r -> Sql.longValue(r, "seq")).orElse(0L);
    }

    /** Called with the SDKAppID after a transaction that appended events has committed. */
    public void onCommitted(LongConsumer listener) {
        committed.add(listener);
    }

    /** Tells the listeners (the agent hub) that the app has new events; call after commit. */
    public void committed(Tenant tenant) {
        for (LongConsumer l : committed) {
            l.accept(tenant.sdkAppId());
        }
    }

    private static Event map(DbRow r) {
        return new Event(Sql.longValue(r, "seq"), Sql.string(r, "member_id"), Sql.string(r, "type"),
                Sql.string(r, "session_id"), Sql.string(r, "payload"), Sql.longValue(r, "created_at"));
    }
}
