package org.opendesk.config;

import io.helidon.config.Config;
import org.opendesk.storage.DbSettings;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The server's settings. Each one is read from its environment variable first, then from
 * {@code application.yaml} ({@code desk.*}), then its default; the README lists them all.
 *
 * @param host          DESK_HOST, default 0.0.0.0
 * @param port          DESK_PORT, default 8080 (0 = any free port)
 * @param sdkAppId      DESK_SDKAPPID: the app to create or update at start; null = keep what exists
 * @param secretKey     DESK_SECRET_KEY: that app's key; null = keep the stored one, or generate
 * @param admins        DESK_ADMIN: comma-separated admin identifiers of that app, default administrator
 * @param db            DESK_DB_URL / DESK_DB_USER / DESK_DB_PASSWORD; default embedded H2 under DESK_DATA_DIR
 * @param rateLimits    DESK_RATE_LIMITS: on (vendor limits, default) or off
 * @param maxBodyBytes  DESK_MAX_BODY_BYTES: largest request body accepted, default 1 MiB
 * @param robotIdleSeconds DESK_ROBOT_IDLE_SECONDS: a robot-phase session without messages for this long
 *                      ends (src 20, SessionEnd), default 1800
 * @param agentTokenSeconds DESK_AGENT_TOKEN_SECONDS: how long an agent API token (login) is valid,
 *                      default 28800 (8 hours)
 * @param assignWebhookMillis DESK_ASSIGN_WEBHOOK_TIMEOUT_MS: how long transfer_to_human waits for the business
 *                      server's ChatBot.OnAssignHuman answer before routing by itself, default 2000
 */
public record DeskConfig(String host, int port, Long sdkAppId, String secretKey, List<String> admins,
                         DbSettings db, boolean rateLimits, int maxBodyBytes, int robotIdleSeconds,
                         int agentTokenSeconds, int assignWebhookMillis) {

    public static DeskConfig load(Config yaml, Map<String, String> env) {
        Function<String, String> get = key -> {
            String envName = "DESK_" + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
            String value = env.get(envName);
            if (value == null || value.isBlank()) {
                value = yaml.get("desk." + key).asString().orElse(null);
            }
            return value == null || value.isBlank() ? null : value.trim();
        };
        String dataDir = orDefault(get.apply("data-dir"), "./data");
        String url = get.apply("db.url");
        DbSettings db = url == null ? DbSettings.embedded(dataDir)
                : new DbSettings(url, get.apply("db.user"), get.apply("db.password"),
                parseInt("DESK_DB_POOL_SIZE", orDefault(get.apply("db.pool-size"), "16")));
        String admins = orDefault(get.apply("admin"), "administrator");
        String sdkAppId = get.apply("sdkappid");
        return new DeskConfig(
                orDefault(get.apply("host"), "0.0.0.0"),
                parseInt("DESK_PORT", orDefault(get.apply("port"), "8080")),
                sdkAppId == null ? null : parseSdkAppId(sdkAppId),
                get.apply("secret-key"),
                Arrays.stream(admins.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList(),
                db,
                parseSwitch(orDefault(get.apply("rate-limits"), "on")),
                parseInt("DESK_MAX_BODY_BYTES", orDefault(get.apply("max-body-bytes"), "1048576")),
                positive("DESK_ROBOT_IDLE_SECONDS", parseInt("DESK_ROBOT_IDLE_SECONDS",
                        orDefault(get.apply("robot-idle-seconds"), "1800"))),
                positive("DESK_AGENT_TOKEN_SECONDS", parseInt("DESK_AGENT_TOKEN_SECONDS",
                        orDefault(get.apply("agent-token-seconds"), "28800"))),
                positive("DESK_ASSIGN_WEBHOOK_TIMEOUT_MS", parseInt("DESK_ASSIGN_WEBHOOK_TIMEOUT_MS",
                        orDefault(get.apply("assign-webhook-timeout-ms"), "2000"))));
    }

    private static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }

    private static long parseSdkAppId(String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException("DESK_SDKAPPID must be a positive integer, got '" + value + "'");
    }

    private static boolean parseSwitch(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on", "true", "1", "yes", "vendor" -> true;
            case "off", "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("DESK_RATE_LIMITS must be on or off, got '" + value + "'");
        };
    }
}
