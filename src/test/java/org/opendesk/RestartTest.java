package org.opendesk;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendesk.config.DeskConfig;
import org.opendesk.storage.DbSettings;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data outlives the server: stop, start on the same database, everything is there. */
class RestartTest {
    @TempDir
    Path dir;

    private static void withServer(DeskConfig config, Consumer<AdminClient> body) {
        WebServerConfig.Builder builder = WebServer.builder().host("127.0.0.1").port(0);
        Main.setup(builder, config, Clock.systemUTC());
        WebServer server = builder.build().start();
        try {
            body.accept(new AdminClient(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build()));
        } finally {
            server.stop();
        }
    }

    @Test
    void accountsSurviveARestart() {
        DbSettings db = TestDb.durable(dir);
        DeskConfig config = TestDesk.config(db, Map.of());
        withServer(config, client -> {
            assertTrue(client.callA("im_open_login_svc", "multiaccount_import", "{\"Accounts\":[\"r_1\",\"r_2\"]}").ok());
            assertTrue(client.callA("im_open_login_svc", "account_delete", "{\"DeleteItem\":[{\"UserID\":\"r_2\"}]}").ok());
        });
        withServer(config, client -> {
            AdminClient.Reply reply = client.callA("im_open_login_svc", "account_check",
                    "{\"CheckItem\":[{\"UserID\":\"r_1\"},{\"UserID\":\"r_2\"}]}");
            assertEquals("Imported", reply.json().path("ResultItem").get(0).path("AccountStatus").asText(), reply.raw());
            assertEquals("NotImported", reply.json().path("ResultItem").get(1).path("AccountStatus").asText());
            AdminClient.Reply chat = client.callA("openim_console_http_svc", "desc_chitchat_category", "{}");
            assertEquals(7, chat.json().path("Total").asInt(), "presets are seeded once, not on every start: " + chat.raw());
        });
    }

    @Test
    void aGeneratedAppIsCreatedOnceAndKeptWithItsKey() {
        DbSettings db = TestDb.durable(dir);
        Map<String, String> noApp = Map.of("DESK_SDKAPPID", "", "DESK_SECRET_KEY", "");
        DeskConfig config = TestDesk.config(db, noApp);
        long[] first = new long[1];
        String[] key = new String[1];
        WebServerConfig.Builder builder = WebServer.builder().port(0);
        Desk desk = Main.setup(builder, config, Clock.systemUTC());
        WebServer server = builder.build().start();
        try {
            first[0] = desk.primaryApp();
            key[0] = desk.tenants().find(first[0]).orElseThrow().app().secretKey();
            String welcome = desk.welcome(server.port());
            assertTrue(welcome.contains("Created app " + first[0]), welcome);
            assertTrue(welcome.contains(key[0]), "first start tells the key");
            assertCurlLineWorks(welcome, server.port());
        } finally {
            server.stop();
        }
        WebServerConfig.Builder again = WebServer.builder().port(0);
        Desk second = Main.setup(again, config, Clock.systemUTC());
        WebServer server2 = again.build().start();
        try {
            assertEquals(first[0], second.primaryApp(), "no second app on restart");
            assertEquals(1, second.tenants().apps().size());
            assertEquals(key[0], second.tenants().find(first[0]).orElseThrow().app().secretKey());
            String welcome = second.welcome(server2.port());
            assertTrue(!welcome.contains("Created app"), welcome);
            assertCurlLineWorks(welcome, server2.port());
        } finally {
            server2.stop();
        }
    }

    @Test
    void configuredKeyAndAdminsWinOverStoredOnes() {
        DbSettings db = TestDb.durable(dir);
        withServer(TestDesk.config(db, Map.of()), client -> assertTrue(
                client.callA("im_open_login_svc", "account_import", "{\"UserID\":\"k_1\"}").ok()));
        DeskConfig rotated = TestDesk.config(db, Map.of("DESK_SECRET_KEY", "rotated-key", "DESK_ADMIN", "root_admin"));
        withServer(rotated, client -> {
            Map<String, String> oldSig = AdminClient.query(TestDesk.APP_A, TestDesk.ADMIN, TestDesk.sigA(TestDesk.ADMIN));
            assertEquals(70009, client.call("im_open_login_svc", "account_check", oldSig,
                    "{\"CheckItem\":[{\"UserID\":\"k_1\"}]}").code());
            Map<String, String> newSig = AdminClient.query(TestDesk.APP_A, "root_admin",
                    TestDesk.sig(TestDesk.APP_A, "rotated-key", "root_admin", 3600));
            AdminClient.Reply reply = client.call("im_open_login_svc", "account_check", newSig,
                    "{\"CheckItem\":[{\"UserID\":\"k_1\"},{\"UserID\":\"root_admin\"}]}");
            assertTrue(reply.ok(), reply.raw());
            assertEquals("Imported", reply.json().path("ResultItem").get(0).path("AccountStatus").asText());
            assertEquals("Imported", reply.json().path("ResultItem").get(1).path("AccountStatus").asText());
        });
    }

    /** Runs the printed curl line's request (URL and body) and expects ActionStatus OK. */
    private static void assertCurlLineWorks(String welcome, int port) {
        String line = welcome.lines().filter(l -> l.startsWith("curl ")).findFirst().orElseThrow();
        String url = line.substring(line.indexOf('\'') + 1, line.indexOf('\'', line.indexOf('\'') + 1));
        String body = line.substring(line.lastIndexOf("-d '") + 4, line.length() - 1);
        assertTrue(url.startsWith("http://localhost:" + port + "/v4/im_open_login_svc/account_check?"), url);
        java.net.URI uri = java.net.URI.create(url);
        Http1Client http = Http1Client.builder().baseUri("http://127.0.0.1:" + port).build();
        Map<String, String> query = new java.util.LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv[1]);
        }
        AdminClient.Reply reply = new AdminClient(http).call("im_open_login_svc", "account_check", query, body);
        assertTrue(reply.ok(), reply.raw());
    }
}
