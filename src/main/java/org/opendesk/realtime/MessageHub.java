package org.opendesk.realtime;

import org.opendesk.message.Message;
import org.opendesk.message.MessageStore;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantRegistry;

import java.util.Collection;
import java.util.List;

/**
 * Tails the message store of every app with open visitor sockets and pushes each message and
 * edit, in change order, to every connection of its sender and receiver. A write on this node
 * wakes the tail at once; writes of other nodes are found by the next poll (every 100 ms). The
 * store's sequences commit in order, so the tail never skips a change.
 */
public final class MessageHub implements AutoCloseable {
    /** A replay sends at most this many messages; a client further behind pages with since. */
    static final int MAX_REPLAY = 5_000;

    private final Tail<Message> tail;

    public MessageHub(MessageStore store, TenantRegistry tenants) {
        this.tail = new Tail<>("message-hub", tenants, new Tail.Feed<>() {
            @Override
            public long present(Tenant tenant) {
                return store.lastChange(tenant.db());
            }

            @Override
            public List<Message> after(Tenant tenant, long after, int limit) {
                return store.changesAfter(tenant.db(), after, limit);
            }

            @Override
            public List<Message> missedBy(Tenant tenant, String user, long after, int limit) {
                return store.missedBy(tenant.db(), user, after, limit);
            }

            @Override
            public long position(Message m) {
                return m.changeSeq();
            }

            @Override
            public long subject(Message m) {
                return m.seq();
            }

            @Override
            public Collection<String> owners(Message m) {
                return m.from().equals(m.to()) ? List.of(m.to()) : List.of(m.to(), m.from());
            }

            @Override
            public Connection.Frame frame(Message m) {
                return Frames.of(m);
            }
        }, MAX_REPLAY, Tail.ReplayLimit.GO_LIVE);
        store.onCommitted(tail::wake);
    }

    /** When the tail last went over every app (epoch ms, wall clock). */
    public long lastPassMillis() {
        return tail.lastPassMillis();
    }

    /** Number of open visitor sockets (health, benchmarks). */
    public int connectionCount() {
        return tail.connectionCount();
    }

    /**
     * Registers a connection and replays what the user missed after {@code since} (null: nothing,
     * the stream starts now), then switches it to live delivery.
     */
    void open(Tenant tenant, Connection c, Long since) {
        tail.open(tenant, c, since);
    }

    /** The app's latest change sequence: where a connection that asks for nothing missed starts. */
    long present(Tenant tenant) {
        return tail.present(tenant);
    }

    void close(Connection c) {
        tail.close(c);
    }

    @Override
    public void close() {
        tail.close();
    }
}
