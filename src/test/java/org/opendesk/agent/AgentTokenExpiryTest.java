package org.opendesk.agent;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.testing.AdminClient.Reply;
import org.opendesk.testing.AgentClient;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.WsClient;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token lifetime (DESK_AGENT_TOKEN_SECONDS, on the server's clock).
 */
@ServerTest
class AgentTokenExpiryTest {
    private static final MutableClock CLOCK = new MutableClock();
    private static Desk desk;
    private final AgentClient agent;
    private final int port;

    AgentTokenExpiryTest(Http1Client http, WebServer server) {
        this.agent = new AgentClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, CLOCK, Map.of("DESK_AGENT_TOKEN_SECONDS", "600"));
    }

    @Test
    void aTokenExpiresAfterTheConfiguredLifetime() throws Exception {
        AgentClient.member(desk, TestDesk.APP_A, "zed@example.com");
        Reply login = agent.login("zed@example.com", AgentClient.PASSWORD);
        assertEquals(600, login.json().path("ExpiresIn").asLong());
        String token = login.json().path("Token").asText();
        CLOCK.advance(Duration.ofSeconds(590));
        assertEquals(200, agent.get("/me", token).status());
        CLOCK.advance(Duration.ofSeconds(60));
        Reply expired = agent.get("/me", token);
        assertEquals(401, expired.status(), expired.raw());
        assertEquals(70001, expired.code(), expired.raw());
        assertTrue(expired.info().contains("log in again"), expired.raw());
        try (WsClient socket = AgentClient.socket(port, token, null)) {
            assertEquals(70001, socket.await("Error").path("ErrorCode").asInt());
            assertTrue(socket.closed.get(5, TimeUnit.SECONDS).startsWith("1008"));
        }
        assertEquals(200, agent.get("/me", agent.token("zed@example.com")).status(), "a new login works");
    }
}
