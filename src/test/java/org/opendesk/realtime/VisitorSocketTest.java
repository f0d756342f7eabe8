package org.opendesk.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The visitor WebSocket: sign-in, acks, pushes to every connection, resume with since, and bad frames. */
@ServerTest
class VisitorSocketTest {
    private static final String IM = "openim";
    private final AdminClient client;
    private final int port;

    VisitorSocketTest(Http1Client http, WebServer server) {
        this.client = new AdminClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    private JsonNode sendmsg(String from, String to, long random, String text) {
        return client.okA(IM, "sendmsg", Map.of("From_Account", from, "To_Account", to, "MsgRandom", random,
                "MsgBody", Bodies.text(text))).json();
    }

    @Test
    void anUnknownUserIsImportedOnFirstSignIn() {
        try (Visitor v = Visitor.a(port, "ws-newcomer")) {
            v.text("你好");
            v.await(f -> "Ack".equals(f.path("Type").asText()), "Ack");
        }
        JsonNode check = client.okA("im_open_login_svc", "account_check", "{\"CheckItem\":[{\"UserID\":\"ws-newcomer\"}]}")
                .json();
        assertEquals("Imported", check.path("ResultItem").path(0).path("AccountStatus").asText());
    }

    @Test
    void everyConnectionOfAUserReceivesEveryMessage() {
        client.okA("im_open_login_svc", "account_import", Map.of("UserID", "ws-peer"));
        try (Visitor phone = Visitor.a(port, "ws-multi"); Visitor laptop = Visitor.a(port, "ws-multi")) {
            sendmsg("ws-peer", "ws-multi", 11, "to both");
            for (Visitor v : List.of(phone, laptop)) {
                JsonNode m = v.await(Visitor.textFrom("ws-peer"), "pushed message").path("Msg");
                assertEquals("to both", Bodies.text(m.path("MsgBody")));
                assertEquals("ws-multi", m.path("ToAccount").asText());
                assertTrue(m.path("MsgSeq").asLong() > 0);
            }
            // what one connection sends, the other sees too (the user's own message, synced)
            phone.send("ws-peer", Bodies.text("from my phone"));
            JsonNode synced = laptop.await(Visitor.msg("Msg", m -> "ws-multi".equals(m.path("FromAccount").asText())),
                    "own message on the other device").path("Msg");
            assertEquals("from my phone", Bodies.text(synced.path("MsgBody")));
        }
    }

    @Test
    void reconnectingWithSinceReplaysWhatWasMissedInOrder() {
        client.okA("im_open_login_svc", "account_import", Map.of("UserID", "ws-sender"));
        long since;
        try (Visitor v = Visitor.a(port, "ws-resume")) {
            sendmsg("ws-sender", "ws-resume", 21, "before");
            since = v.await(Visitor.textFrom("ws-sender"), "before").path("Msg").path("MsgSeq").asLong();
        }
        sendmsg("ws-sender", "ws-resume", 22, "missed 1");
        sendmsg("ws-sender", "ws-resume", 23, "missed 2");
        try (Visitor v = Visitor.a(port, "ws-resume", since)) {
            JsonNode first = v.await(Visitor.textFrom("ws-sender"), "missed 1").path("Msg");
            JsonNode second = v.await(Visitor.textFrom("ws-sender"), "missed 2").path("Msg");
            assertEquals("missed 1", Bodies.text(first.path("MsgBody")));
            assertEquals("missed 2", Bodies.text(second.path("MsgBody")));
            assertTrue(second.path("MsgSeq").asLong() > first.path("MsgSeq").asLong());
            sendmsg("ws-sender", "ws-resume", 24, "live");
            assertEquals("live", Bodies.text(v.await(Visitor.textFrom("ws-sender"), "live").path("Msg").path("MsgBody")));
            assertTrue(v.seen().stream().noneMatch(f -> "before".equals(Bodies.text(f.path("Msg").path("MsgBody")))),
                    "nothing up to since is replayed");
        }
        // a since ahead of the app's sequence (a client of another database) starts now rather than never
        try (Visitor v = Visitor.a(port, "ws-resume", 1_000_000_000L)) {
            sendmsg("ws-sender", "ws-resume", 26, "after a reset");
            assertEquals("after a reset", Bodies.text(v.await(Visitor.textFrom("ws-sender"), "after a reset").path("Msg")
                    .path("MsgBody")));
        }
        // without since, a connection starts with what comes next
        try (Visitor v = Visitor.a(port, "ws-resume")) {
            sendmsg("ws-sender", "ws-resume", 25, "next");
            assertEquals("next", Bodies.text(v.await(Visitor.textFrom("ws-sender"), "next").path("Msg").path("MsgBody")));
            assertEquals(1, v.seen().stream().filter(f -> "Msg".equals(f.path("Type").asText())).count());
        }
    }

    @Test
    void badFramesGetAnErrorAndTheSocketStaysOpen() {
        try (Visitor v = Visitor.a(port, "ws-sloppy")) {
            v.sendRaw("this is not json");
            assertEquals(90001, v.await(f -> "Error".equals(f.path("Type").asText()), "parse error").path("ErrorCode").asInt());
            v.sendRaw("{\"Type\":\"Dance\"}");
            assertEquals(90010, v.await(f -> "Error".equals(f.path("Type").asText()), "type error").path("ErrorCode").asInt());
            v.sendRaw("{\"Type\":\"SendMsg\",\"ToAccount\":\"@customer_service_account\",\"MsgBody\":[]}");
            assertEquals(90005, v.await(f -> "Error".equals(f.path("Type").asText()), "random error").path("ErrorCode").asInt());
            v.sendRaw("{\"Type\":\"SendMsg\",\"ToAccount\":\"@customer_service_account\",\"MsgRandom\":5,\"MsgBody\":{}}");
            JsonNode notArray = v.await(f -> "Error".equals(f.path("Type").asText()), "body error");
            assertEquals(90007, notArray.path("ErrorCode").asInt());
            assertEquals(5, notArray.path("MsgRandom").asLong(), "the error names the frame it answers");
            v.sendRaw("{\"Type\":\"SendMsg\",\"ToAccount\":\"nobody\",\"MsgRandom\":6,\"MsgBody\":[{\"MsgType\":\"TIMTextElem\","
                    + "\"MsgContent\":{\"Text\":\"hi\"}}]}");
            assertEquals(20003, v.await(f -> "Error".equals(f.path("Type").asText()), "unknown peer").path("ErrorCode").asInt());
            long random = v.text("still here");
            assertEquals(random, v.await(f -> "Ack".equals(f.path("Type").asText()), "Ack").path("MsgRandom").asLong());
        }
    }

    @Test
    void aPingGetsAPongWithItsPayloadAndABinaryFrameAnError() {
        try (Visitor v = Visitor.a(port, "ws-pinger")) {
            byte[] payload = "are you there?".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(new String(payload, java.nio.charset.StandardCharsets.UTF_8),
                    new String(v.ping(payload), java.nio.charset.StandardCharsets.UTF_8), "the pong carries the ping's payload");
            v.sendBinary(new byte[] {1, 2, 3});
            assertEquals(90010, v.await("Error").path("ErrorCode").asInt());
            long random = v.text("still open");
            assertEquals(random, v.await("Ack").path("MsgRandom").asLong());
        }
    }

    @Test
    void aBadUserSigIsRefusedWithTheVendorCodeAndAReason() throws Exception {
        try (Visitor v = Visitor.connect(port, TestDesk.APP_A, "ws-intruder", TestDesk.sig(TestDesk.APP_A, TestDesk.KEY_B,
                "ws-intruder", 3600), null);
             Visitor wrongApp = Visitor.connect(port, 999, "ws-intruder", TestDesk.sigA("ws-intruder"), null);
             Visitor cs = Visitor.a(port, "@customer_service_account")) {
            JsonNode error = v.await(f -> "Error".equals(f.path("Type").asText()), "sign-in error");
            assertEquals(70009, error.path("ErrorCode").asInt(), error.toString());
            String closed = v.closed.get(5, TimeUnit.SECONDS);
            assertTrue(closed.startsWith("1008"), closed);
            assertEquals(70020, wrongApp.await(f -> "Error".equals(f.path("Type").asText()), "unknown app").path("ErrorCode")
                    .asInt());
            assertEquals(60004, cs.await(f -> "Error".equals(f.path("Type").asText()), "not a user").path("ErrorCode").asInt());
        }
    }
}
