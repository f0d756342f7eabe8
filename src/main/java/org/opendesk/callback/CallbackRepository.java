package org.opendesk.callback;

import io.helidon.dbclient.DbRow;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.Optional;

/** SQL for an app's callback settings and for writing its outbox, next to the row mapping. */
final class CallbackRepository {
    private static final String FIND = "SELECT url, token, enabled, third_party_robot FROM callback_settings "
            + "WHERE sdkappid = :sdkappid";
    private static final String UPDATE = "UPDATE callback_settings SET url = :url, token = :token, enabled = :enabled, "
            + "third_party_robot = :robot, updated_at = :now WHERE sdkappid = :sdkappid";
    private static final String INSERT = "INSERT INTO callback_settings (sdkappid, url, token, enabled, third_party_robot, "
            + "updated_at) VALUES (:sdkappid, :url, :token, :enabled, :robot, :now)";
    private static final String ENQUEUE = "INSERT INTO callback_outbox (sdkappid, delivery_id, ordering_key, command, payload, "
            + "next_attempt_at, created_at) VALUES (:sdkappid, :delivery, :key, :command, :payload, :now, :now)";

    Optional<CallbackSettings> find(TenantDb db) {
        return db.one("callback-settings-find", FIND, Params.of(), CallbackRepository::settings);
    }

    void save(TenantDb db, CallbackSettings s, long now) {
        Params p = Params.of("url", s.url(), "token", s.token(), "enabled", s.enabled() ? 1 : 0)
                .put("robot", s.thirdPartyRobot() ? 1 : 0).put("now", now);
        if (db.dml("callback-settings-update", UPDATE, p) == 0) {
            db.dml("callback-settings-insert", INSERT, p);
        }
    }

    void enqueue(TenantDb db, String deliveryId, String orderingKey, String command, String payload, long now) {
        db.dml("callback-enqueue", ENQUEUE, Params.of("delivery", deliveryId, "key", orderingKey, "command", command)
                .put("payload", payload).put("now", now));
    }

    private static CallbackSettings settings(DbRow row) {
        return new CallbackSettings(Sql.string(row, "url"), Sql.string(row, "token"), Sql.intValue(row, "enabled") == 1,
                Sql.intValue(row, "third_party_robot") == 1);
    }
}
