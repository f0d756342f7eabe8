package org.opendesk.human;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
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
import org.opendesk.testing.ServerProcess;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server is killed (SIGKILL) while 300 transfer_to_human calls are routed, then started again
 * on the same database: every acknowledged assignment, offer and queue place is there, no member
 * holds more seats than its sessions (nor more than its capacity), no session has two members,
 * every offered session has its accept timer, and the queue keeps one total order.
 */
class RoutingCrashTest {
    private static final int SESSIONS = 300;
    private static final int SEATS = 2;
    @TempDir
    Path dir;
    private Process server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    private static Desk open(DbSettings db) {
        return Desk.start(TestDesk.config(db, Map.of("DESK_RATE_LIMITS", "off")), Clock.systemUTC());
    }

    @Test
    void aKillMidRoutingLosesNoPlaceAndNoSeat() throws Exception {
        DbSettings db = TestDb.durable(dir);
        List<String> members = new ArrayList<>();
        try (Desk desk = open(db)) {
            Tenant tenant = desk.tenants().find(TestDesk.APP_A).orElseThrow();
            desk.team().updateSettings(tenant, new TeamService.SettingsChange(1, 600, 0, SEATS, null));
            for (int i = 0; i < 10; i++) {
                String id = "crash-" + i + "@routing.com";
                desk.team().addMember(tenant, id, "Crash " + i, List.of("staff"));
                desk.human().setStatus(tenant, id, MemberStatus.FREE, "");
                members.add(id);
            }
        }
        int port = ServerProcess.freePort();
        server = ServerProcess.start(db, port, dir.resolve("first.log"), Map.of());
        AdminClient client = new AdminClient(Http1Client.builder().baseUri("http://127.0.0.1:" + port).keepAlive(false).build());
        HumanFixture f = new HumanFixture(null, client);
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            sessions.add(f.session("crash-user-" + i, "@customer_service_account"));
        }
        Map<String, JsonNode> acked = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        for (String s : sessions) {
            Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    AdminClient.Reply r = client.callA("desk_http_svc", "transfer_to_human", Map.of("SessionId", s));
                    if (r.ok()) {
                        acked.put(s, r.json());
                    }
                } catch (RuntimeException | AssertionError | InterruptedException killed) {
                    // the server died under this call: not acknowledged
                }
            });
        }
        go.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acked.size() < 60 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        int acknowledged = acked.size();
        assertTrue(acknowledged >= 60 && acknowledged < SESSIONS, "killed mid-routing: " + acknowledged + " answered");

        server = ServerProcess.start(db, port, dir.resolve("second.log"), Map.of());
        for (Map.Entry<String, JsonNode> e : acked.entrySet()) {
            JsonNode state = client.okA("desk_http_svc", "get_session_state", Map.of("SessionId", e.getKey())).json();
            if (e.getValue().path("IsInQueue").asInt() == 1) {
                assertEquals("Queueing", state.path("CurrentState").asText(), "an acknowledged queue place is kept");
            } else {
                assertEquals("WaitingForAgentAnswering", state.path("CurrentState").asText());
                assertEquals(e.getValue().path("AgentId").asText(), state.path("AgentId").asText(), "the same member");
            }
        }
        server.destroy();
        server.waitFor(30, TimeUnit.SECONDS);

        try (Desk desk = open(db)) {
            Tenant tenant = desk.tenants().find(TestDesk.APP_A).orElseThrow();
            var repo = desk.conversations().sessions();
            Set<String> held = new HashSet<>();
            int seatsHeld = 0;
            for (String m : members) {
                List<Session> mine = repo.ofAgent(tenant.db(), m);
                int active = desk.team().member(tenant.db(), m).orElseThrow().activeSessions();
                assertEquals(mine.size(), active, m + ": the seat count matches its sessions");
                assertTrue(active <= SEATS, m + " above capacity");
                for (Session s : mine) {
                    assertTrue(held.add(s.id()), s.id() + " held by two members");
                    assertEquals(SessionState.WAITING_FOR_AGENT, s.state());
                    assertTrue(new Timers().of(tenant.db(), s.id(), Timers.ACCEPT).isPresent(), s.id() + " offered without its timer");
                }
                seatsHeld += active;
            }
            assertEquals(10 * SEATS, seatsHeld, "every seat was taken before the queue grew");
            List<Session> queue = repo.queued(tenant.db(), 1000);
            Map<Long, String> seqs = new HashMap<>();
            for (Session q : queue) {
                assertTrue(q.routing().queueSeq() > 0);
                assertTrue(seqs.put(q.routing().queueSeq(), q.id()) == null, "one place per queued session");
            }
        }
    }
}
