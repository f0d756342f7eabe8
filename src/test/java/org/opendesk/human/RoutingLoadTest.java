package org.opendesk.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opendesk.Desk;
import org.opendesk.Main;
import org.opendesk.config.DeskConfig;
import org.opendesk.conversation.Session;
import org.opendesk.conversation.SessionState;
import org.opendesk.json.Json;
import org.opendesk.team.MemberStatus;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;
import org.opendesk.tenant.Tenant;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing under load, on one node and on two nodes sharing one database: 500 concurrent
 * transfer_to_human calls for 10 members with 5 seats each assign exactly 50 sessions (no member
 * above capacity, no session twice) and queue 450 in priority-then-arrival order (priorities from
 * the business server's ChatBot.OnAssignHuman); as members end sessions, the queue drains in that
 * order and every queued user is told its current position.
 */
class RoutingLoadTest {
    private static final int SESSIONS = 500;
    private static final int MEMBERS = 10;
    private static final int SEATS = 5;

    private record Node(WebServer server, Desk desk, AdminClient client) implements AutoCloseable {
        static Node start(DeskConfig config) {
            WebServerConfig.Builder builder = WebServer.builder().host("127.0.0.1").port(0);
            Desk desk = Main.setup(builder, config, Clock.systemUTC());
            WebServer server = builder.build().start();
            // no keep-alive: Helidon 4.1's client may misread a reused connection under many concurrent callers
            return new Node(server, desk, new AdminClient(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port())
                    .shareConnectionCache(false).keepAlive(false).build()));
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    /** The business server: every session's queue priority is derived from its user (0-9). */
    private static int priorityOf(String user) {
        return Math.floorMod(user.hashCode() * 31, 10);
    }

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void fiveHundredConcurrentTransfersFillFiftySeatsAndQueueTheRestInOrder(int nodeCount) throws Exception {
        HttpServer business = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024); // a backlog for the burst
        business.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        business.createContext("/assign", exchange -> {
            JsonNode req = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            String answer = "{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"Priority\":"
                    + priorityOf(req.path("ClientUserId").asText()) + "}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        business.start();
        DeskConfig config = TestDesk.config(TestDb.fresh(), Map.of("DESK_RATE_LIMITS", "off"));
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < nodeCount; i++) {
                nodes.add(Node.start(config));
            }
            Node first = nodes.get(0);
            HumanFixture f = new HumanFixture(first.desk(), first.client());
            f.settings(0, null, null, SEATS);
            List<String> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                members.add(f.member("load-" + i + "@load.com", "Agent " + i, MemberStatus.FREE));
            }
            long group = f.group("load-group", members);
            String cs = f.account("load-cs", group, Map.of("AssignmentStrategy", 2, "AssignedByWebhookURL",
                    "http://127.0.0.1:" + business.getAddress().getPort() + "/assign"));
            List<String> sessions = new ArrayList<>();
            Map<String, String> userOf = new HashMap<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                List<Future<String>> opened = new ArrayList<>();
                for (int i = 0; i < SESSIONS; i++) {
                    String user = "load-user-" + i;
                    opened.add(pool.submit(() -> f.session(user, cs)));
                }
                for (int i = 0; i < SESSIONS; i++) {
                    String id = opened.get(i).get();
                    sessions.add(id);
                    userOf.put(id, "load-user-" + i);
                }
            }

            CountDownLatch go = new CountDownLatch(1);
            Map<String, JsonNode> answers = new ConcurrentHashMap<>();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                String session = sessions.get(i);
                AdminClient client = nodes.get(i % nodeCount).client();
                callers.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        answers.put(session, client.callA("desk_http_svc", "transfer_to_human",
                                Map.of("SessionId", session)).json());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            long started = System.nanoTime();
            go.countDown();
            for (Thread t : callers) {
                t.join(TimeUnit.SECONDS.toMillis(120));
            }
            System.out.printf("RoutingLoadTest: %d transfer_to_human calls on %d node(s) answered in %d ms%n", SESSIONS,
                    nodeCount, (System.nanoTime() - started) / 1_000_000);
            assertEquals(SESSIONS, answers.size(), "every call answered");
            int assigned = 0;
            int queued = 0;
            for (JsonNode a : answers.values()) {
                assertEquals(0, a.path("ErrorCode").asInt(), a.toString());
                if (a.path("IsInQueue").asInt() == 1) {
                    queued++;
                } else {
                    assertTrue(members.contains(a.path("AgentId").asText()), a.toString());
                    assigned++;
                }
            }
            assertEquals(MEMBERS * SEATS, assigned, "exactly the seats there are");
            assertEquals(SESSIONS - MEMBERS * SEATS, queued);

            Tenant tenant = f.tenant;
            var repo = first.desk().conversations().sessions();
            Set<String> served = new HashSet<>();
            for (String m : members) {
                List<Session> mine = repo.ofAgent(tenant.db(), m);
                assertEquals(SEATS, mine.size(), m + " serves exactly its seats");
                assertEquals(SEATS, f.active(m), m + "'s seat count");
                mine.forEach(s -> assertTrue(served.add(s.id()), s.id() + " assigned twice"));
            }
            List<Session> queue = repo.queued(tenant.db(), 1000);
            assertEquals(SESSIONS - MEMBERS * SEATS, queue.size());
            for (Session q : queue) {
                assertEquals(priorityOf(userOf.get(q.id())), q.routing().priority(), "the business server's priority");
            }
            for (int i = 1; i < queue.size(); i++) {
                Session a = queue.get(i - 1);
                Session b = queue.get(i);
                assertTrue(a.routing().priority() < b.routing().priority()
                        || a.routing().priority() == b.routing().priority() && a.routing().queueSeq() < b.routing().queueSeq(),
                        "priority, then arrival");
            }

            // every queued user is told its current position
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Map<String, Integer> positions = HumanService.positions(queue);
            boolean told = false;
            while (!told && System.nanoTime() < until) {
                told = repo.queued(tenant.db(), 1000).stream()
                        .allMatch(q -> q.routing().announcedPosition() == positions.get(q.id()));
                if (!told) {
                    Thread.sleep(200);
                }
            }
            assertTrue(told, "announced positions match the queue");

            System.out.printf("RoutingLoadTest: positions told after %d ms%n", (System.nanoTime() - started) / 1_000_000);
            // the queue drains in its order as members end sessions (alternating nodes)
            for (int round = 0; round < 60; round++) {
                List<Session> before = repo.queued(tenant.db(), 1000);
                String member = members.get(round % MEMBERS);
                Session ending = repo.ofAgent(tenant.db(), member).get(0);
                nodes.get(round % nodeCount).desk().human().end(tenant, member, ending.id());
                Session next = before.get(0);
                Session now = repo.byId(tenant.db(), next.id()).orElseThrow();
                assertEquals(SessionState.AGENT, now.state(), "round " + round + ": the head of the queue is served");
                assertEquals(member, now.agentId(), "it takes the seat that freed");
                assertEquals(before.size() - 1, repo.queued(tenant.db(), 1000).size());
                for (String m : members) {
                    assertTrue(f.active(m) <= SEATS, m + " above capacity");
                }
            }
            System.out.printf("RoutingLoadTest: drained 60 after %d ms%n", (System.nanoTime() - started) / 1_000_000);
        } finally {
            nodes.forEach(Node::close);
            business.stop(0);
        }
    }
}
