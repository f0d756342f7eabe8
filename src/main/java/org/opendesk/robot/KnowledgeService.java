package org.opendesk.robot;

import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.rest.InvalidRequest;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;
import org.opendesk.tenant.TenantSeeder;

import java.time.Clock;
import java.util.List;

/**
 * Robots and their knowledge-base categories. Every app has the default robot
 * {@value #DEFAULT_ROBOT} from the start, and every robot is born with the seed's preset
 * categories: the "all categories" node and 预设问答库 in its FAQ library; 系统预设分类 with
 * 日常问候, 询问机器人信息, 情绪表达, 兴趣爱好, 客服场景问答 in its chitchat library.
 */
public final class KnowledgeService implements TenantSeeder {
    public static final String DEFAULT_ROBOT = "@RBT#DeskDefaultRobot";
    /** Category ids are per app and start here (the vendor's look five-digit). */
    static final long FIRST_CATEGORY_ID = 10_000;
    static final String ALL_CATEGORIES = "全部分类";
    static final String PRESET_FAQ = "预设问答库";
    static final String PRESET_CHITCHAT_ROOT = "系统预设分类";
    static final List<String> PRESET_CHITCHAT = List.of("日常问候", "询问机器人信息", "情绪表达", "兴趣爱好", "客服场景问答");
    public static final int MAX_TITLE_CHARS = 100;

    private final KnowledgeRepository repository = new KnowledgeRepository();
    private final Clock clock;

    public KnowledgeService(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void seed(Tenant tenant) {
        createRobot(tenant.db(), DEFAULT_ROBOT, "智能客服机器人", true);
    }

    /** Creates a robot with its preset categories, in one transaction; false when it already exists. */
    boolean createRobot(TenantDb db, String robotId, String nick, boolean isDefault) {
        long now = clock.millis();
        return db.inTransaction(tx -> {
            if (!repository.insertRobot(tx, robotId, nick, isDefault, now)) {
                return false;
            }
            repository.insertCategory(tx, robotId, Library.FAQ, nextCategoryId(tx), 0, ALL_CATEGORIES, Category.ALL, now);
            repository.insertCategory(tx, robotId, Library.FAQ, nextCategoryId(tx), 0, PRESET_FAQ, Category.ORDINARY, now);
            long root = nextCategoryId(tx);
            repository.insertCategory(tx, robotId, Library.CHITCHAT, root, 0, PRESET_CHITCHAT_ROOT, Category.PRESET, now);
            repository.insertCategory(tx, robotId, Library.CHITCHAT, nextCategoryId(tx), 0, ALL_CATEGORIES, Category.ALL, now);
            for (String title : PRESET_CHITCHAT) {
                repository.insertCategory(tx, robotId, Library.CHITCHAT, nextCategoryId(tx), root, title, Category.PRESET, now);
            }
            return true;
        });
    }

    public List<Category> categories(Tenant tenant, String robotId, Library library) {
        requireRobot(tenant.db(), robotId);
        return repository.categories(tenant.db(), robotId, library);
    }

    /**
     * Adds an ordinary category, top-level or under a top-level ordinary one (the console
     * supports two levels; the preset tree and the "all" node take no children).
     */
    public long addCategory(Tenant tenant, String robotId, Library library, String title, long parentId) {
        String clean = title(title);
        return tenant.db().inTransaction(tx -> {
            requireRobot(tx, robotId);
            if (parentId != 0) {
                Category parent = repository.findCategory(tx, robotId, library, parentId).orElseThrow(() ->
                        new InvalidRequest("ParentId " + parentId + " is not a " + library.label() + " category of robot " + robotId));
                if (parent.parentId() != 0) {
                    throw new InvalidRequest("ParentId " + parentId + " is a second-level category; categories have at most two levels");
                }
                if (parent.isProtected()) {
                    throw new InvalidRequest("ParentId " + parentId + " (" + parent.title() + ") is a system category and takes no children");
                }
            }
            long id = nextCategoryId(tx);
            repository.insertCategory(tx, robotId, library, id, parentId, clean, Category.ORDINARY, clock.millis());
            return id;
        });
    }

    public void renameCategory(Tenant tenant, String robotId, Library library, long categoryId, String title) {
        String clean = title(title);
        tenant.db().inTransaction(tx -> {
            Category category = changeable(tx, robotId, library, categoryId, "renamed");
            repository.renameCategory(tx, robotId, library, category.categoryId(), clean, clock.millis());
            return null;
        });
    }

    /** Deletes a category with its second-level categories (and, with them, their questions). */
    public void deleteCategory(Tenant tenant, String robotId, Library library, long categoryId) {
        tenant.db().inTransaction(tx -> {
            Category category = changeable(tx, robotId, library, categoryId, "deleted");
            repository.deleteCategoryTree(tx, robotId, library, category.categoryId());
            return null;
        });
    }

    private Category changeable(TenantDb db, String robotId, Library library, long categoryId, String verb) {
        requireRobot(db, robotId);
        Category category = repository.findCategory(db, robotId, library, categoryId).orElseThrow(() ->
                new InvalidRequest("CategoryId " + categoryId + " is not a " + library.label() + " category of robot " + robotId));
        if (category.isProtected()) {
            throw new DeskException(DeskError.ROBOT_PRESET_CATEGORY, "category " + categoryId + " (" + category.title()
                    + ") is a system " + (category.menuType() == Category.ALL ? "node" : "preset category") + " and cannot be " + verb);
        }
        return category;
    }

    private void requireRobot(TenantDb db, String robotId) {
        if (!repository.robotExists(db, robotId)) {
            throw new InvalidRequest("RobotId " + robotId + " does not exist");
        }
    }

    private static long nextCategoryId(TenantDb db) {
        return db.nextId("kb_category", FIRST_CATEGORY_ID);
    }

    private static String title(String title) {
        if (title == null || title.isBlank()) {
            throw new InvalidRequest("Title is required");
        }
        String clean = title.strip();
        if (clean.codePointCount(0, clean.length()) > MAX_TITLE_CHARS) {
            throw new InvalidRequest("Title is longer than " + MAX_TITLE_CHARS + " characters");
        }
        return clean;
    }
}
