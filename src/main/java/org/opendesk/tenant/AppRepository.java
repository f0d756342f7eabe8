package org.opendesk.tenant;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import org.opendesk.storage.Durability;
import org.opendesk.storage.Sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The registry of apps. This is the one table that is not tenant data: it says which
 * tenants exist, so it is read before any tenant is known.
 */
final class AppRepository {
    private static final String FIND_APP = "SELECT sdkappid, secret_key FROM desk_app WHERE sdkappid = :sdkappid";
    private static final String FIND_ADMINS = "SELECT identifier FROM desk_app_admin WHERE sdkappid = :sdkappid";
    private static final String ALL_APPS = "SELECT sdkappid, secret_key FROM desk_app ORDER BY sdkappid";
    private static final String ALL_ADMINS = "SELECT sdkappid, identifier FROM desk_app_admin";
    private static final String INSERT_APP = "INSERT INTO desk_app (sdkappid, secret_key, created_at, updated_at) "
            + "VALUES (:sdkappid, :key, :now, :now)";
    private static final String UPDATE_KEY = "UPDATE desk_app SET secret_key = :key, updated_at = :now WHERE sdkappid = :sdkappid";
    private static final String DELETE_ADMINS = "DELETE FROM desk_app_admin WHERE sdkappid = :sdkappid";
    private static final String INSERT_ADMIN = "INSERT INTO desk_app_admin (sdkappid, identifier) VALUES (:sdkappid, :identifier)";

    private final DbClient db;
    private final Durability durability;

    AppRepository(DbClient db, Durability durability) {
        this.durability = durability;
        this.db = db;
    }

    Optional<App> find(long sdkAppId) {
        DbExecute exec = db.execute();
        Optional<String> key = exec.createNamedGet("app-find", FIND_APP).addParam("sdkappid", sdkAppId).execute()
                .map(row -> Sql.string(row, "secret_key"));
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Set<String> admins = new LinkedHashSet<>();
        try (Stream<DbRow> rows = exec.createNamedQuery("app-admins", FIND_ADMINS).addParam("sdkappid", sdkAppId).execute()) {
            rows.forEach(row -> admins.add(Sql.string(row, "identifier")));
        }
        return Optional.of(new App(sdkAppId, key.get(), admins));
    }

    List<App> all() {
        DbExecute exec = db.execute();
        Map<Long, Set<String>> admins = new HashMap<>();
        try (Stream<DbRow> rows = exec.createNamedQuery("app-all-admins", ALL_ADMINS).execute()) {
            rows.forEach(row -> admins.computeIfAbsent(Sql.longValue(row, "sdkappid"), k -> new LinkedHashSet<>())
                    .add(Sql.string(row, "identifier")));
        }
        List<App> apps = new ArrayList<>();
        try (Stream<DbRow> rows = exec.createNamedQuery("app-all", ALL_APPS).execute()) {
            rows.forEach(row -> {
                long id = Sql.longValue(row, "sdkappid");
                apps.add(new App(id, Sql.string(row, "secret_key"), admins.getOrDefault(id, Set.of())));
            });
        }
        return apps;
    }

    /** Inserts a new app, or replaces the key and admins of an existing one, in one transaction. */
    void save(App app, boolean exists, long now) {
        DbTransaction tx = db.transaction();
        try {
            if (exists) {
                tx.createNamedUpdate("app-update-key", UPDATE_KEY).addParam("sdkappid", app.sdkAppId())
                        .addParam("key", app.secretKey()).addParam("now", now).execute();
            } else {
                tx.createNamedInsert("app-insert", INSERT_APP).addParam("sdkappid", app.sdkAppId())
                        .addParam("key", app.secretKey()).addParam("now", now).execute();
            }
            tx.createNamedDelete("app-admins-delete", DELETE_ADMINS).addParam("sdkappid", app.sdkAppId()).execute();
            for (String admin : app.admins()) {
                tx.createNamedInsert("app-admin-insert", INSERT_ADMIN).addParam("sdkappid", app.sdkAppId())
                        .addParam("identifier", admin).execute();
            }
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
        durability.await();
    }
}
