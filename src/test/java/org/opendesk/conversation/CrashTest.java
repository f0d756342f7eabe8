package org.opendesk.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendesk.storage.DbSettings;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.CallbackReceiver;
import org.opendesk.testing.ServerProcess;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.Visitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability: the server process is killed (SIGKILL) or stopped (SIGTERM) in the middle of
 * traffic and started again on the same database. Every message it acknowledged (REST answer or
 * WebSocket Ack) is there, every acknowledged user message gets its robot reply after the restart,
 * and every one reaches the callback receiver as ChatBot.UserSendMsg. A stop finishes the writes
 * in flight before the database closes: no errors in its log.
 */
class CrashTest {
    private static final int REST_USERS = 6;
    private static final int MIN_ACKED = 100;
    @TempDir
    Path dir;
    private Process server;
    private Path log;
    private final CallbackReceiver receiver = new CallbackReceiver();

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
        receiver.close();
    }

    private static int freePort() throws IOException {
        return ServerProcess.freePort();
    }

    /** The real server in its own JVM, on the given database. */
    private Process start(DbSettings db, int port) throws Exception {
        log = dir.resolve("server-" + port + "-" + System.nanoTime() + ".log");
        return ServerProcess.start(db, port, log, Map.of());
    }

    @Test
    void acknowledgedMessagesSurviveAKill() throws Exception {
        survives(false);
    }

    @Test
    void aStopUnderTrafficFinishesItsWritesAndLosesNothing() throws Exception {
        survives(true);
    }

    private void survives(boolean graceful) throws Exception {
        DbSettings db = TestDb.durable(dir);
        int port = freePort();
        server = start(db, port);
        AdminClient client = new AdminClient(Http1Client.builder().baseUri("http://127.0.0.1:" + port).build());
        client.okA("desk_http_svc", "update_callback_settings", Map.of("CallbackUrl", receiver.url(), "CallbackEnable", 1));
        for (int u = 0; u < REST_USERS; u++) {
            client.okA("im_open_login_svc", "account_import", Map.of("UserID", "crash-" + u));
        }

        Map<String, Set<String>> acked = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(REST_USERS + 1);
        for (int u = 0; u < REST_USERS; u++) {
            String user = "crash-" + u;
            Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; running.get(); i++) {
                        Map<String, Object> body = new HashMap<>(Map.of("From_Account", user, "To_Account", Visitor.CS,
                                "MsgRandom", 10_000 + i, "MsgBody", Bodies.text("第 " + i + " 个问题")));
                        try {
                            AdminClient.Reply r = client.callA("openim", "sendmsg", body);
                            if (r.ok()) {
                                acked.computeIfAbsent(user, k -> ConcurrentHashMap.newKeySet()).add(r.json().path("MsgKey").asText());
                            }
                        } catch (RuntimeException | AssertionError killed) {
                            return;
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        Visitor ws = Visitor.a(port, "crash-ws");
        Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; running.get(); i++) {
                    ws.text("网页问题 " + i);
                    Thread.sleep(20);
                }
            } catch (Exception ignored) {
                // the socket dies with the server
            } finally {
                done.countDown();
            }
        });
        // kill once traffic is well under way (a slower database acknowledges fewer per second)
        long killAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Thread.sleep(1_500);
        while (acked.values().stream().mapToInt(Set::size).sum() < MIN_ACKED && System.nanoTime() < killAt) {
            Thread.sleep(100);
        }
        if (graceful) {
            server.destroy(); // SIGTERM mid-traffic
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server stops within 30 s");
            String output = Files.readString(log);
            // requests cut off by the stop are not acknowledged (the clients send them again): INFO at most
            List<String> errors = output.lines().filter(l -> l.contains(" SEVERE ") || l.contains(" WARNING org.opendesk")).toList();
            assertTrue(errors.isEmpty(), "errors while stopping:\n" + output);
        } else {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL mid-traffic
        }
        running.set(false);
        done.await(20, TimeUnit.SECONDS);
        Set<String> wsAcked = new HashSet<>();
        ws.drain(0).stream().filter(f -> "Ack".equals(f.path("Type").asText()))
                .forEach(f -> wsAcked.add(f.path("MsgKey").asText()));
        ws.seen().stream().filter(f -> "Ack".equals(f.path("Type").asText())).forEach(f -> wsAcked.add(f.path("MsgKey").asText()));
        ws.abort();
        acked.put("crash-ws", wsAcked);
        int total = acked.values().stream().mapToInt(Set::size).sum();
        assertTrue(total >= MIN_ACKED, "traffic was flowing when the server died: " + total + " acknowledged");

        server = start(db, port);
        long now = System.currentTimeMillis() / 1000;
        for (Map.Entry<String, Set<String>> e : acked.entrySet()) {
            List<JsonNode> history = history(client, e.getKey(), now);
            Set<String> stored = new HashSet<>();
            history.forEach(m -> stored.add(m.path("MsgKey").asText()));
            assertTrue(stored.containsAll(e.getValue()), e.getKey() + ": acknowledged messages missing after the kill: "
                    + difference(e.getValue(), stored));
        }
        // every stored user message is answered exactly once, also those pending when the server died
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, int[]> counts = new HashMap<>();
        boolean answered = false;
        while (!answered && System.nanoTime() < until) {
            answered = true;
            for (String user : acked.keySet()) {
                int asked = 0;
                int replies = 0;
                for (JsonNode m : history(client, user, now)) {
                    if (user.equals(m.path("From_Account").asText())) {
                        asked++;
                    } else {
                        replies++;
                    }
                }
                counts.put(user, new int[] {asked, replies});
                answered &= asked == replies;
            }
            if (!answered) {
                Thread.sleep(500);
            }
        }
        for (Map.Entry<String, int[]> c : counts.entrySet()) {
            assertEquals(c.getValue()[0], c.getValue()[1], c.getKey() + ": user messages vs robot replies");
        }
        // the callbacks written with the messages are delivered after the restart
        Set<String> all = new HashSet<>();
        acked.values().forEach(all::addAll);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Set<String> called = new HashSet<>();
        while (System.nanoTime() < deadline) {
            called.clear();
            receiver.events().stream().filter(e -> "ChatBot.UserSendMsg".equals(e.path("Event").asText()))
                    .forEach(e -> called.add(e.path("MsgKey").asText()));
            if (called.containsAll(all)) {
                break;
            }
            Thread.sleep(500);
        }
        assertTrue(called.containsAll(all), "callbacks missing: " + difference(all, called).size());
    }

    private static List<JsonNode> history(AdminClient client, String user, long now) {
        List<JsonNode> all = new ArrayList<>();
        String last = null;
        long maxTime = now + 600;
        while (true) {
            Map<String, Object> q = new HashMap<>(Map.of("Operator_Account", user, "Peer_Account", Visitor.CS, "MaxCnt", 100,
                    "MinTime", now - 3600, "MaxTime", maxTime));
            if (last != null) {
                q.put("LastMsgKey", last);
            }
            JsonNode page = client.okA("openim", "admin_getroammsg", q).json();
            page.path("MsgList").forEach(all::add);
            if (page.path("Complete").asInt() == 1 || page.path("MsgCnt").asInt() == 0) {
                return all;
            }
            last = page.path("LastMsgKey").asText();
            maxTime = page.path("LastMsgTime").asLong();
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }

}
