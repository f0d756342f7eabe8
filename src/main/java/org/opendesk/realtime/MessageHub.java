package org.opendesk.realtime;

import org.opendesk.message.Message;
import org.opendesk.message.MessageStore;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantRegistry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tails the message store of every app with open sockets and pushes each message and edit, in
 * change order, to every connection of its sender and receiver. A write on this node wakes the
 * tail at once; writes of other nodes are found by the next poll (every 100 ms). The store's
 * sequences commit in order, so the tail never skips a change.
 */
public final class MessageHub implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MessageHub.class.getName());
    static final int BATCH = 500;
    static final long POLL_MILLIS = 100;
    /** A replay sends at most this many messages; a client further behind pages with since. */
    static final int MAX_REPLAY = 5_000;

    private final MessageStore store;
    private final TenantRegistry tenants;
    private final Map<Long, Map<String, Set<Connection>>> connections = new ConcurrentHashMap<>();
    private final Map<Long, Long> watermarks = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running = true;
    private volatile long lastPass = System.currentTimeMillis();
    private final Thread tail;

    public MessageHub(MessageStore store, TenantRegistry tenants) {
        this.store = store;
        this.tenants = tenants;
        store.onCommitted(app -> {
            if (connections.containsKey(app)) {
                wake.release();
            }
        });
        this.tail = Thread.ofPlatform().daemon().name("message-hub").start(this::run);
    }

    /** When the tail last went over every app (epoch ms, wall clock). */
    public long lastPassMillis() {
        return lastPass;
    }

    /** Number of open visitor sockets (health, benchmarks). */
    public int connectionCount() {
        return connections.values().stream().mapToInt(users -> users.values().stream().mapToInt(Set::size).sum()).sum();
    }

    /**
     * Registers a connection and replays what the user missed after {@code since} (null: nothing,
     * the stream starts now), then switches it to live delivery.
     */
    void open(Tenant tenant, Connection c, Long since) {
        // the tail of a new app starts at its present; a connection registered after that gets the rest live
        watermarks.computeIfAbsent(tenant.sdkAppId(), k -> present(tenant));
        connections.computeIfAbsent(tenant.sdkAppId(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(c.user, k -> ConcurrentHashMap.newKeySet()).add(c);
        long present = present(tenant);
        if (since == null || since >= present) {
            c.startAt(present); // a since ahead of the app's sequence (another database, a reset) starts now too
        } else {
            c.startAt(since);
            long after = since;
            int sent = 0;
            while (sent < MAX_REPLAY) {
                List<Message> page = store.missedBy(tenant.db(), c.user, after, BATCH);
                for (Message m : page) {
                    c.offer(m.changeSeq(), m.seq(), Frames.of(m), false);
                    after = m.changeSeq();
                }
                sent += page.size();
                if (page.size() < BATCH) {
                    break;
                }
            }
        }
        c.live();
    }

    /** The app's latest change sequence: where a connection that asks for nothing missed starts. */
    long present(Tenant tenant) {
        return store.lastChange(tenant.db());
    }

    void close(Connection c) {
        Map<String, Set<Connection>> users = connections.get(c.sdkAppId);
        if (users != null) {
            users.computeIfPresent(c.user, (u, set) -> {
                set.remove(c);
                return set.isEmpty() ? null : set;
            });
        }
        c.markClosed();
    }

    private void run() {
        while (running) {
            try {
                wake.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                for (Long app : connections.keySet()) {
                    pump(app);
                }
                lastPass = System.currentTimeMillis();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "message tail failed; retrying", e);
            }
        }
    }

    private void pump(long app) {
        Tenant tenant = tenants.find(app).orElse(null);
        Map<String, Set<Connection>> users = connections.get(app);
        if (tenant == null || users == null) {
            return;
        }
        Long from = watermarks.get(app);
        if (from == null) {
            return;
        }
        long after = from;
        while (true) {
            List<Message> page = store.changesAfter(tenant.db(), after, BATCH);
            for (Message m : page) {
                Frames.Renderer frame = null;
                for (String user : m.from().equals(m.to()) ? List.of(m.to()) : List.of(m.to(), m.from())) {
                    Set<Connection> open = users.get(user);
                    if (open == null) {
                        continue;
                    }
                    if (frame == null) {
                        frame = Frames.of(m);
                    }
                    for (Connection c : open) {
                        c.offer(m.changeSeq(), m.seq(), frame, true);
                    }
                }
                after = m.changeSeq();
            }
            watermarks.put(app, after);
            if (page.size() < BATCH) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        tail.interrupt();
        connections.values().forEach(users -> users.values().forEach(set -> set.forEach(c -> c.close(1001, "server stopping"))));
    }
}
