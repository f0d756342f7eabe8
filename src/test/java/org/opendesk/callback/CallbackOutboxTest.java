package org.opendesk.callback;

import com.sun.net.httpserver.HttpServer;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendesk.Desk;
import org.opendesk.Main;
import org.opendesk.config.DeskConfig;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Callback settings and the outbox: events written in a transaction reach a real local
 * receiver, signed, in order per session, exactly once each as far as the receiver's
 * de-duplication by X-Desk-Delivery-Id is concerned, through failures and a restart.
 */
class CallbackOutboxTest {
    private static final String SVC = "desk_http_svc";
    @TempDir
    Path dir;
    private HttpServer receiver;
    private final List<Map<String, String>> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger hangsLeft = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws IOException {
        startReceiver(0);
    }

    private void startReceiver(int port) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        receiver.createContext("/cb", exchange -> {
            Map<String, String> call = new HashMap<>();
            for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                call.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
            call.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            call.put("delivery", exchange.getRequestHeaders().getFirst("X-Desk-Delivery-Id"));
            if (hangsLeft.getAndDecrement() > 0) {
                call.put("answered", "timeout");
                received.add(call);
                try {
                    Thread.sleep(5_000); // longer than the delivery timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            boolean fail = failuresLeft.getAndDecrement() > 0;
            call.put("answered", fail ? "500" : "200");
            received.add(call);
            byte[] answer = (fail ? "{\"ActionStatus\":\"FAIL\",\"ErrorCode\":1}" : "{\"ActionStatus\":\"OK\",\"ErrorCode\":0}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? 500 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/cb";
    }

    private record Node(WebServer server, AdminClient client, Desk desk) implements AutoCloseable {
        static Node start(DeskConfig config) {
            WebServerConfig.Builder builder = WebServer.builder().host("127.0.0.1").port(0);
            Desk desk = Main.setup(builder, config, Clock.systemUTC());
            WebServer server = builder.build().start();
            return new Node(server, new AdminClient(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build()),
                    desk);
        }

        /** Writes events the way conversations will: in a transaction of the app's own database. */
        void enqueue(String session, String... events) {
            var tenant = desk.tenants().find(TestDesk.APP_A).orElseThrow();
            tenant.db().inTransaction(tx -> {
                for (String event : events) {
                    desk.callbacks().enqueue(tx, session, "Desk.SessionEventNotify",
                            "{\"CallbackCommand\":\"Desk.SessionEventNotify\",\"SessionId\":\"" + session + "\",\"Event\":\"" + event + "\"}");
                }
                return null;
            });
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    private List<Map<String, String>> delivered() {
        synchronized (received) {
            return received.stream().filter(c -> "200".equals(c.get("answered"))).toList();
        }
    }

    private void await(int deliveries) throws InterruptedException {
        long until = System.nanoTime() + 20_000_000_000L;
        while (delivered().size() < deliveries && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(deliveries, delivered().size(), "all delivered: " + received);
    }

    @Test
    void settingsAreValidatedStoredAndAnswered() {
        try (Node node = Node.start(TestDesk.config(TestDb.fresh(), Map.of()))) {
            AdminClient.Reply initial = node.client().okA(SVC, "get_callback_settings", "{}");
            assertEquals("", initial.json().path("CallbackUrl").asText());
            assertEquals(0, initial.json().path("CallbackEnable").asInt());
            AdminClient.Reply set = node.client().okA(SVC, "update_callback_settings",
                    Map.of("CallbackUrl", url(), "CallbackToken", "t0ken", "CallbackEnable", 1));
            assertEquals(url(), set.json().path("CallbackUrl").asText());
            assertEquals(1, node.client().okA(SVC, "get_callback_settings", "{}").json().path("CallbackEnable").asInt());
            node.client().okA(SVC, "update_callback_settings", Map.of("ThirdPartyRobotEnable", 1));
            AdminClient.Reply after = node.client().okA(SVC, "get_callback_settings", "{}");
            assertEquals("t0ken", after.json().path("CallbackToken").asText(), "absent fields keep their values");
            assertEquals(1, after.json().path("ThirdPartyRobotEnable").asInt());
            for (String bad : List.of("{\"CallbackUrl\":\"ftp://x\"}", "{\"CallbackUrl\":\"not a url\"}", "{\"CallbackEnable\":2}",
                    "{\"CallbackUrl\":\"\",\"CallbackEnable\":1}", "{\"ThirdPartyRobotEnable\":\"yes\"}")) {
                assertEquals(141004, node.client().callA(SVC, "update_callback_settings", bad).code(), bad);
            }
            assertEquals(0, node.client().callB(SVC, "get_callback_settings", "{}").json().path("CallbackEnable").asInt(),
                    "another app has its own settings");
        }
    }

    @Test
    void eventsArriveSignedInOrderThroughFailures() throws InterruptedException {
        try (Node node = Node.start(TestDesk.config(TestDb.fresh(), Map.of()))) {
            node.enqueue("s0", "Ignored");
            assertEquals(0, node.desk().outbox().backlog(), "nothing is written while callbacks are off");
            node.client().okA(SVC, "update_callback_settings", Map.of("CallbackUrl", url(), "CallbackToken", "t0ken",
                    "CallbackEnable", 1));
            failuresLeft.set(2); // the receiver is down for its first two calls
            node.enqueue("s1", "SessionBegin", "ChatBot.UserSendMsg", "SessionEnd");
            await(3);
            List<String> events = delivered().stream().map(c -> c.get("body").replaceAll(".*\"Event\":\"([^\"]+)\".*", "$1")).toList();
            assertEquals(List.of("SessionBegin", "ChatBot.UserSendMsg", "SessionEnd"), events, "in the order written");
            // the failed attempts were the first event again: the same delivery id, retried
            assertEquals(received.get(0).get("delivery"), received.get(1).get("delivery"));
            assertEquals(received.get(0).get("delivery"), received.get(2).get("delivery"));
            for (Map<String, String> call : delivered()) {
                assertEquals(Long.toString(TestDesk.APP_A), call.get("SdkAppid"));
                assertEquals("Desk.SessionEventNotify", call.get("CallbackCommand"));
                assertEquals("json", call.get("contenttype"));
                assertTrue(call.containsKey("ClientIP") && call.containsKey("OptPlatform"), call.toString());
                assertEquals(OutboxDelivery.sign("t0ken", Long.parseLong(call.get("RequestTime"))), call.get("Sign"));
                assertFalse(call.get("delivery").isBlank());
            }
            assertEquals(3, delivered().stream().map(c -> c.get("delivery")).distinct().count(), "one id per event");
            // the receiver has answered; the outbox marks the event delivered right after
            long until = System.nanoTime() + 5_000_000_000L;
            while (node.desk().outbox().backlog() > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertEquals(0, node.desk().outbox().backlog());
        }
    }

    @Test
    void aReceiverThatTimesOutGetsTheEventAgain() throws InterruptedException {
        try (Node node = Node.start(TestDesk.config(TestDb.fresh(), Map.of()))) {
            node.client().okA(SVC, "update_callback_settings", Map.of("CallbackUrl", url(), "CallbackEnable", 1));
            hangsLeft.set(1); // the receiver hangs on its first call
            node.enqueue("s3", "SessionBegin", "SessionEnd");
            await(2);
            List<String> events = delivered().stream().map(c -> c.get("body").replaceAll(".*\"Event\":\"([^\"]+)\".*", "$1"))
                    .toList();
            assertEquals(List.of("SessionBegin", "SessionEnd"), events, "the later event waited for the timed-out one");
            assertEquals("timeout", received.get(0).get("answered"));
            assertEquals(received.get(0).get("delivery"), delivered().get(0).get("delivery"), "retried under the same id");
        }
    }

    @Test
    void eventsWrittenBeforeARestartAreDeliveredAfterIt() throws InterruptedException, IOException {
        int port;
        DeskConfig config = TestDesk.config(TestDb.durable(dir), Map.of());
        try (Node node = Node.start(config)) {
            node.client().okA(SVC, "update_callback_settings", Map.of("CallbackUrl", url(), "CallbackEnable", 1));
            port = receiver.getAddress().getPort();
            receiver.stop(0); // the receiver is gone while events are written
            node.enqueue("s2", "SessionBegin", "SessionEnd");
            Thread.sleep(500);
            assertEquals(2, node.desk().outbox().backlog());
        }
        startReceiver(port);
        try (Node node = Node.start(config)) {
            await(2);
            assertTrue(delivered().get(0).get("body").contains("SessionBegin"));
            assertTrue(delivered().get(1).get("body").contains("SessionEnd"));
        }
    }

    @Test
    void backoffGrowsWithJitterUpToTenMinutes() {
        for (int attempt = 1; attempt <= 30; attempt++) {
            long ceiling = Math.min(600_000L, 1_000L << Math.min(20, attempt - 1));
            long wait = OutboxDelivery.backoff(attempt).toMillis();
            assertTrue(wait >= ceiling / 2 && wait <= ceiling, attempt + ": " + wait);
        }
    }
}
