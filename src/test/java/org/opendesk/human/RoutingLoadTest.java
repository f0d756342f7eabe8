package org.opendesk.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opendesk.config.DeskConfig;
import org.opendesk.conversation.Session;
import org.opendesk.conversation.SessionState;
import org.opendesk.team.MemberStatus;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.TestNode;
import org.opendesk.tenant.Tenant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    private static final int SESSIONS = RoutingLoad.SESSIONS;
    private static final int MEMBERS = RoutingLoad.MEMBERS;
    private static final int SEATS = RoutingLoad.SEATS;

    @ParameterizedTest(name = "{0} node(s)")
    @ValueSource(ints = {1, 2})
    void fiveHundredConcurrentTransfersFillFiftySeatsAndQueueTheRestInOrder(int nodeCount) throws Exception {
        HttpServer business = RoutingLoad.businessServer();
        // the burst shares two cores with the business server: it gets more than the default 2 s to answer
        DeskConfig config = TestDesk.config(TestDb.fresh(), Map.of("DESK_RATE_LIMITS", "off",
                "DESK_ASSIGN_WEBHOOK_TIMEOUT_MS", "20000"));
        List<TestNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < nodeCount; i++) {
                nodes.add(TestNode.start(config));
            }
            TestNode first = nodes.get(0);
            HumanFixture f = new HumanFixture(first.desk(), first.client());
            f.settings(0, null, null, SEATS);
            List<String> members = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                members.add(f.member("load-" + i + "@load.com", "Agent " + i, MemberStatus.FREE));
            }
            long group = f.group("load-group", members);
            String cs = f.account("load-cs", group, Map.of("AssignmentStrategy", 2, "AssignedByWebhookURL",
                    RoutingLoad.webhook(business)));
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

            long started = System.nanoTime();
            Map<String, JsonNode> answers = RoutingLoad.burst(sessions, i -> nodes.get(i % nodeCount).client(),
                    "RoutingLoadTest on " + nodeCount + " node(s)");
            Tenant tenant = f.tenant;
            var repo = first.desk().conversations().sessions();
            RoutingLoad.assertSeatsFilledAndRestQueued(answers, members, repo, tenant, f::active, userOf);
            RoutingLoad.assertPositionsTold(repo, tenant);
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
            nodes.forEach(TestNode::close);
            business.stop(0);
        }
    }
}
