package org.opendesk.robot;

import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.List;
import java.util.Optional;

/** SQL for robots, their languages and their per-language configuration, next to its row mapping. */
final class RobotRepository {
    private static final String ROBOT_COLUMNS = "SELECT robot_id, nick_name, is_default, created_at FROM robot ";
    private static final String ROBOT_FIND = ROBOT_COLUMNS + "WHERE sdkappid = :sdkappid AND robot_id = :robot";
    private static final String ROBOT_LIST = ROBOT_COLUMNS + "WHERE sdkappid = :sdkappid ORDER BY created_at, robot_id";
    private static final String ROBOT_COUNT = "SELECT COUNT(*) AS n FROM robot WHERE sdkappid = :sdkappid";
    private static final String ROBOT_INSERT = "INSERT IGNORE INTO robot (sdkappid, robot_id, nick_name, is_default, "
            + "created_at, updated_at) VALUES (:sdkappid, :robot, :nick, :isDefault, :now, :now)";
    /** Customer-service accounts (im_agent, see org.opendesk.imagent) that answer with a robot. */
    private static final String BOUND_ACCOUNTS = "SELECT user_id FROM im_agent WHERE sdkappid = :sdkappid AND robot_id = :robot "
            + "ORDER BY user_id";
    private static final String UNANSWERED_DELETE = "DELETE FROM robot_unanswered WHERE sdkappid = :sdkappid AND robot_id = :robot";
    private static final String ROBOT_DELETE = "DELETE FROM robot WHERE sdkappid = :sdkappid AND robot_id = :robot";
    private static final String LANGUAGE_INSERT = "INSERT IGNORE INTO robot_language (sdkappid, robot_id, language_tag, "
            + "is_default, created_at) VALUES (:sdkappid, :robot, :lang, :isDefault, :now)";
    private static final String LANGUAGE_LIST = "SELECT language_tag, is_default FROM robot_language "
            + "WHERE sdkappid = :sdkappid AND robot_id = :robot ORDER BY is_default DESC, created_at, language_tag";
    private static final String LANGUAGE_DELETE = "DELETE FROM robot_language WHERE sdkappid = :sdkappid AND robot_id = :robot "
            + "AND language_tag = :lang";
    private static final String LANGUAGES_DELETE = "DELETE FROM robot_language WHERE sdkappid = :sdkappid AND robot_id = :robot";
    private static final String CONFIG_FIND = "SELECT config FROM robot_config WHERE sdkappid = :sdkappid AND robot_id = :robot "
            + "AND language_tag = :lang";
    private static final String CONFIG_INSERT = "INSERT IGNORE INTO robot_config (sdkappid, robot_id, language_tag, config, "
            + "updated_at) VALUES (:sdkappid, :robot, :lang, :config, :now)";
    private static final String CONFIG_UPDATE = "UPDATE robot_config SET config = :config, updated_at = :now "
            + "WHERE sdkappid = :sdkappid AND robot_id = :robot AND language_tag = :lang";
    private static final String CONFIG_DELETE = "DELETE FROM robot_config WHERE sdkappid = :sdkappid AND robot_id = :robot "
            + "AND language_tag = :lang";
    private static final String CONFIGS_DELETE = "DELETE FROM robot_config WHERE sdkappid = :sdkappid AND robot_id = :robot";

    /** A robot as listed by desk_get_robot_list. */
    record Robot(String robotId, String nickName, boolean isDefault, long createdAt) {
    }

    /** A language of a robot; the default language has the empty tag. */
    record Language(String tag, boolean isDefault) {
    }

    Optional<Robot> find(TenantDb db, String robotId) {
        return db.one("robot-find", ROBOT_FIND, Params.of("robot", robotId), RobotRepository::robot);
    }

    List<Robot> list(TenantDb db) {
        return db.list("robot-list", ROBOT_LIST, Params.of(), RobotRepository::robot);
    }

    long count(TenantDb db) {
        return db.one("robot-count", ROBOT_COUNT, Params.of(), row -> Sql.longValue(row, "n")).orElse(0L);
    }

    boolean insert(TenantDb db, String robotId, String nick, boolean isDefault, long now) {
        return db.dml("robot-insert", ROBOT_INSERT, Params.of("robot", robotId, "nick", nick, "isDefault", isDefault ? 1 : 0)
                .put("now", now)) > 0;
    }

    List<String> boundAccounts(TenantDb db, String robotId) {
        return db.list("robot-bound-accounts", BOUND_ACCOUNTS, Params.of("robot", robotId), row -> Sql.string(row, "user_id"));
    }

    /** Deletes the robot row with its languages, configuration and unanswered questions (its knowledge goes separately). */
    void delete(TenantDb db, String robotId) {
        Params p = Params.of("robot", robotId);
        db.dml("config-delete-robot", CONFIGS_DELETE, p);
        db.dml("language-delete-robot", LANGUAGES_DELETE, p);
        db.dml("unanswered-delete-robot", UNANSWERED_DELETE, p);
        db.dml("robot-delete", ROBOT_DELETE, p);
    }

    boolean insertLanguage(TenantDb db, String robotId, String tag, boolean isDefault, long now) {
        return db.dml("language-insert", LANGUAGE_INSERT, Params.of("robot", robotId, "lang", tag, "isDefault", isDefault ? 1 : 0)
                .put("now", now)) > 0;
    }

    List<Language> languages(TenantDb db, String robotId) {
        return db.list("language-list", LANGUAGE_LIST, Params.of("robot", robotId),
                row -> new Language(Sql.string(row, "language_tag"), Sql.intValue(row, "is_default") == 1));
    }

    void deleteLanguage(TenantDb db, String robotId, String tag) {
        Params p = Params.of("robot", robotId, "lang", tag);
        db.dml("config-delete", CONFIG_DELETE, p);
        db.dml("language-delete", LANGUAGE_DELETE, p);
    }

    Optional<String> config(TenantDb db, String robotId, String tag) {
        return db.one("config-find", CONFIG_FIND, Params.of("robot", robotId, "lang", tag), row -> Sql.string(row, "config"));
    }

    void insertConfig(TenantDb db, String robotId, String tag, String json, long now) {
        db.dml("config-insert", CONFIG_INSERT, Params.of("robot", robotId, "lang", tag, "config", json).put("now", now));
    }

    /** Writes the configuration of a language; creates the row when it is missing. */
    void saveConfig(TenantDb db, String robotId, String tag, String json, long now) {
        Params p = Params.of("robot", robotId, "lang", tag, "config", json).put("now", now);
        if (db.dml("config-update", CONFIG_UPDATE, p) == 0) {
            db.dml("config-insert", CONFIG_INSERT, p);
        }
    }

    private static Robot robot(io.helidon.dbclient.DbRow row) {
        return new Robot(Sql.string(row, "robot_id"), Sql.string(row, "nick_name"), Sql.intValue(row, "is_default") == 1,
                Sql.longValue(row, "created_at"));
    }
}
