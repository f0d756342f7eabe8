package org.opendesk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendesk.json.Json;
import org.opendesk.message.MsgBody;
import org.opendesk.realtime.Connection;
import org.opendesk.realtime.Tail;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantRegistry;

import java.util.Collection;
import java.util.List;

/**
 * Tails the agent event log of every app with open agent sockets and pushes each event, in seq
 * order, to every socket of its member as {@code {"Type":..,"Seq":n,"SessionId":..,...payload}}.
 * An append on this node wakes the tail at once ({@link AgentEventLog#committed}); other nodes'
 * events are found by the next poll (every 100 ms). A reconnect with {@code since} replays the
 * member's events after it, at most 5,000: a member who missed more gets those and a close naming
 * the since to reconnect with, never a gap.
 */
public final class AgentHub implements AutoCloseable {
    static final int MAX_REPLAY = 5_000;
    static final int CLOSE_POLICY = Tail.CLOSE_POLICY;

    private final Tail<AgentEventLog.Event> tail;
    private final AgentEventLog log;

    public AgentHub(AgentEventLog log, TenantRegistry tenants) {
        this.tail = new Tail<>("agent-hub", tenants, new Tail.Feed<>() {
            @Override
            public long present(Tenant tenant) {
                return log.last(tenant.db());
            }

            @Override
            public List<AgentEventLog.Event> after(Tenant tenant, long after, int limit) {
                return log.after(tenant.db(), after, limit);
            }

            @Override
            public List<AgentEventLog.Event> missedBy(Tenant tenant, String memberId, long after, int limit) {
                return log.ofMemberAfter(tenant.db(), memberId, after, limit);
            }

            @Override
            public long position(AgentEventLog.Event e) {
                return e.seq();
            }

            @Override
            public long subject(AgentEventLog.Event e) {
                return e.seq();
            }

            @Override
            public Collection<String> owners(AgentEventLog.Event e) {
                return List.of(e.memberId());
            }

            @Override
            public Connection.Frame frame(AgentEventLog.Event e) {
                String frame = render(e);
                return change -> frame;
            }

            @Override
            public String closes(AgentEventLog.Event e) {
                return AgentEventLog.SIGNED_OUT.equals(e.type()) ? MsgBody.parse(e.payload()).path("Detail").asText() : null;
            }
        }, MAX_REPLAY, Tail.ReplayLimit.CLOSE);
        this.log = log;
        log.onCommitted(tail::wake);
    }

    /**
     * Ends a member's sockets on every node: appends its {@link AgentEventLog#SIGNED_OUT} event inside
     * the caller's transaction (which must hold the app's message lock, as every append does); each
     * hub pushes it and closes the member's sockets with 1008 and the detail.
     */
    public static ObjectNode signedOut(String reason, String detail) {
        ObjectNode p = Json.mapper().createObjectNode();
        p.put("Reason", reason);
        p.put("Detail", detail);
        return p;
    }

    /** {@link #signedOut} in a transaction of its own (a password change, outside the human service). */
    public void signOut(Tenant tenant, String memberId, String reason, String detail) {
        tenant.db().inGroupTransaction(tx -> log.append(tx, memberId, AgentEventLog.SIGNED_OUT, "", signedOut(reason, detail)));
        log.committed(tenant);
    }

    /** The event as its frame: Type, Seq and SessionId (when it has one) first, then the payload's fields. */
    static String render(AgentEventLog.Event e) {
        ObjectNode frame = Json.mapper().createObjectNode();
        frame.put("Type", e.type());
        frame.put("Seq", e.seq());
        if (!e.sessionId().isEmpty()) {
            frame.put("SessionId", e.sessionId());
        }
        JsonNode payload = MsgBody.parse(e.payload());
        payload.properties().forEach(field -> {
            if (!frame.has(field.getKey())) {
                frame.set(field.getKey(), field.getValue());
            }
        });
        return MsgBody.write(frame);
    }

    /** Where a socket that asks for nothing missed starts: the app's last event. */
    long present(Tenant tenant) {
        return tail.present(tenant);
    }

    void open(Tenant tenant, Connection c, Long since) {
        tail.open(tenant, c, since);
    }

    void close(Connection c) {
        tail.close(c);
    }

    /** Number of open agent sockets (health). */
    public int connectionCount() {
        return tail.connectionCount();
    }

    /** When the tail last went over every app (epoch ms, wall clock). */
    public long lastPassMillis() {
        return tail.lastPassMillis();
    }

    @Override
    public void close() {
        tail.close();
    }
}
