package org.opendesk.imagent;

import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.List;
import java.util.Optional;

/** SQL for customer-service accounts, next to its row mapping. */
final class ImAgentRepository {
    private static final String COLUMNS = "SELECT user_id, settings, is_default FROM im_agent ";
    private static final String FIND = COLUMNS + "WHERE sdkappid = :sdkappid AND user_id = :user";
    private static final String LIST = COLUMNS + "WHERE sdkappid = :sdkappid ORDER BY is_default DESC, created_at, user_id";
    /** A locking read: the rows as committed now (not a snapshot), kept until the transaction ends. */
    private static final String LIST_LOCKED = COLUMNS + "WHERE sdkappid = :sdkappid ORDER BY is_default DESC, created_at, "
            + "user_id FOR UPDATE";
    private static final String COUNT = "SELECT COUNT(*) AS n FROM im_agent WHERE sdkappid = :sdkappid";
    private static final String INSERT = "INSERT IGNORE INTO im_agent (sdkappid, user_id, settings, robot_id, is_default, "
            + "created_at, updated_at) VALUES (:sdkappid, :user, :settings, :robot, :isDefault, :now, :now)";
    private static final String UPDATE = "UPDATE im_agent SET settings = :settings, robot_id = :robot, updated_at = :now "
            + "WHERE sdkappid = :sdkappid AND user_id = :user";
    private static final String DELETE = "DELETE FROM im_agent WHERE sdkappid = :sdkappid AND user_id = :user";

    /** A stored account: its UserID, settings document and whether it is the app's default one. */
    record Row(String userId, String settings, boolean isDefault) {
    }

    Optional<Row> find(TenantDb db, String userId) {
        return db.one("im-agent-find", FIND, Params.of("user", userId), ImAgentRepository::row);
    }

    List<Row> list(TenantDb db) {
        return db.list("im-agent-list", LIST, Params.of(), ImAgentRepository::row);
    }

    /** Every account as committed now, locked until the transaction ends (nobody changes them meanwhile). */
    List<Row> listLocked(TenantDb tx) {
        return tx.list("im-agent-list-locked", LIST_LOCKED, Params.of(), ImAgentRepository::row);
    }

    long count(TenantDb db) {
        return db.one("im-agent-count", COUNT, Params.of(), r -> Sql.longValue(r, "n")).orElse(0L);
    }

    boolean insert(TenantDb db, String userId, String settings, String robotId, boolean isDefault, long now) {
        return db.dml("im-agent-insert", INSERT, Params.of("user", userId, "settings", settings, "robot", robotId)
                .put("isDefault", isDefault ? 1 : 0).put("now", now)) > 0;
    }

    void update(TenantDb db, String userId, String settings, String robotId, long now) {
        db.dml("im-agent-update", UPDATE, Params.of("user", userId, "settings", settings, "robot", robotId).put("now", now));
    }

    void delete(TenantDb db, String userId) {
        db.dml("im-agent-delete", DELETE, Params.of("user", userId));
    }

    private static Row row(io.helidon.dbclient.DbRow r) {
        return new Row(Sql.string(r, "user_id"), Sql.string(r, "settings"), Sql.intValue(r, "is_default") == 1);
    }
}
