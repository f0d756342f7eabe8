package org.opendesk.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.auth.UserSig;
import org.opendesk.json.Json;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDesk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Postman collection computes UserSigs in JavaScript (a stored zlib stream, since the
 * Postman sandbox has no zlib). The same code lives in postman/usersig.js: this test runs
 * it with node and sends the token to the server, so the collection's tokens are proven
 * to pass our verifier, and checks that the collection carries that exact code.
 */
@ServerTest
class PostmanUserSigTest {
    private final AdminClient client;

    PostmanUserSigTest(Http1Client http) {
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of());
    }

    @Test
    void collectionCarriesTheSharedUserSigCode() throws IOException {
        String shared = sharedBlock(Files.readString(Path.of("postman/usersig.js")));
        JsonNode collection = Json.mapper().readTree(Files.readString(Path.of("postman/desk.postman_collection.json")));
        StringBuilder script = new StringBuilder();
        for (JsonNode event : collection.path("event")) {
            if ("prerequest".equals(event.path("listen").asText())) {
                event.path("script").path("exec").forEach(line -> script.append(line.asText()).append('\n'));
            }
        }
        assertTrue(script.toString().contains(shared), "the pre-request script must contain the SHARED block of usersig.js");
    }

    @Test
    void tokensFromTheCollectionCodeAreAccepted() throws Exception {
        for (String identifier : List.of(TestDesk.ADMIN, "管理员😀")) {
            String token = node("postman/usersig.js", Long.toString(TestDesk.APP_A), identifier, TestDesk.KEY_A);
            UserSig.Claims claims = UserSig.parse(token);
            assertEquals(identifier, claims.identifier());
            assertTrue(claims.verify(TestDesk.KEY_A));
        }
        String token = node("postman/usersig.js", Long.toString(TestDesk.APP_A), TestDesk.ADMIN, TestDesk.KEY_A);
        AdminClient.Reply reply = client.call("im_open_login_svc", "account_check",
                AdminClient.query(TestDesk.APP_A, TestDesk.ADMIN, token), "{\"CheckItem\":[{\"UserID\":\"administrator\"}]}");
        assertTrue(reply.ok(), reply.raw());
        // the published vector, through the same code
        String vector = node("postman/usersig.js", "1400000000", "administrator", "test-key", "1795306371");
        assertEquals("lNuQyvjaYlj7LmowiCj82fZ6epVZpvXG83rmvdap5tE=", UserSig.parse(vector).sig());
    }

    private static String sharedBlock(String source) {
        int begin = source.indexOf('\n', source.indexOf("SHARED BEGIN")) + 1;
        int end = source.lastIndexOf('\n', source.indexOf("SHARED END"));
        assertTrue(begin > 0 && end > begin, "usersig.js has SHARED markers");
        return source.substring(begin, end).strip();
    }

    private static String node(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("node is required to check the Postman collection's UserSig code"
                    + " (it ships with these machines; Debian: apt-get install nodejs)", e);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
