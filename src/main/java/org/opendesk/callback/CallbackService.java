package org.opendesk.callback;

import org.opendesk.rest.Fields;
import org.opendesk.rest.InvalidRequest;
import org.opendesk.storage.ShortCache;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;

import java.time.Clock;
import java.util.UUID;

/**
 * An app's callback settings, and the one way events enter the outbox: {@link #enqueue},
 * called inside the transaction of the change that caused the event, so the event exists
 * exactly when the change does.
 */
public final class CallbackService {
    public static final int MAX_URL_CHARS = 1000;
    public static final int MAX_TOKEN_CHARS = 256;

    private final CallbackRepository repository = new CallbackRepository();
    private final Clock clock;
    private final ShortCache<Boolean, CallbackSettings> live = new ShortCache<>(1_000, 1);

    public CallbackService(Clock clock) {
        this.clock = clock;
    }

    public CallbackSettings settings(TenantDb db) {
        return repository.find(db).orElse(CallbackSettings.NONE);
    }

    /**
     * The settings as every event and message consults them: kept for a second (a change on this
     * node is seen at once, another node's within a second).
     */
    public CallbackSettings liveSettings(TenantDb db) {
        return live.get(db.sdkAppId(), Boolean.TRUE, k -> settings(db));
    }

    /** The fields of update_callback_settings; absent ones keep their values. */
    public record Change(String url, String token, Integer enabled, Integer thirdPartyRobot) {
    }

    public CallbackSettings update(Tenant tenant, Change c) {
        CallbackSettings saved = tenant.db().inTransaction(tx -> {
            CallbackSettings old = settings(tx);
            CallbackSettings updated = new CallbackSettings(c.url() == null ? old.url() : url(c.url()),
                    c.token() == null ? old.token() : token(c.token()), flag("CallbackEnable", c.enabled(), old.enabled()),
                    flag("ThirdPartyRobotEnable", c.thirdPartyRobot(), old.thirdPartyRobot()));
            if (updated.enabled() && updated.url().isEmpty()) {
                throw new InvalidRequest("CallbackEnable 1 needs a CallbackUrl");
            }
            repository.save(tx, updated, clock.millis());
            return updated;
        });
        live.invalidate(tenant.sdkAppId());
        return saved;
    }

    /**
     * Writes an event for the app's callback URL, inside the caller's transaction, when the app
     * receives callbacks; events of one ordering key (a session) are delivered in the order
     * written. Answers the delivery id (sent as X-Desk-Delivery-Id), or null when callbacks are off.
     */
    public String enqueue(TenantDb tx, String orderingKey, String command, String payloadJson) {
        if (!liveSettings(tx).delivering()) {
            return null;
        }
        String deliveryId = UUID.randomUUID().toString();
        repository.enqueue(tx, deliveryId, orderingKey, command, payloadJson, clock.millis());
        return deliveryId;
    }

    private static String url(String raw) {
        String clean = raw.strip();
        if (clean.isEmpty()) {
            return "";
        }
        if (clean.length() > MAX_URL_CHARS) {
            throw new InvalidRequest("CallbackUrl is longer than " + MAX_URL_CHARS + " characters");
        }
        if (!Fields.isHttpUrl(clean)) {
            throw new InvalidRequest("CallbackUrl must be an http or https URL without a fragment, got " + clean);
        }
        return clean;
    }

    private static String token(String raw) {
        String clean = raw.strip();
        if (clean.length() > MAX_TOKEN_CHARS) {
            throw new InvalidRequest("CallbackToken is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        return clean;
    }

    private static boolean flag(String field, Integer value, boolean old) {
        return value == null ? old : Fields.flag(field, value) == 1;
    }
}
