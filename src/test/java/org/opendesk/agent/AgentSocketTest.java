package org.opendesk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.json.Json;
import org.opendesk.team.TeamService;
import org.opendesk.tenant.Tenant;
import org.opendesk.testing.AgentClient;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.WsClient;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent WebSocket: the token checked before the upgrade, events of the agent event log pushed
 * in order to their member only, a reconnect with since replaying exactly what was missed, pings,
 * frames the socket does not take, and sockets closed when their member is forced offline.
 */
@ServerTest
class AgentSocketTest {
    private static final String SESSION = "3e7c1d52-9a4b-4c6d-8e0f-1a2b3c4d5e6f";
    private static Desk desk;
    private final AgentClient agent;
    private final int port;

    AgentSocketTest(Http1Client http, WebServer server) {
        this.agent = new AgentClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, Clock.systemUTC(), Map.of());
    }

    /** Appends events in one transaction, as the human service does, and wakes the tail; answers their seqs. */
    static List<Long> append(Desk desk, String memberId, String type, String... texts) {
        Tenant tenant = desk.tenants().find(TestDesk.APP_A).orElseThrow();
        List<Long> seqs = tenant.db().inGroupTransaction(tx -> {
            List<Long> out = new java.util.ArrayList<>();
            for (String text : texts) {
                ObjectNode payload = Json.mapper().createObjectNode().put("Text", text).put("Type", "not the type");
                out.add(desk.agentEvents().append(tx, memberId, type, SESSION, payload));
            }
            return out;
        });
        desk.agentEvents().committed(tenant);
        return seqs;
    }

    private static JsonNode event(WsClient socket, String text) {
        return socket.await(f -> text.equals(f.path("Text").asText()), "event " + text);
    }

    @Test
    void eventsArriveInOrderOnlyToTheirMember() {
        AgentClient.member(desk, TestDesk.APP_A, "sam@example.com");
        AgentClient.member(desk, TestDesk.APP_A, "tom@example.com");
        try (WsClient sam = AgentClient.socket(port, agent.token("sam@example.com"), null);
             WsClient samAgain = AgentClient.socket(port, agent.token("sam@example.com"), null);
             WsClient tom = AgentClient.socket(port, agent.token("tom@example.com"), null)) {
            List<Long> seqs = append(desk, "sam@example.com", "SessionAssigned", "one", "two", "three");
            append(desk, "tom@example.com", "Message", "for tom");
            for (WsClient socket : List.of(sam, samAgain)) {
                JsonNode first = event(socket, "one");
                assertEquals("SessionAssigned", first.path("Type").asText(), "the payload does not override the Type");
                assertEquals(seqs.get(0), first.path("Seq").asLong());
                assertEquals(SESSION, first.path("SessionId").asText());
                assertEquals(seqs.get(1), event(socket, "two").path("Seq").asLong());
                assertEquals(seqs.get(2), event(socket, "three").path("Seq").asLong());
                assertEquals(List.of("one", "two", "three"), socket.seen().stream().map(f -> f.path("Text").asText()).toList(),
                        "in order, nothing else");
            }
            assertEquals("Message", event(tom, "for tom").path("Type").asText());
            assertTrue(sam.drain(300).isEmpty(), "tom's event is not sam's");
            assertEquals(1, tom.seen().size());
        }
    }

    @Test
    void aReconnectWithSinceReplaysExactlyWhatWasMissed() {
        AgentClient.member(desk, TestDesk.APP_A, "una@example.com");
        String token = agent.token("una@example.com");
        long since;
        try (WsClient socket = AgentClient.socket(port, token, null)) {
            append(desk, "una@example.com", "Message", "seen");
            since = event(socket, "seen").path("Seq").asLong();
        }
        append(desk, "una@example.com", "Message", "missed 1", "missed 2");
        append(desk, "una@example.com", "Message", "missed 3");
        try (WsClient socket = AgentClient.socket(port, token, since)) {
            event(socket, "missed 3");
            append(desk, "una@example.com", "Message", "live");
            event(socket, "live");
            socket.drain(300);
            assertEquals(List.of("missed 1", "missed 2", "missed 3", "live"), socket.seen().stream()
                    .map(f -> f.path("Text").asText()).toList(), "no duplicate, no gap, nothing up to since");
        }
        // without since, a socket starts at the present: what came before is not sent
        try (WsClient socket = AgentClient.socket(port, token, null)) {
            append(desk, "una@example.com", "Message", "next");
            event(socket, "next");
            assertEquals(1, socket.seen().size());
        }
    }

    @Test
    void aBadTokenIsRefusedBeforeTheSocketOpens() throws Exception {
        try (WsClient socket = AgentClient.socket(port, "not-a-token", null)) {
            JsonNode error = socket.await("Error");
            assertEquals(70003, error.path("ErrorCode").asInt(), error.toString());
            String closed = socket.closed.get(5, TimeUnit.SECONDS);
            assertTrue(closed.startsWith("1008"), closed);
        }
        TeamService.Added added = desk.team().addMember(desk.tenants().find(TestDesk.APP_A).orElseThrow(), "val@example.com",
                "Val", List.of("staff"));
        String once = agent.login("val@example.com", added.password()).json().path("Token").asText();
        try (WsClient socket = AgentClient.socket(port, once, null)) {
            JsonNode error = socket.await("Error");
            assertEquals(141004, error.path("ErrorCode").asInt(), error.toString());
            assertTrue(error.path("ErrorInfo").asText().contains("/agent/v1/password"), error.toString());
            assertTrue(socket.closed.get(5, TimeUnit.SECONDS).startsWith("1008"));
        }
    }

    @Test
    void aPingGetsAPongAndFramesTheSocketDoesNotTakeGetAnError() {
        AgentClient.member(desk, TestDesk.APP_A, "wes@example.com");
        try (WsClient socket = AgentClient.socket(port, agent.token("wes@example.com"), null)) {
            byte[] payload = "ping 42".getBytes(StandardCharsets.UTF_8);
            assertEquals("ping 42", new String(socket.ping(payload), StandardCharsets.UTF_8));
            socket.sendBinary(new byte[] {0, 1, 2});
            assertEquals(90010, socket.await("Error").path("ErrorCode").asInt());
            socket.sendRaw("{not json");
            assertEquals(90001, socket.await("Error").path("ErrorCode").asInt());
            socket.sendRaw("{\"Type\":\"SendMsg\"}");
            assertEquals(90010, socket.await("Error").path("ErrorCode").asInt());
            append(desk, "wes@example.com", "Message", "still open");
            event(socket, "still open");
        }
    }

    @Test
    void forcingAMemberOfflineClosesItsSockets() throws Exception {
        AgentClient.member(desk, TestDesk.APP_A, "xia@example.com");
        try (WsClient socket = AgentClient.socket(port, agent.token("xia@example.com"), null)) {
            append(desk, "xia@example.com", "Message", "open");
            event(socket, "open");
            desk.team().forceOffline(desk.tenants().find(TestDesk.APP_A).orElseThrow(), "xia@example.com");
            String closed = socket.closed.get(5, TimeUnit.SECONDS);
            assertTrue(closed.startsWith("1008") && closed.contains("forced offline"), closed);
        }
    }
}
