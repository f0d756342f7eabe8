package org.opendesk.storage;

import io.helidon.dbclient.DbTransaction;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendesk.testing.TestDb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded H2 file database commits in memory (write delay) and is flushed for whoever waits:
 * a wait returns only when the store holds nothing unwritten, and commits that wait together share
 * writes. Other databases are durable at commit.
 */
class DurabilityTest {
    @TempDir
    Path dir;

    private static void insert(Database db, String name) {
        DbTransaction tx = db.client().transaction();
        tx.createNamedDmlStatement("seq-insert", "INSERT INTO id_sequence (sdkappid, name, next_value) VALUES (9, :name, 1)")
                .addParam("name", name).execute();
        tx.commit();
    }

    private static double flushes() {
        return Metrics.globalRegistry().getOrCreate(Counter.builder("desk_db_flushes")).count();
    }

    @Test
    void anAwaitedCommitIsWrittenToTheFile() {
        try (Database db = Database.open(DbSettings.embedded(dir.toString()))) {
            Durability.H2Flusher flusher = assertInstanceOf(Durability.H2Flusher.class, db.durability());
            insert(db, "written");
            db.durability().await();
            assertFalse(flusher.store().hasUnsavedChanges(), "the commit is in the file when the wait returns");
        }
    }

    @Test
    void commitsThatWaitTogetherShareWrites() throws Exception {
        int n = 200;
        try (Database db = Database.open(DbSettings.embedded(dir.toString()))) {
            double before = flushes();
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String name = "w" + i;
                    all.add(pool.submit(() -> {
                        go.await();
                        insert(db, name);
                        db.durability().await();
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : all) {
                    f.get();
                }
            }
            double writes = flushes() - before;
            assertTrue(writes >= 1 && writes < n, n + " commits took " + writes + " writes of the store");
        }
    }

    @Test
    void otherDatabasesAreDurableAtCommit() {
        try (Database db = Database.open(TestDb.fresh())) { // in-memory H2, or MariaDB
            assertSame(Durability.IMMEDIATE, db.durability());
            insert(db, "x");
            db.durability().await(); // returns at once
        }
    }
}
