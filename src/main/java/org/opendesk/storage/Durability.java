package org.opendesk.storage;

import io.helidon.dbclient.DbClient;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When a commit is on disk. MariaDB's commit is (InnoDB writes its log at commit). The embedded H2
 * database is opened with a write delay, so its commit is quick and in memory only; this flushes
 * it: a single thread writes the store whenever commits wait for it, and each write covers every
 * commit made before it began, so concurrent commits share one write (and the writing happens
 * beside, not inside, the transactions that follow). Whatever acknowledges a write waits for its
 * flush first: a process killed after an acknowledgement loses nothing.
 */
public abstract sealed class Durability implements AutoCloseable permits Durability.Immediate, Durability.H2Flusher {
    private static final Logger LOG = Logger.getLogger(Durability.class.getName());

    /** Commits that are durable when they return (MariaDB, MySQL, an in-memory H2 database). */
    public static final Durability IMMEDIATE = new Immediate();

    /**
     * Runs {@code done} once everything committed before this call is on disk, with null, or with
     * the failure of the write; on the flushing thread (keep it short), or at once.
     */
    public abstract void afterFlush(Consumer<RuntimeException> done);

    /** Blocks until everything committed before this call is on disk. */
    public void await() {
        CompletableFuture<Void> flushed = new CompletableFuture<>();
        afterFlush(failure -> {
            if (failure == null) {
                flushed.complete(null);
            } else {
                flushed.completeExceptionally(failure);
            }
        });
        try {
            flushed.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public void close() {
    }

    /**
     * The durability of a database just opened: a flusher for an H2 file database this process
     * opened itself; immediate otherwise (H2 through another process's server writes on its own
     * schedule: see {@link DbSettings#embedded}).
     */
    public static Durability of(DbClient client, DbSettings settings) {
        if (!settings.url().startsWith("jdbc:h2:file:")) {
            return IMMEDIATE;
        }
        try (Connection c = client.unwrap(Connection.class)) {
            if (c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local
                    && local.getDatabase().getStore() != null && local.getDatabase().getStore().getMvStore() != null) {
                return new H2Flusher(local.getDatabase().getStore().getMvStore());
            }
            LOG.warning("the H2 database " + settings.describe() + " is open in another process (AUTO_SERVER): this one"
                    + " writes through it, and its writes reach the file with that process's background writes (up to"
                    + " WRITE_DELAY ms after they are acknowledged)");
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot reach the H2 store to flush commits; relying on H2's own writes", e);
        }
        return IMMEDIATE;
    }

    static final class Immediate extends Durability {
        @Override
        public void afterFlush(Consumer<RuntimeException> done) {
            done.accept(null);
        }

        @Override
        public void await() {
            // committed is durable
        }
    }

    /** Writes the H2 store on one thread for whoever waits, all waiting callers per write. */
    static final class H2Flusher extends Durability {
        /**
         * At most one write per 10 ms: every write covers the pages changed since the one before, so
         * writes further apart share the pages many commits change (the B-trees' upper pages, the
         * store's metadata). Under load an acknowledgement waits up to 10 ms more; in exchange the
         * server spends about a fifth less CPU per message at 1,000 messages/s (measured), and H2's page
         * cache is not flooded by pages written again and again. Only while commits queue up: when
         * the last write had a single commit waiting (an idle server, one client writing one thing
         * after the other), the next write happens at once.
         */
        static final long MIN_INTERVAL_NANOS = 10_000_000;
        private final MVStore store;
        private long lastStart = System.nanoTime() - MIN_INTERVAL_NANOS;
        private int lastWaiters;
        private final Counter writes = Metrics.globalRegistry().getOrCreate(Counter.builder("desk_db_flushes")
                .description("Writes of the embedded H2 store that acknowledged commits waited for"));
        private final Counter waiters = Metrics.globalRegistry().getOrCreate(Counter.builder("desk_db_flush_waiters")
                .description("Commits (or group commits) that waited for a write of the embedded H2 store"));
        private final Object lock = new Object();
        private List<Consumer<RuntimeException>> waiting = new ArrayList<>();
        private boolean closed;
        private final Thread thread;

        MVStore store() {
            return store;
        }

        H2Flusher(MVStore store) {
            this.store = store;
            this.thread = Thread.ofPlatform().daemon().name("h2-flush").start(this::run);
        }

        @Override
        public void afterFlush(Consumer<RuntimeException> done) {
            synchronized (lock) {
                if (!closed) {
                    waiting.add(done);
                    lock.notifyAll();
                    return;
                }
            }
            flushNow(List.of(done)); // stopping: the caller writes for itself
        }

        private void run() {
            while (true) {
                List<Consumer<RuntimeException>> batch;
                long early = lastStart + MIN_INTERVAL_NANOS - System.nanoTime();
                if (early > 0 && lastWaiters > 1) {
                    try {
                        Thread.sleep(java.time.Duration.ofNanos(early));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                synchronized (lock) {
                    while (waiting.isEmpty() && !closed) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (waiting.isEmpty()) {
                        return; // closed, nobody waits
                    }
                    batch = waiting;
                    waiting = new ArrayList<>();
                }
                lastStart = System.nanoTime();
                lastWaiters = batch.size();
                flushNow(batch);
            }
        }

        private void flushNow(List<Consumer<RuntimeException>> batch) {
            RuntimeException failure = null;
            writes.increment();
            waiters.increment(batch.size());
            try {
                if (store.isClosed()) {
                    throw new IllegalStateException("the H2 store is closed");
                }
                // writes every version committed before this call...
                store.commit();
                // ...unless H2 began a write on its own (its background writer, or a writer past its memory
                // limit): then commit() finds nothing left to do while that write is still on its way to the
                // file. Waiting for H2's write threads covers it.
                store.executeFilestoreOperation(() -> { });
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "writing the H2 store failed; the writes waiting for it are not acknowledged", e);
                failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            for (Consumer<RuntimeException> done : batch) {
                try {
                    done.accept(failure);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a flush callback failed", e);
                }
            }
        }

        /** Writes what is waiting, then stops; later callers write for themselves. */
        @Override
        public void close() {
            synchronized (lock) {
                closed = true;
                lock.notifyAll();
            }
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
