package org.opendesk.testing;

import com.tencentyun.TLSSigAPIv2;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServerConfig;
import org.opendesk.Desk;
import org.opendesk.Main;
import org.opendesk.agent.Workbench;
import org.opendesk.config.DeskConfig;
import org.opendesk.storage.DbSettings;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Builds test servers through the same {@link Main#setup} as production. */
public final class TestDesk {
    public static final long APP_A = 1_400_000_001L;
    public static final String KEY_A = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    public static final long APP_B = 1_400_000_002L;
    public static final String KEY_B = "0c3a6f7f9b1d2e4c5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b";
    public static final String ADMIN = "administrator";

    private TestDesk() {
    }

    /** App A with its admin, on the given database; extra env entries override. */
    public static DeskConfig config(DbSettings db, Map<String, String> env) {
        Map<String, String> all = new HashMap<>();
        all.put("DESK_PORT", "0");
        all.put("DESK_SDKAPPID", Long.toString(APP_A));
        all.put("DESK_SECRET_KEY", KEY_A);
        all.put("DESK_ADMIN", ADMIN);
        all.put("DESK_DB_URL", db.url());
        all.put("DESK_DB_USER", db.user());
        all.put("DESK_DB_PASSWORD", db.password());
        all.putAll(env);
        return DeskConfig.load(Config.just(ConfigSources.classpath("application.yaml")), all);
    }

    /** Wires app A (and app B as a second tenant) onto the server builder. */
    public static Desk setup(WebServerConfig.Builder server, Clock clock, Map<String, String> env) {
        Desk desk = Main.setup(server, config(TestDb.fresh(), env), clock);
        desk.tenants().upsert(APP_B, KEY_B, List.of(ADMIN));
        return desk;
    }

    /** As {@link #setup(WebServerConfig.Builder, Clock, Map)} with the workbench the agent API calls. */
    public static Desk setup(WebServerConfig.Builder server, Clock clock, Map<String, String> env,
                             Function<Desk, Workbench> workbench) {
        Desk desk = Main.setup(server, config(TestDb.fresh(), env), clock, workbench);
        desk.tenants().upsert(APP_B, KEY_B, List.of(ADMIN));
        return desk;
    }

    /** A UserSig from Tencent's official generator. */
    public static String sig(long sdkAppId, String key, String identifier, long expireSeconds) {
        return new TLSSigAPIv2(sdkAppId, key).genUserSig(identifier, expireSeconds);
    }

    public static String sigA(String identifier) {
        return sig(APP_A, KEY_A, identifier, 86_400);
    }
}
