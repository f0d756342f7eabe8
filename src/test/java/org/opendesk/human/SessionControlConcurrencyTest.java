package org.opendesk.human;

import org.junit.jupiter.api.Test;
import org.opendesk.config.DeskConfig;
import org.opendesk.conversation.Session;
import org.opendesk.team.MemberStatus;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.TestNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * suspend_session, unsuspend_session and transfer_session change seat counts: 300 of them at once,
 * on two nodes over one database, leave every member's seat count equal to the sessions it holds a
 * seat for (served and not suspended), and every session with exactly one member.
 */
class SessionControlConcurrencyTest {
    private static final int SESSIONS = 20;

    @Test
    void concurrentSuspendsUnsuspendsAndTransfersKeepSeatCountsExact() throws Exception {
        DeskConfig config = TestDesk.config(TestDb.fresh(), Map.of("DESK_RATE_LIMITS", "off"));
        try (TestNode a = TestNode.start(config); TestNode b = TestNode.start(config)) {
            HumanFixture f = new HumanFixture(a.desk(), a.client());
            f.settings(0, 60, 0, SESSIONS);
            List<String> members = List.of(f.member("one@sc.com", "One", MemberStatus.FREE),
                    f.member("two@sc.com", "Two", MemberStatus.FREE), f.member("three@sc.com", "Three", MemberStatus.FREE));
            String cs = f.account("sc-cs", f.group("sc-group", members), Map.of());
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                String s = f.session("sc-user-" + i, cs);
                f.transfer(s, Map.of("AgentIdList", List.of(members.get(i % 3))));
                sessions.add(s);
            }
            List<AdminClient> clients = List.of(a.client(), b.client());
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger answered = new AtomicInteger();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> callers = new ArrayList<>();
            Random random = new Random(7);
            for (int i = 0; i < 300; i++) {
                String session = sessions.get(random.nextInt(SESSIONS));
                int op = random.nextInt(3);
                String to = members.get(random.nextInt(3));
                AdminClient client = clients.get(i % 2);
                callers.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    AdminClient.Reply r = switch (op) {
                        case 0 -> client.callA("desk_http_svc", "suspend_session", Map.of("SessionId", session));
                        case 1 -> client.callA("desk_http_svc", "unsuspend_session", Map.of("SessionId", session));
                        default -> client.callA("desk_http_svc", "transfer_session", Map.of("SessionId", session, "MemberId", to));
                    };
                    // a transfer to the member who serves it is refused (141024); nothing else may fail
                    if (!r.ok() && r.code() != 141024) {
                        failures.add(r.raw());
                    }
                    answered.incrementAndGet();
                }));
            }
            go.countDown();
            for (Thread t : callers) {
                t.join();
            }
            assertEquals(300, answered.get());
            assertTrue(failures.isEmpty(), failures.toString());
            var repo = a.desk().conversations().sessions();
            int served = 0;
            for (String m : members) {
                List<Session> mine = repo.ofAgent(f.tenant.db(), m);
                long holding = mine.stream().filter(Session::holdsSeat).count();
                assertEquals(holding, f.active(m), m + ": the seat count is the sessions it holds a seat for");
                served += mine.size();
            }
            assertEquals(SESSIONS, served, "every session with exactly one member");
        }
    }
}
