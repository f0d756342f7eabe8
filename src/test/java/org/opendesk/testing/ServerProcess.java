package org.opendesk.testing;

import io.helidon.webclient.http1.Http1Client;
import org.opendesk.storage.DbSettings;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real server in a JVM of its own (org.opendesk.Main) on a given database, for kill and restart tests. */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts app A's server on the database and port, logging to {@code log}; answers once /ping answers. */
    public static Process start(DbSettings db, int port, Path log, Map<String, String> extraEnv) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.opendesk.Main");
        Map<String, String> env = pb.environment();
        env.put("DESK_PORT", Integer.toString(port));
        env.put("DESK_HOST", "127.0.0.1");
        env.put("DESK_SDKAPPID", Long.toString(TestDesk.APP_A));
        env.put("DESK_SECRET_KEY", TestDesk.KEY_A);
        env.put("DESK_ADMIN", TestDesk.ADMIN);
        env.put("DESK_DB_URL", db.url());
        env.put("DESK_DB_USER", db.user() == null ? "" : db.user());
        env.put("DESK_DB_PASSWORD", db.password() == null ? "" : db.password());
        env.put("DESK_RATE_LIMITS", "off");
        env.putAll(extraEnv);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        Http1Client http = Http1Client.builder().baseUri("http://127.0.0.1:" + port).build();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new AssertionError("server exited with " + p.exitValue() + "; see " + log);
            }
            try (var res = http.get("/ping").request()) {
                if (res.status().code() == 200) {
                    return p;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("server did not start; see " + log);
    }
}
