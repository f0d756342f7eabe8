package org.opendesk.agent;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.config.DeskConfig;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.AgentClient;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.TestNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failed agent logins lock a member: five wrong passwords in a row, then every attempt (the right
 * password too) answers 429 with 70050 for a minute; after it one attempt at a time; the right
 * password clears the count and an administrator's reset_member_password unlocks at once. Attempts
 * are counted before the password is checked, so concurrent guesses on two nodes get at most five
 * password checks.
 */
@ServerTest
class AgentLoginLockoutTest {
    private static final MutableClock CLOCK = new MutableClock();
    private static Desk desk;
    private final AgentClient agent;
    private final AdminClient admin;

    AgentLoginLockoutTest(Http1Client http) {
        this.agent = new AgentClient(http);
        this.admin = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, CLOCK, Map.of("DESK_RATE_LIMITS", "off"));
    }

    private void wrong(String member, int times) {
        for (int i = 0; i < times; i++) {
            AdminClient.Reply r = agent.login(member, "not the password " + i);
            assertEquals(401, r.status(), r.raw());
            assertEquals(60004, r.json().path("ErrorCode").asInt());
        }
    }

    private void locked(String member, String password) {
        AdminClient.Reply r = agent.login(member, password);
        assertEquals(429, r.status(), r.raw());
        assertEquals(70050, r.json().path("ErrorCode").asInt(), r.raw());
        assertTrue(r.json().path("ErrorInfo").asText().contains("retry in"), r.raw());
    }

    @Test
    void fiveWrongPasswordsLockForAMinuteThenOneAttemptAtATime() {
        AgentClient.member(desk, TestDesk.APP_A, "lock@example.com");
        wrong("lock@example.com", 5);
        locked("lock@example.com", AgentClient.PASSWORD);
        CLOCK.advance(Duration.ofSeconds(59));
        locked("lock@example.com", AgentClient.PASSWORD);
        CLOCK.advance(Duration.ofSeconds(2));
        wrong("lock@example.com", 1); // after the lock: one attempt, and a wrong one locks again
        locked("lock@example.com", AgentClient.PASSWORD);
        CLOCK.advance(Duration.ofSeconds(61));
        assertEquals(200, agent.login("lock@example.com", AgentClient.PASSWORD).status(), "the right password after the lock");
        wrong("lock@example.com", 4); // the count started again
        assertEquals(200, agent.login("lock@example.com", AgentClient.PASSWORD).status());
        wrong("lock@example.com", 5);
        locked("lock@example.com", AgentClient.PASSWORD);
    }

    @Test
    void anAdministratorsPasswordResetUnlocks() {
        AgentClient.member(desk, TestDesk.APP_A, "reset@example.com");
        wrong("reset@example.com", 5);
        locked("reset@example.com", AgentClient.PASSWORD);
        String fresh = admin.okA("desk_http_svc", "reset_member_password", Map.of("MemberId", "reset@example.com")).json()
                .path("Password").asText();
        assertEquals(200, agent.login("reset@example.com", fresh).status(), "unlocked with the new one-time password");
    }

    @Test
    void unknownMembersAreNotLockedAndOthersAreNotAffected() {
        AgentClient.member(desk, TestDesk.APP_A, "calm@example.com");
        AgentClient.member(desk, TestDesk.APP_A, "noisy@example.com");
        wrong("noisy@example.com", 5);
        locked("noisy@example.com", AgentClient.PASSWORD);
        assertEquals(200, agent.login("calm@example.com", AgentClient.PASSWORD).status());
        wrong("nobody@example.com", 8); // no member: always the same answer as a wrong password
    }

    @Test
    void concurrentGuessesOnTwoNodesGetAtMostFivePasswordChecks() throws Exception {
        DeskConfig config = TestDesk.config(TestDb.fresh(), Map.of("DESK_RATE_LIMITS", "off"));
        try (TestNode a = TestNode.start(config); TestNode b = TestNode.start(config)) {
            AgentClient.member(a.desk(), TestDesk.APP_A, "race@example.com");
            List<AgentClient> clients = List.of(a.agents(), b.agents());
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger checked = new AtomicInteger();
            AtomicInteger lockedOut = new AtomicInteger();
            List<Thread> guesses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                AgentClient c = clients.get(i % 2);
                String guess = "guess " + i;
                guesses.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    AdminClient.Reply r = c.login("race@example.com", guess);
                    if (r.status() == 401) {
                        checked.incrementAndGet();
                    } else if (r.status() == 429 && r.json().path("ErrorCode").asInt() == 70050) {
                        lockedOut.incrementAndGet();
                    }
                }));
            }
            go.countDown();
            for (Thread t : guesses) {
                t.join();
            }
            assertTrue(checked.get() <= 5, checked + " guesses had their password checked");
            assertEquals(40, checked.get() + lockedOut.get(), "every guess answered 401 or 429");
            assertEquals(429, b.agents().login("race@example.com", AgentClient.PASSWORD).status(), "locked on both nodes");
            assertEquals(429, a.agents().login("race@example.com", AgentClient.PASSWORD).status());
        }
    }
}
