package org.opendesk.tenant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendesk.storage.Database;
import org.opendesk.storage.Params;
import org.opendesk.testing.TestDb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Group commit: concurrent units share transactions, give serial results, and fail alone. */
class GroupCommitTest {
    private static Database database;
    private static GroupCommit group;
    private static TenantDb db;

    @BeforeAll
    static void open() {
        database = Database.open(TestDb.fresh());
        group = new GroupCommit(database.client(), database.durability());
        db = new TenantDb(database.client(), 7, group, database.durability());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static final String INSERT = "INSERT INTO id_sequence (sdkappid, name, next_value) VALUES (:sdkappid, :name, 1)";
    private static final String COUNT = "SELECT COUNT(*) AS n FROM id_sequence WHERE sdkappid = :sdkappid AND name LIKE :prefix";

    private static long count(String prefix) {
        return db.one("count", COUNT, Params.of("prefix", prefix + "%"), r -> ((Number) r.column("n").get()).longValue())
                .orElseThrow();
    }

    @Test
    void concurrentUnitsShareCommitsAndSeeEachOtherInOrder() throws Exception {
        int n = 200;
        long batchesBefore = group.batches();
        long unitsBefore = group.units();
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(pool.submit(() -> {
                    go.await();
                    ids.add(db.inGroupTransaction(tx -> tx.nextId("gc-seq", 1)));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get();
            }
        }
        Set<Long> expected = new HashSet<>();
        for (long i = 1; i <= n; i++) {
            expected.add(i);
        }
        assertEquals(expected, ids, "every unit got its own value, as if run one after the other");
        long batches = group.batches() - batchesBefore;
        assertEquals(n, group.units() - unitsBefore);
        assertTrue(batches < n, "units shared transactions: " + batches + " for " + n);
    }

    @Test
    void aFailingUnitFailsAloneAndTheOthersAreKept() throws Exception {
        int n = 60;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> all = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                all.add(pool.submit(() -> {
                    go.await();
                    db.inGroupTransaction(tx -> {
                        tx.dml("insert", INSERT, Params.of("name", "gc-row-" + k));
                        if (k % 10 == 3) {
                            throw new IllegalStateException("unit " + k + " fails");
                        }
                        return null;
                    });
                    return null;
                }));
            }
            go.countDown();
            int failed = 0;
            for (int i = 0; i < n; i++) {
                if (i % 10 == 3) {
                    Future<?> f = all.get(i);
                    Exception e = assertThrows(Exception.class, f::get);
                    assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
                    failed++;
                } else {
                    all.get(i).get();
                }
            }
            assertEquals(6, failed);
        }
        assertEquals(n - 6, count("gc-row-"), "the failing units' writes are gone, the others' kept");
    }
}
