package org.opendesk.tenant;

import org.opendesk.storage.Durability;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The only way tenant data is read or written. A TenantDb is bound to one SDKAppID: every
 * statement must filter or write by {@code :sdkappid}, and that parameter is always bound
 * to this tenant's id, never to a caller's value. A statement without {@code :sdkappid}
 * is refused before it reaches the database, so a query that forgets the tenant cannot
 * exist. Instances come from {@link Tenant}, which only the
 * authenticated request path creates.
 */
public final class TenantDb {
    private final DbClient client;
    private final DbExecute exec;
    private final long sdkAppId;
    private final GroupCommit groupCommit;
    private final Durability durability;
    /** State that lives as long as the transaction this instance is bound to (none outside one). */
    private final Map<Object, Object> txState;

    TenantDb(DbClient client, long sdkAppId, GroupCommit groupCommit, Durability durability) {
        this(client, null, sdkAppId, groupCommit, durability);
    }

    private TenantDb(DbClient client, DbExecute exec, long sdkAppId, GroupCommit groupCommit, Durability durability) {
        this.client = client;
        this.exec = exec;
        this.sdkAppId = sdkAppId;
        this.groupCommit = groupCommit;
        this.durability = durability;
        this.txState = exec instanceof DbTransaction ? new java.util.IdentityHashMap<>() : null;
    }

    /**
     * Per-transaction state of a component (keyed by an object of its own), created on first use;
     * only inside a transaction.
     */
    @SuppressWarnings("unchecked")
    public <T> T transactionState(Object key, java.util.function.Supplier<T> create) {
        if (txState == null) {
            throw new IllegalStateException("transaction state outside a transaction");
        }
        return (T) txState.computeIfAbsent(key, k -> create.get());
    }

    /** This tenant's gateway bound to a transaction already open. */
    TenantDb within(DbTransaction tx) {
        return new TenantDb(client, tx, sdkAppId, groupCommit, durability);
    }

    public long sdkAppId() {
        return sdkAppId;
    }

    public <T> List<T> list(String name, String sql, Params params, Function<DbRow, T> mapper) {
        try (Stream<DbRow> rows = execute().createNamedQuery(name, checked(name, sql)).params(bind(params)).execute()) {
            return rows.map(mapper).toList();
        }
    }

    public <T> Optional<T> one(String name, String sql, Params params, Function<DbRow, T> mapper) {
        return execute().createNamedGet(name, checked(name, sql)).params(bind(params)).execute().map(mapper);
    }

    /** INSERT, UPDATE or DELETE; answers the number of rows changed (on disk when it returns, outside a transaction). */
    public long dml(String name, String sql, Params params) {
        long changed = execute().createNamedDmlStatement(name, checked(name, sql)).params(bind(params)).execute();
        if (exec == null) {
            durability.await();
        }
        return changed;
    }

    /**
     * Runs work in one transaction: every statement of the given TenantDb goes through it;
     * commits when work returns (and answers once the commit is on disk), rolls back when it throws.
     */
    public <T> T inTransaction(Function<TenantDb, T> work) {
        if (exec instanceof DbTransaction) {
            return work.apply(this);
        }
        T result = inOwnTransaction(work);
        durability.await();
        return result;
    }

    /** Runs work in a transaction of its own and commits it, without waiting for the commit to reach the disk. */
    <T> T inOwnTransaction(Function<TenantDb, T> work) {
        DbTransaction tx = client.transaction();
        try {
            T result = work.apply(within(tx));
            tx.commit();
            return result;
        } catch (RuntimeException | Error e) {
            try {
                tx.rollback();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Runs work in a transaction shared with other work of this app that comes at the same time
     * (group commit): for writes that serialise per app anyway, such as messages. The work must
     * only touch the database (it may run twice: in a batch that another unit made fail, then alone).
     * Inside a transaction already, it simply runs in it.
     */
    public <T> T inGroupTransaction(Function<TenantDb, T> work) {
        if (exec instanceof DbTransaction || groupCommit == null) {
            return inTransaction(work);
        }
        return groupCommit.run(this, work);
    }

    /**
     * The next id of a per-app sequence (categories, questions, ...), starting at {@code first}.
     * The row lock taken by the upsert serialises concurrent callers, on every node.
     */
    public long nextId(String sequence, long first) {
        return reserve(sequence, first, 1);
    }

    /**
     * Reserves {@code count} consecutive values of a per-app sequence (starting at {@code first} for a
     * new sequence) and answers the first. The sequence row stays locked until the transaction ends.
     *
     * <p>One upsert creates or advances the row. An UPDATE that finds no row followed by an INSERT
     * would deadlock on MariaDB when several transactions create the same sequence at once (each
     * holds a gap lock the others' inserts wait for); the upsert takes the row's exclusive lock
     * directly, so concurrent callers simply queue behind the first.
     */
    public long reserve(String sequence, long first, int count) {
        return inTransaction(tx -> {
            Params p = Params.of("name", sequence).put("created", first + count).put("n", count);
            tx.dml("sequence-reserve", SEQ_RESERVE, p);
            return tx.one("sequence-reserved", SEQ_RESERVED, p, row -> Sql.longValue(row, "id"))
                    .orElseThrow();
        });
    }

    private static final String SEQ_RESERVE = "INSERT INTO id_sequence (sdkappid, name, next_value) "
            + "VALUES (:sdkappid, :name, :created) ON DUPLICATE KEY UPDATE next_value = next_value + :n";
    private static final String SEQ_RESERVED = "SELECT next_value - :n AS id FROM id_sequence WHERE sdkappid = :sdkappid "
            + "AND name = :name";

    private DbExecute execute() {
        return exec != null ? exec : client.execute();
    }

    private Map<String, Object> bind(Params params) {
        Map<String, Object> values = params.asMap();
        values.put("sdkappid", sdkAppId);
        return values;
    }

    private static String checked(String name, String sql) {
        if (!sql.contains(":sdkappid")) {
            throw new IllegalStateException("statement " + name + " does not filter by :sdkappid");
        }
        return sql;
    }
}
