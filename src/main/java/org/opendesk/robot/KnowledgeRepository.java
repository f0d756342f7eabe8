package org.opendesk.robot;

import io.helidon.dbclient.DbRow;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.List;
import java.util.Optional;

/** SQL for knowledge-base categories, next to its row mapping. */
final class KnowledgeRepository {
    private static final String CATEGORY_INSERT = "INSERT INTO kb_category (sdkappid, category_id, robot_id, library, "
            + "parent_id, title, menu_type, status, created_at, updated_at) VALUES (:sdkappid, :id, :robot, :library, "
            + ":parent, :title, :menuType, 1, :now, :now)";
    private static final String CATEGORY_COLUMNS = "SELECT category_id, parent_id, title, menu_type, status FROM kb_category ";
    private static final String CATEGORY_FIND = CATEGORY_COLUMNS
            + "WHERE sdkappid = :sdkappid AND robot_id = :robot AND library = :library AND category_id = :id";
    private static final String CATEGORY_LIST = CATEGORY_COLUMNS
            + "WHERE sdkappid = :sdkappid AND robot_id = :robot AND library = :library ORDER BY category_id";
    private static final String CATEGORY_RENAME = "UPDATE kb_category SET title = :title, updated_at = :now "
            + "WHERE sdkappid = :sdkappid AND robot_id = :robot AND library = :library AND category_id = :id";
    private static final String CATEGORIES_DELETE = "DELETE FROM kb_category WHERE sdkappid = :sdkappid AND robot_id = :robot";
    private static final String CATEGORY_DELETE = "DELETE FROM kb_category WHERE sdkappid = :sdkappid AND robot_id = :robot "
            + "AND library = :library AND (category_id = :id OR parent_id = :id)";

    void insertCategory(TenantDb db, String robotId, Library library, long id, long parentId, String title, int menuType,
                        long now) {
        db.dml("category-insert", CATEGORY_INSERT, Params.of("robot", robotId, "library", library.code(), "id", id)
                .put("parent", parentId).put("title", title).put("menuType", menuType).put("now", now));
    }

    Optional<Category> findCategory(TenantDb db, String robotId, Library library, long id) {
        return db.one("category-find", CATEGORY_FIND, Params.of("robot", robotId, "library", library.code(), "id", id),
                KnowledgeRepository::category);
    }

    List<Category> categories(TenantDb db, String robotId, Library library) {
        return db.list("category-list", CATEGORY_LIST, Params.of("robot", robotId, "library", library.code()),
                KnowledgeRepository::category);
    }

    void renameCategory(TenantDb db, String robotId, Library library, long id, String title, long now) {
        db.dml("category-rename", CATEGORY_RENAME, Params.of("robot", robotId, "library", library.code(), "id", id)
                .put("title", title).put("now", now));
    }

    /** Deletes the category and its second-level categories. */
    void deleteCategoryTree(TenantDb db, String robotId, Library library, long id) {
        db.dml("category-delete", CATEGORY_DELETE, Params.of("robot", robotId, "library", library.code(), "id", id));
    }

    /** Deletes every category of a robot, both libraries. */
    void deleteAll(TenantDb db, String robotId) {
        db.dml("category-delete-robot", CATEGORIES_DELETE, Params.of("robot", robotId));
    }

    private static Category category(DbRow row) {
        return new Category(Sql.longValue(row, "category_id"), Sql.longValue(row, "parent_id"), Sql.string(row, "title"),
                Sql.intValue(row, "menu_type"), Sql.intValue(row, "status"));
    }
}
