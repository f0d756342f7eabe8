package org.opendesk.team;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concurrent team writes over real HTTP: the rules hold when calls race (the app's team lock). */
@ServerTest
class TeamConcurrencyTest {
    private final AdminClient client;
    private final TeamApi api;

    TeamConcurrencyTest(Http1Client http) {
        this.client = new AdminClient(http);
        this.api = new TeamApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    /** Runs n calls at once (released together) and answers their replies in call order. */
    private List<AdminClient.Reply> race(int n, IntFunction<AdminClient.Reply> call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<AdminClient.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.apply(index);
                }));
            }
            go.countDown();
            List<AdminClient.Reply> replies = new ArrayList<>();
            for (Future<AdminClient.Reply> f : futures) {
                replies.add(f.get(120, TimeUnit.SECONDS));
            }
            return replies;
        }
    }

    @Test
    void fiftyConcurrentAddsOfDistinctMembersAllSucceed() throws Exception {
        List<AdminClient.Reply> replies = race(50, i -> api.a("add_member", Map.of("MemberId", "agent" + i + "@example.com",
                "NickName", "Agent " + i, "Roles", List.of("staff"))));
        Set<String> passwords = new HashSet<>();
        for (int i = 0; i < replies.size(); i++) {
            AdminClient.Reply r = replies.get(i);
            assertTrue(r.ok(), "agent" + i + ": " + r.raw());
            assertEquals("agent" + i + "@example.com", r.json().path("MemberId").asText());
            passwords.add(r.json().path("Password").asText());
        }
        assertEquals(50, passwords.size(), "every member got a password of its own");
        Map<String, JsonNode> members = api.members();
        for (int i = 0; i < 50; i++) {
            assertEquals("Agent " + i, members.get("agent" + i + "@example.com").path("NickName").asText());
        }
    }

    @Test
    void twentyConcurrentAddsOfOneGroupNameCreateExactlyOne() throws Exception {
        // five rounds with a name each: without the team lock a round fails about one time in three
        for (int round = 0; round < 5; round++) {
            String name = "Night shift " + round;
            List<AdminClient.Reply> replies = race(20, i -> api.a("add_agent_group", Map.of("Name", name)));
            List<Long> created = new ArrayList<>();
            for (AdminClient.Reply r : replies) {
                if (r.ok()) {
                    created.add(r.json().path("AgentGroupId").asLong());
                } else {
                    TeamApi.assertRefused(r, name, "already");
                }
            }
            assertEquals(1, created.size(), name + ": exactly one add wins: " + created);
            Map<String, JsonNode> groups = api.groups();
            assertEquals(1, groups.values().stream().filter(g -> name.equals(g.path("Name").asText())).count());
            assertTrue(groups.containsKey(Long.toString(created.get(0))));
        }
    }

    @Test
    void concurrentSuperAdministratorAddsLeaveOne() throws Exception {
        List<AdminClient.Reply> replies = race(10, i -> client.callB(TeamApi.SVC, "add_member", AdminClient.json(Map.of(
                "MemberId", "boss" + i + "@example.com", "NickName", "Boss " + i, "Roles", List.of("super_admin")))));
        long won = replies.stream().filter(AdminClient.Reply::ok).count();
        assertEquals(1, won, "one super administrator per app");
        replies.stream().filter(r -> !r.ok()).forEach(r -> TeamApi.assertRefused(r, "super administrator"));
        long superAdmins = api.membersB().values().stream()
                .filter(m -> TeamApi.texts(m.path("Roles")).contains("super_admin")).count();
        assertEquals(1, superAdmins);
    }
}
