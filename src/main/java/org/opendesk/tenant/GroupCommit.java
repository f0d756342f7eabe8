package org.opendesk.tenant;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import org.opendesk.storage.Durability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Group commit for the writes of one app that serialise anyway (every message takes the app's
 * message-sequence lock): units of work that arrive while a transaction runs are executed together
 * in the next one, in arrival order, with one commit. The result is what running them one after
 * the other would give, at a fraction of the commits. When a unit fails, the batch is rolled back
 * and each unit runs again in a transaction of its own, so one unit's failure is its own. Units are
 * answered when their commit is on disk ({@link Durability}); the lane does not wait for that, it
 * goes on with the next batch while the disk write happens.
 */
final class GroupCommit {
    static final int MAX_BATCH = 64;

    private final DbClient client;
    private final Durability durability;
    private final Map<Long, Lane> lanes = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong units = new AtomicLong();
    private final Counter commitCounter = Metrics.globalRegistry().getOrCreate(Counter.builder("desk_db_group_commits")
            .description("Transactions run by group commit (message writes); units / commits is the batching"));
    private final Counter unitCounter = Metrics.globalRegistry().getOrCreate(Counter.builder("desk_db_group_commit_units")
            .description("Units of work (one message write each, with what it causes) run by group commit"));

    GroupCommit(DbClient client, Durability durability) {
        this.client = client;
        this.durability = durability;
    }

    /** Transactions run so far, and the units of work they carried. */
    long batches() {
        return batches.get();
    }

    long units() {
        return units.get();
    }

    /**
     * Stops taking work; what was submitted before runs to its end (or the deadline passes): on
     * shutdown nothing is cut off halfway, and the database is closed only after this.
     */
    void close(long timeout, TimeUnit unit) {
        synchronized (this) {
            closed = true; // no submission after this: each lane runs what it has, then ends
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Lane lane : lanes.values()) {
            try {
                lane.thread.join(java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    <T> T run(TenantDb db, Function<TenantDb, T> work) {
        Unit<T> unit = new Unit<>(work);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the server is stopping: no new writes");
            }
            lanes.computeIfAbsent(db.sdkAppId(), id -> new Lane(db)).submit(unit);
        }
        try {
            return unit.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static final class Unit<T> {
        final Function<TenantDb, T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Unit(Function<TenantDb, T> work) {
            this.work = work;
        }
    }

    /**
     * The queue of one app, drained by its own platform thread: every message of the app waits for
     * this thread, so it must not queue for a carrier behind the virtual threads doing the rest.
     */
    private final class Lane {
        private final TenantDb db;
        private final LinkedBlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
        private final Thread thread;

        Lane(TenantDb db) {
            this.db = db;
            this.thread = Thread.ofPlatform().daemon().name("group-commit-" + db.sdkAppId()).start(this::drain);
        }

        void submit(Unit<?> unit) {
            queue.add(unit);
        }

        private void drain() {
            while (true) {
                List<Unit<?>> batch = new ArrayList<>();
                try {
                    Unit<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closed) {
                            return; // stopping, and everything submitted has run
                        }
                        continue;
                    }
                    batch.add(first);
                } catch (InterruptedException e) {
                    return;
                }
                queue.drainTo(batch, MAX_BATCH - 1);
                try {
                    execute(batch);
                } catch (RuntimeException | Error e) {
                    batch.forEach(u -> u.result.completeExceptionally(e)); // the lane lives on; nobody waits forever
                }
            }
        }

        private void execute(List<Unit<?>> batch) {
            batches.incrementAndGet();
            units.addAndGet(batch.size());
            commitCounter.increment();
            unitCounter.increment(batch.size());
            if (batch.size() == 1) {
                alone(batch.get(0));
                return;
            }
            List<Object> results = new ArrayList<>(batch.size());
            DbTransaction tx;
            try {
                tx = client.transaction();
            } catch (RuntimeException e) {
                batch.forEach(u -> u.result.completeExceptionally(e));
                return;
            }
            TenantDb inTx = db.within(tx);
            try {
                for (Unit<?> u : batch) {
                    results.add(u.work.apply(inTx));
                }
                tx.commit();
            } catch (RuntimeException | Error e) {
                try {
                    tx.rollback();
                } catch (RuntimeException ignored) {
                    // the batch is redone unit by unit below
                }
                batch.forEach(this::alone);
                return;
            }
            // answered once the commit is on disk; meanwhile this lane goes on with the next batch
            durability.afterFlush(failure -> {
                for (int i = 0; i < batch.size(); i++) {
                    complete(batch.get(i), results.get(i), failure);
                }
            });
        }

        @SuppressWarnings("unchecked")
        private <T> void complete(Unit<T> unit, Object result, RuntimeException failure) {
            if (failure == null) {
                unit.result.complete((T) result);
            } else {
                unit.result.completeExceptionally(failure);
            }
        }

        private <T> void alone(Unit<T> unit) {
            T result;
            try {
                result = db.inOwnTransaction(unit.work);
            } catch (RuntimeException | Error e) {
                unit.result.completeExceptionally(e);
                return;
            }
            durability.afterFlush(failure -> complete(unit, result, failure));
        }
    }
}
