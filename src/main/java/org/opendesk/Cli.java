package org.opendesk;

import io.helidon.config.Config;
import org.opendesk.matching.Embedder;
import org.opendesk.auth.UserSig;
import org.opendesk.config.DeskConfig;
import org.opendesk.storage.Database;
import org.opendesk.tenant.App;
import org.opendesk.tenant.TenantRegistry;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Development and operations sub-commands of the jar:
 * {@code usersig} mints a UserSig, {@code apps} lists apps and keys, {@code app-add}
 * creates or updates an app. They use the same configuration (DESK_DB_URL, ...) as the server.
 */
final class Cli {
    private Cli() {
    }

    static int run(String[] args) {
        quietLogging();
        Map<String, String> opts = options(Arrays.copyOfRange(args, 1, args.length));
        try {
            return switch (args[0]) {
                case "usersig" -> usersig(opts);
                case "apps" -> apps();
                case "app-add" -> appAdd(opts);
                case "help", "--help", "-h" -> usage(0);
                default -> usage(2);
            };
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /** Stdout carries only the command's answer (e.g. the token for $(...)); warnings go to stderr. */
    private static void quietLogging() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler stderr = new ConsoleHandler();
        stderr.setLevel(Level.WARNING);
        root.addHandler(stderr);
        root.setLevel(Level.WARNING);
    }

    private static int usage(int code) {
        (code == 0 ? System.out : System.err).println("""
                usage: java -jar desk-server.jar [serve]                      run the server (default)
                       java -jar desk-server.jar usersig --sdkappid N [--identifier ID] [--key KEY] [--expire SECONDS]
                                                 mint a TLS v2 UserSig (key read from the database when omitted)
                       java -jar desk-server.jar apps                 list apps, their admins and secret keys
                       java -jar desk-server.jar app-add --sdkappid N [--key KEY] [--admin a,b]
                                                 create an app (or update its key and admins)""");
        return code;
    }

    private static int usersig(Map<String, String> opts) {
        long sdkAppId = Long.parseLong(require(opts, "sdkappid"));
        String identifier = opts.getOrDefault("identifier", "administrator");
        long expire = Long.parseLong(opts.getOrDefault("expire", "86400"));
        String key = opts.get("key");
        if (key == null) {
            try (Database db = open()) {
                key = registry(db).find(sdkAppId).map(t -> t.app().secretKey())
                        .orElseThrow(() -> new IllegalArgumentException("no app " + sdkAppId + " in the database; pass --key"));
            }
        }
        System.out.println(UserSig.generate(sdkAppId, key, identifier, expire, System.currentTimeMillis() / 1000));
        return 0;
    }

    private static int apps() {
        try (Database db = open()) {
            List<App> apps = registry(db).apps();
            if (apps.isEmpty()) {
                System.out.println("no apps yet: start the server once, or use app-add");
            }
            for (App app : apps) {
                System.out.println(app.sdkAppId() + "  key=" + app.secretKey() + "  admins=" + app.admins());
            }
        }
        return 0;
    }

    private static int appAdd(Map<String, String> opts) {
        long sdkAppId = Long.parseLong(require(opts, "sdkappid"));
        String key = opts.get("key");
        if (key == null) {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            key = HexFormat.of().formatHex(bytes);
        }
        List<String> admins = Arrays.stream(opts.getOrDefault("admin", "administrator").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        try (Database db = open()) {
            registry(db).upsert(sdkAppId, key, admins);
        }
        System.out.println(sdkAppId + "  key=" + key + "  admins=" + admins);
        return 0;
    }

    private static Database open() {
        return Database.open(DeskConfig.load(Config.create(), System.getenv()).db());
    }

    private static TenantRegistry registry(Database db) {
        return new TenantRegistry(db, Clock.systemUTC(),
                Services.create(Clock.systemUTC(), Embedder.shared()).seeders());
    }

    private static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                opts.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length) {
                opts.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return opts;
    }
}
