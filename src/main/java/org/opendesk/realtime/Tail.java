package org.opendesk.realtime;

import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantRegistry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tails a per-app stream whose positions commit in increasing order (the message store's change
 * sequence, the agent event log) for the connections open on this node, and pushes each item, in
 * order, to every connection of the owners it concerns. A commit on this node wakes the tail at
 * once ({@link #wake}); other nodes' commits are found by the next poll (every 100 ms). A
 * connection opened with {@code since} first replays what its owner missed, then goes live with
 * no duplicate and no gap.
 *
 * @param <T> an item of the stream
 */
public final class Tail<T> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Tail.class.getName());
    static final int BATCH = 500;
    static final long POLL_MILLIS = 100;
    /** The WebSocket close code for a connection the server ends on purpose (policy violation). */
    public static final int CLOSE_POLICY = 1008;

    /** What a tail reads. */
    public interface Feed<T> {
        /** The app's latest position: where a connection that asks for nothing missed starts. */
        long present(Tenant tenant);

        /** Items of every owner after a position, in order, at most {@code limit}. */
        List<T> after(Tenant tenant, long after, int limit);

        /** One owner's items after a position, in order, at most {@code limit} (the replay). */
        List<T> missedBy(Tenant tenant, String owner, long after, int limit);

        /** The item's place in the stream. */
        long position(T item);

        /** What the item is about: a message's MsgSeq for an edit of it; its own position for a stream of new things. */
        long subject(T item);

        /** The owners whose connections get the item. */
        Collection<String> owners(T item);

        Connection.Frame frame(T item);

        /**
         * When a live item ends its owners' connections (the member signed out on some node): the close
         * reason, sent after the item itself. Null for every other item. A replay never closes.
         */
        default String closes(T item) {
            return null;
        }
    }

    /** What a connection that missed more than the replay limit gets. */
    public enum ReplayLimit {
        /** The items up to the limit, then live ones (the owner pages the rest with a later since). */
        GO_LIVE,
        /** The items up to the limit, then a close (1008) naming the since to reconnect with: never a gap. */
        CLOSE
    }

    private final TenantRegistry tenants;
    private final Feed<T> feed;
    private final int maxReplay;
    private final ReplayLimit limit;
    private final Map<Long, Map<String, Set<Connection>>> connections = new ConcurrentHashMap<>();
    private final Map<Long, Long> watermarks = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running = true;
    private volatile long lastPass = System.currentTimeMillis();
    private final Thread thread;

    public Tail(String name, TenantRegistry tenants, Feed<T> feed, int maxReplay, ReplayLimit limit) {
        this.tenants = tenants;
        this.feed = feed;
        this.maxReplay = maxReplay;
        this.limit = limit;
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Tells the tail that the app committed new items (call after commit). */
    public void wake(long sdkAppId) {
        if (connections.containsKey(sdkAppId)) {
            wake.release();
        }
    }

    /** When the tail last went over every app (epoch ms, wall clock). */
    public long lastPassMillis() {
        return lastPass;
    }

    /** Number of open connections. */
    public int connectionCount() {
        return connections.values().stream().mapToInt(owners -> owners.values().stream().mapToInt(Set::size).sum()).sum();
    }

    /** The app's latest position. */
    public long present(Tenant tenant) {
        return feed.present(tenant);
    }

    /**
     * Registers a connection and replays what its owner missed after {@code since} (null: nothing,
     * the stream starts now), then switches it to live delivery.
     */
    public void open(Tenant tenant, Connection c, Long since) {
        // the tail of a new app starts at its present; a connection registered after that gets the rest live
        watermarks.computeIfAbsent(tenant.sdkAppId(), k -> feed.present(tenant));
        connections.computeIfAbsent(tenant.sdkAppId(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(c.owner, k -> ConcurrentHashMap.newKeySet()).add(c);
        long present = feed.present(tenant);
        if (since == null || since >= present) {
            c.startAt(present); // a since ahead of the app's stream (another database, a reset) starts now too
        } else {
            c.startAt(since);
            long after = since;
            int sent = 0;
            while (true) {
                int wanted = Math.min(BATCH, maxReplay - sent);
                List<T> page = feed.missedBy(tenant, c.owner, after, wanted);
                for (T item : page) {
                    c.offer(feed.position(item), feed.subject(item), feed.frame(item), false);
                    after = feed.position(item);
                }
                sent += page.size();
                if (page.size() < wanted) {
                    break; // everything missed is out
                }
                if (sent >= maxReplay) {
                    if (limit == ReplayLimit.CLOSE && !feed.missedBy(tenant, c.owner, after, 1).isEmpty()) {
                        c.closeAfterPending(CLOSE_POLICY, "more than " + maxReplay + " missed; reconnect with since=" + after);
                        close(c);
                        return;
                    }
                    break;
                }
            }
        }
        c.live();
    }

    /** The connection closed: it gets nothing more. */
    public void close(Connection c) {
        Map<String, Set<Connection>> owners = connections.get(c.sdkAppId);
        if (owners != null) {
            owners.computeIfPresent(c.owner, (o, set) -> {
                set.remove(c);
                return set.isEmpty() ? null : set;
            });
        }
        c.markClosed();
    }

    /** Closes every connection of an owner with a code and reason; answers how many there were. */
    public int close(long sdkAppId, String owner, int code, String reason) {
        Map<String, Set<Connection>> owners = connections.get(sdkAppId);
        Set<Connection> open = owners == null ? null : owners.remove(owner);
        if (open == null) {
            return 0;
        }
        open.forEach(c -> c.close(code, reason));
        return open.size();
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
                LOG.log(Level.WARNING, Thread.currentThread().getName() + " failed; retrying", e);
            }
        }
    }

    private void pump(long app) {
        Tenant tenant = tenants.find(app).orElse(null);
        Map<String, Set<Connection>> owners = connections.get(app);
        if (tenant == null || owners == null) {
            return;
        }
        Long from = watermarks.get(app);
        if (from == null) {
            return;
        }
        long after = from;
        while (true) {
            List<T> page = feed.after(tenant, after, BATCH);
            for (T item : page) {
                Connection.Frame frame = null;
                for (String owner : feed.owners(item)) {
                    Set<Connection> open = owners.get(owner);
                    if (open == null) {
                        continue;
                    }
                    if (frame == null) {
                        frame = feed.frame(item);
                    }
                    for (Connection c : open) {
                        c.offer(feed.position(item), feed.subject(item), frame, true);
                    }
                    String reason = feed.closes(item);
                    if (reason != null && owners.remove(owner) != null) {
                        open.forEach(c -> c.closeAfterPending(CLOSE_POLICY, reason));
                    }
                }
                after = feed.position(item);
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
        thread.interrupt();
        connections.values().forEach(owners -> owners.values().forEach(set -> set.forEach(c -> c.close(1001, "server stopping"))));
    }
}
