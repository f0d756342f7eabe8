package org.opendesk.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.opendesk.conversation.Session;
import org.opendesk.conversation.SessionRepository;
import org.opendesk.json.Json;
import org.opendesk.testing.AdminClient;
import org.opendesk.tenant.Tenant;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the routing load tests share: the business server that answers ChatBot.OnAssignHuman with a
 * priority per user, the burst of concurrent transfer_to_human calls, and the checks of what it left.
 */
final class RoutingLoad {
    static final int SESSIONS = 500;
    static final int MEMBERS = 10;
    static final int SEATS = 5;

    private RoutingLoad() {
    }

    /** The business server's priority of a user (0-9). */
    static int priorityOf(String user) {
        return Math.floorMod(user.hashCode() * 31, 10);
    }

    /** How many ChatBot.OnAssignHuman questions the business servers answered (to tell a fallback from a bug). */
    static final java.util.concurrent.atomic.AtomicInteger ANSWERED = new java.util.concurrent.atomic.AtomicInteger();

    /** A local business server answering ChatBot.OnAssignHuman at /assign with {@link #priorityOf} the user. */
    static HttpServer businessServer() throws IOException {
        HttpServer business = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024); // a backlog for the burst
        business.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        business.createContext("/assign", exchange -> {
            JsonNode req = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            String answer = "{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"Priority\":"
                    + priorityOf(req.path("ClientUserId").asText()) + "}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
            ANSWERED.incrementAndGet();
        });
        business.start();
        return business;
    }

    static String webhook(HttpServer business) {
        return "http://127.0.0.1:" + business.getAddress().getPort() + "/assign";
    }

    /** Fires transfer_to_human for every session at once (session i through clientFor(i)); answers each reply. */
    static Map<String, JsonNode> burst(List<String> sessions, IntFunction<AdminClient> clientFor, String label)
            throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        Map<String, JsonNode> answers = new ConcurrentHashMap<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            String session = sessions.get(i);
            AdminClient client = clientFor.apply(i);
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
        int answeredBefore = ANSWERED.get();
        go.countDown();
        for (Thread t : callers) {
            t.join(TimeUnit.SECONDS.toMillis(120));
        }
        System.out.printf("%s: %d transfer_to_human calls answered in %d ms%n", label, sessions.size(),
                (System.nanoTime() - started) / 1_000_000);
        assertEquals(sessions.size(), answers.size(), "every call answered");
        System.out.printf("%s: the business server answered %d ChatBot.OnAssignHuman questions%n", label,
                ANSWERED.get() - answeredBefore);
        return answers;
    }

    /**
     * The answers assign exactly the seats there are and queue the rest; every member serves exactly
     * its seats (sessions and seat counter) and no session twice; the queue holds the rest in
     * priority-then-arrival order with the business server's priorities.
     */
    static List<Session> assertSeatsFilledAndRestQueued(Map<String, JsonNode> answers, List<String> members,
            SessionRepository repo, Tenant tenant, ToIntFunction<String> seatCount, Map<String, String> userOf) {
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
        assertEquals(answers.size() - MEMBERS * SEATS, queued);
        Set<String> served = new HashSet<>();
        for (String m : members) {
            List<Session> mine = repo.ofAgent(tenant.db(), m);
            assertEquals(SEATS, mine.size(), m + " serves exactly its seats");
            assertEquals(SEATS, seatCount.applyAsInt(m), m + "'s seat count");
            mine.forEach(s -> assertTrue(served.add(s.id()), s.id() + " assigned twice"));
        }
        List<Session> queue = repo.queued(tenant.db(), 1000);
        assertEquals(answers.size() - MEMBERS * SEATS, queue.size());
        for (Session q : queue) {
            assertEquals(priorityOf(userOf.get(q.id())), q.routing().priority(), "the business server's priority for "
                    + q.id() + " (" + userOf.get(q.id()) + "); a fallback to 5 is logged by AssignWebhook with its cause");
        }
        for (int i = 1; i < queue.size(); i++) {
            Session a = queue.get(i - 1);
            Session b = queue.get(i);
            assertTrue(a.routing().priority() < b.routing().priority()
                    || a.routing().priority() == b.routing().priority() && a.routing().queueSeq() < b.routing().queueSeq(),
                    "priority, then arrival");
        }
        return queue;
    }

    /** Waits until every queued user has been told its current position. */
    static void assertPositionsTold(SessionRepository repo, Tenant tenant) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean told = false;
        while (!told && System.nanoTime() < until) {
            List<Session> queue = repo.queued(tenant.db(), 1000);
            Map<String, Integer> positions = HumanService.positions(queue);
            told = queue.stream().allMatch(q -> q.routing().announcedPosition() == positions.get(q.id()));
            if (!told) {
                Thread.sleep(200);
            }
        }
        assertTrue(told, "announced positions match the queue");
    }
}
