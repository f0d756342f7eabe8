package org.opendesk.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendesk.Desk;
import org.opendesk.conversation.Session;
import org.opendesk.conversation.SessionState;
import org.opendesk.storage.DbSettings;
import org.opendesk.team.MemberStatus;
import org.opendesk.team.TeamService;
import org.opendesk.tenant.Tenant;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.AgentClient;
import org.opendesk.testing.ServerProcess;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.TestNode;

import java.nio.file.Path;
import java.time.Clock;
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
 * The routing load test with two server processes (org.opendesk.Main, each a JVM of its own) on one
 * database: MariaDB in the MariaDB run, the H2 file reached through AUTO_SERVER in the H2 run. The
 * 500 concurrent transfer_to_human calls alternate between the processes; exactly the 50 seats are
 * taken, the other 450 queue in priority-then-arrival order, and as members end sessions through the
 * agent API of either process the queue drains in that order without any member above capacity.
 */
class RoutingTwoProcessTest {
    private static final int SEATS = RoutingLoad.SEATS;
    @TempDir
    Path dir;
    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(Process::destroyForcibly);
    }

    private static Desk open(DbSettings db) {
        return Desk.start(TestDesk.config(db, Map.of("DESK_RATE_LIMITS", "off")), Clock.systemUTC());
    }

    @Test
    void twoProcessesOnOneDatabaseFillFiftySeatsQueueTheRestAndDrainInOrder() throws Exception {
        DbSettings db = TestDb.durable(dir);
        List<String> members = new ArrayList<>();
        long group;
        try (Desk desk = open(db)) {
            Tenant tenant = desk.tenants().find(TestDesk.APP_A).orElseThrow();
            desk.team().updateSettings(tenant, new TeamService.SettingsChange(0, null, null, SEATS, null));
            for (int i = 0; i < RoutingLoad.MEMBERS; i++) {
                String id = "two-" + i + "@routing.com";
                AgentClient.member(desk, TestDesk.APP_A, id);
                desk.human().setStatus(tenant, id, MemberStatus.FREE, "");
                members.add(id);
            }
            group = desk.team().addGroup(tenant, "two-process group", members);
        }
        HttpServer business = RoutingLoad.businessServer();
        try {
            int[] ports = {ServerProcess.freePort(), ServerProcess.freePort()};
            List<AdminClient> clients = new ArrayList<>();
            List<AgentClient> agents = new ArrayList<>();
            for (int i = 0; i < ports.length; i++) {
                // three JVMs share two cores here: the business server gets more than the default 2 s to answer
                servers.add(ServerProcess.start(db, ports[i], dir.resolve("server-" + i + ".log"),
                        Map.of("DESK_ASSIGN_WEBHOOK_TIMEOUT_MS", "20000")));
                clients.add(new AdminClient(TestNode.http(ports[i])));
                agents.add(new AgentClient(TestNode.http(ports[i])));
            }
            HumanFixture f = new HumanFixture(null, clients.get(0));
            String cs = f.account("two-cs", group, Map.of("AssignmentStrategy", 2, "AssignedByWebhookURL",
                    RoutingLoad.webhook(business)));
            List<String> sessions = new ArrayList<>();
            Map<String, String> userOf = new HashMap<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                List<Future<String>> opened = new ArrayList<>();
                for (int i = 0; i < RoutingLoad.SESSIONS; i++) {
                    String user = "two-user-" + i;
                    HumanFixture on = new HumanFixture(null, clients.get(i % 2));
                    opened.add(pool.submit(() -> on.session(user, cs)));
                }
                for (int i = 0; i < RoutingLoad.SESSIONS; i++) {
                    sessions.add(opened.get(i).get());
                    userOf.put(sessions.get(i), "two-user-" + i);
                }
            }
            Map<String, JsonNode> answers = RoutingLoad.burst(sessions, i -> clients.get(i % 2), "RoutingTwoProcessTest");

            // a third node in this JVM reads what the two processes left (and serves queues like any node)
            try (Desk reader = open(db)) {
                Tenant tenant = reader.tenants().find(TestDesk.APP_A).orElseThrow();
                var repo = reader.conversations().sessions();
                RoutingLoad.assertSeatsFilledAndRestQueued(answers, members, repo, tenant,
                        m -> reader.team().member(tenant.db(), m).orElseThrow().activeSessions(), userOf);
                RoutingLoad.assertPositionsTold(repo, tenant);

                // members end sessions through the agent API, alternating between the processes
                Map<String, String[]> tokens = new HashMap<>();
                for (String m : members) {
                    tokens.put(m, new String[] {agents.get(0).token(m), agents.get(1).token(m)});
                }
                for (int round = 0; round < 40; round++) {
                    List<Session> before = repo.queued(tenant.db(), 1000);
                    String member = members.get(round % members.size());
                    Session ending = repo.ofAgent(tenant.db(), member).get(0);
                    AgentClient agent = agents.get(round % 2);
                    AdminClient.Reply r = agent.post("/sessions/" + ending.id() + "/end", tokens.get(member)[round % 2], null);
                    assertEquals(200, r.status(), r.raw());
                    Session next = before.get(0);
                    Session now = repo.byId(tenant.db(), next.id()).orElseThrow();
                    assertEquals(SessionState.AGENT, now.state(), "round " + round + ": the head of the queue is served");
                    assertEquals(member, now.agentId(), "it takes the seat that freed");
                    assertEquals(before.size() - 1, repo.queued(tenant.db(), 1000).size());
                    for (String m : members) {
                        int active = reader.team().member(tenant.db(), m).orElseThrow().activeSessions();
                        assertTrue(active <= SEATS, m + " above capacity");
                        assertEquals(repo.ofAgent(tenant.db(), m).size(), active, m + ": the seat count matches its sessions");
                    }
                }
            }
        } finally {
            business.stop(0);
        }
    }
}
