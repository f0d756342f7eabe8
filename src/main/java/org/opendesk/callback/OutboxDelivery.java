package org.opendesk.callback;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantRegistry;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Delivers the outbox: claims due events (FOR UPDATE SKIP LOCKED, so several nodes share the
 * work and never send one event twice at the same time), sends each to its app's callback URL
 * with the query parameters of the seed (SdkAppid, CallbackCommand, contenttype, ClientIP,
 * OptPlatform; RequestTime and Sign = hex SHA-256 of token + RequestTime when the app has a
 * token) and the header X-Desk-Delivery-Id, and records the outcome. An event is sent only
 * when every earlier event of its ordering key is delivered, so one session's events arrive in
 * order. A failed attempt is retried with exponential backoff and jitter (1 s doubling up to
 * 10 minutes); after {@value #MAX_ATTEMPTS} attempts the event is blocked and, with it, the
 * later events of its key stop waiting for it. This is one of the maintenance readers across
 * apps: it only handles rows the outbox holds.
 */
public final class OutboxDelivery {
    private static final Logger LOG = Logger.getLogger(OutboxDelivery.class.getName());
    static final int MAX_ATTEMPTS = 20;
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final int BATCH = 50;
    private static final String CLAIM = "SELECT id, sdkappid, delivery_id, ordering_key, command, payload, attempts "
            + "FROM callback_outbox o WHERE status = 0 AND next_attempt_at <= :now AND NOT EXISTS (SELECT 1 FROM callback_outbox e "
            + "WHERE e.sdkappid = o.sdkappid AND e.ordering_key = o.ordering_key AND e.status = 0 AND e.id < o.id) "
            + "ORDER BY id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED";
    private static final String LEASE_SQL = "UPDATE callback_outbox SET next_attempt_at = :until WHERE id = :id";
    private static final String DELIVERED = "UPDATE callback_outbox SET status = 1, attempts = attempts + 1, delivered_at = :now, "
            + "last_error = '' WHERE id = :id";
    private static final String FAILED = "UPDATE callback_outbox SET status = :status, attempts = attempts + 1, "
            + "next_attempt_at = :next, last_error = :error WHERE id = :id";
    private static final String BACKLOG = "SELECT COUNT(*) AS n FROM callback_outbox WHERE status = 0";

    private record Event(long id, long sdkAppId, String deliveryId, String orderingKey, String command, String payload,
                         int attempts) {
    }

    private final DbClient db;
    private final TenantRegistry tenants;
    private final CallbackService callbacks;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public OutboxDelivery(DbClient db, TenantRegistry tenants, CallbackService callbacks, Clock clock) {
        this.db = db;
        this.tenants = tenants;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    /** Delivers what is due; answers how many events were sent successfully. */
    public int deliverDue() {
        int delivered = 0;
        for (Event e : claim()) {
            delivered += deliver(e) ? 1 : 0;
        }
        return delivered;
    }

    /** Events waiting to be delivered (for health). */
    public long backlog() {
        return db.execute().createNamedGet("outbox-backlog", BACKLOG).execute()
                .map(r -> Sql.longValue(r, "n")).orElse(0L);
    }

    private List<Event> claim() {
        long now = clock.millis();
        DbTransaction tx = db.transaction();
        try {
            List<Event> events;
            try (Stream<DbRow> rows = tx.createNamedQuery("outbox-claim", CLAIM).addParam("now", now).execute()) {
                events = rows.map(r -> new Event(Sql.longValue(r, "id"), Sql.longValue(r, "sdkappid"),
                        Sql.string(r, "delivery_id"), Sql.string(r, "ordering_key"), Sql.string(r, "command"),
                        Sql.string(r, "payload"), Sql.intValue(r, "attempts"))).toList();
            }
            List<Event> first = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (Event e : events) {
                String key = e.sdkAppId() + "/" + e.orderingKey();
                if (!keys.contains(key)) { // one event per key per round: the next follows once this one is through
                    keys.add(key);
                    first.add(e);
                    tx.createNamedDmlStatement("outbox-lease", LEASE_SQL).addParam("until", now + LEASE.toMillis())
                            .addParam("id", e.id()).execute();
                }
            }
            tx.commit();
            return first;
        } catch (RuntimeException ex) {
            tx.rollback();
            throw ex;
        }
    }

    private boolean deliver(Event e) {
        Optional<Tenant> tenant = tenants.find(e.sdkAppId());
        CallbackSettings settings = tenant.map(t -> callbacks.settings(t.db())).orElse(CallbackSettings.NONE);
        String error;
        if (!settings.delivering()) {
            error = "callbacks are off or have no URL";
        } else {
            try {
                HttpResponse<String> response = http.send(request(e, settings), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2 && accepted(response.body())) {
                    db.execute().createNamedDmlStatement("outbox-delivered", DELIVERED).addParam("now", clock.millis())
                            .addParam("id", e.id()).execute();
                    return true;
                }
                error = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
            } catch (java.io.IOException | IllegalArgumentException ex) {
                error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            }
        }
        int attempts = e.attempts() + 1;
        boolean blocked = attempts >= MAX_ATTEMPTS;
        if (blocked) {
            LOG.warning("callback " + e.deliveryId() + " of app " + e.sdkAppId() + " blocked after " + attempts
                    + " attempts: " + error);
        }
        db.execute().createNamedDmlStatement("outbox-failed", FAILED).addParam("status", blocked ? 2 : 0)
                .addParam("next", clock.millis() + backoff(attempts).toMillis()).addParam("error", abbreviate(error))
                .addParam("id", e.id()).execute();
        return false;
    }

    /** 1 s doubling per attempt up to 10 minutes, each wait drawn between half and all of it. */
    static Duration backoff(int attempts) {
        long ceiling = Math.min(600_000L, 1_000L << Math.min(20, Math.max(0, attempts - 1)));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    private HttpRequest request(Event e, CallbackSettings settings) {
        StringBuilder query = new StringBuilder()
                .append("SdkAppid=").append(e.sdkAppId())
                .append("&CallbackCommand=").append(URLEncoder.encode(e.command(), StandardCharsets.UTF_8))
                .append("&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI");
        if (!settings.token().isEmpty()) {
            long requestTime = clock.millis() / 1000;
            query.append("&RequestTime=").append(requestTime).append("&Sign=").append(sign(settings.token(), requestTime));
        }
        String url = settings.url() + (settings.url().contains("?") ? "&" : "?") + query;
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("X-Desk-Delivery-Id", e.deliveryId())
                .POST(HttpRequest.BodyPublishers.ofString(e.payload(), StandardCharsets.UTF_8)).build();
    }

    /** Sign = lowercase hex SHA-256 of the token followed by RequestTime (DESIGN 2.4). */
    public static String sign(String token, long requestTime) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((token + requestTime).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A 2xx answer counts unless it is a JSON envelope with a non-zero ErrorCode. */
    private static boolean accepted(String body) {
        String b = body == null ? "" : body.replace(" ", "");
        int at = b.indexOf("\"ErrorCode\":");
        return at < 0 || b.startsWith("0", at + "\"ErrorCode\":".length());
    }

    private static String abbreviate(String s) {
        String clean = s == null ? "" : s.replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= 400 ? clean : clean.substring(0, 400) + "...";
    }
}
