package org.opendesk.human;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.agent.AgentEventLog;
import org.opendesk.team.MemberStatus;
import org.opendesk.team.TeamService;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.CallbackReceiver;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.TestNode;
import org.opendesk.testing.Visitor;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * contact_user through the real server (rule 144): a member opens a human session with a user
 * through a customer-service account, or takes over the user's robot-phase session; IsContactUser
 * in its events; every error code of the seed (141011-141019, 141001, 141004) for what stands in the
 * way, with nothing changed; many concurrent calls fill exactly the seats there are and open one
 * session per user.
 */
@ServerTest
class ContactUserTest {
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();
    private static Desk desk;
    private final AdminClient client;
    private final int port;
    private HumanFixture f;

    ContactUserTest(Http1Client http, WebServer server) {
        this.client = new AdminClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    @BeforeEach
    void fixture() {
        f = new HumanFixture(desk, client);
        client.okA("desk_http_svc", "update_callback_settings", Map.of("CallbackUrl", RECEIVER.url(), "CallbackEnable", 1));
        f.settings(0, 60, 0, 5);
        desk.team().updateSettings(f.tenant, new TeamService.SettingsChange(null, null, null, null, null, null, null, 1));
    }

    private AdminClient.Reply contact(Map<String, Object> body) {
        return client.callA("desk_http_svc", "contact_user", body);
    }

    private String user(String id) {
        client.okA("im_open_login_svc", "account_import", Map.of("UserID", id));
        return id;
    }

    private String state(String user, String cs) {
        JsonNode s = client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", user, "CustomerServiceId", cs))
                .json();
        return s.path("CurrentState").asText() + (s.path("AgentId").asText().isEmpty() ? "" : "/" + s.path("AgentId").asText());
    }

    @Test
    void aMemberOpensAHumanSessionWithAUser() throws Exception {
        String m = f.member("cu-ana@cu.com", "Ana", MemberStatus.FREE);
        String cs = f.account("cu-cs", f.group("cu-group", List.of(m)), Map.of());
        String u = user("cu-user");
        try (Visitor v = Visitor.a(port, u)) {
            // the seed's example spelling: IMAgentUserID, ClientUserID
            AdminClient.Reply r = contact(Map.of("IMAgentUserID", cs, "ClientUserID", u, "MemberId", "CU-Ana@cu.com"));
            assertTrue(r.ok(), r.raw());
            assertEquals(m, r.json().path("MemberId").asText());
            String session = r.json().path("SessionId").asText();
            assertEquals("Agent/" + m, state(u, cs));
            assertEquals(1, f.active(m), "the session takes one of the member's seats");
            v.await(TransferToHumanTest.seat("inSeat"), "src 26 inSeat: a member is connected");
            JsonNode begin = RECEIVER.await(CallbackReceiver.event(session, "SessionBegin"), "SessionBegin");
            assertTrue(begin.path("IsContactUser").asBoolean(), "IsContactUser in SessionBegin");
            desk.human().send(f.tenant, m, session, 42, Bodies.text("您好，您的订单已发货").toString(), "");
            v.await(TransferToHumanTest.says(cs, "您好，您的订单已发货"), "the member's message reaches the user");
            JsonNode sent = RECEIVER.await(CallbackReceiver.event(session, "Human.AgentSendMsg"), "Human.AgentSendMsg");
            assertTrue(sent.path("IsContactUser").asBoolean());
            assertEquals(m, sent.path("AgentId").asText());
            v.send(cs, Bodies.text("好的，谢谢"));
            assertTrue(RECEIVER.await(CallbackReceiver.event(session, "Human.UserSendMsg"), "the user answers")
                    .path("IsContactUser").asBoolean());
            List<AgentEventLog.Event> events = desk.agentEvents().ofMemberAfter(f.tenant.db(), m, 0, 100);
            assertTrue(events.stream().anyMatch(e -> e.type().equals("Assigned") && e.payload().contains("\"ContactUser\":true")),
                    events.toString());
            desk.human().end(f.tenant, m, session);
            assertTrue(RECEIVER.await(CallbackReceiver.event(session, "SessionEnd"), "SessionEnd").path("IsContactUser")
                    .asBoolean());
        }
        assertEquals(0, f.active(m));
    }

    @Test
    void theUsersRobotSessionIsTakenOverAndTheTableSpellingWorks() {
        String m = f.member("cu-ben@cu.com", "Ben", MemberStatus.FREE);
        String cs = f.account("cu-cs2", f.group("cu-group2", List.of(m)), Map.of());
        String robotSession = f.session("cu-user2", cs);
        assertEquals("Chatbot", state("cu-user2", cs));
        AdminClient.Reply r = contact(Map.of("IMAgentUserId", cs, "ClientUserId", "cu-user2"));
        assertTrue(r.ok(), r.raw());
        assertEquals(m, r.json().path("MemberId").asText(), "neither MemberId nor GroupId: a free member of the account's group");
        assertEquals(robotSession, r.json().path("SessionId").asText(), "the open robot-phase session is taken over");
        assertEquals("Agent/" + m, state("cu-user2", cs));
        desk.human().send(f.tenant, m, robotSession, 43, Bodies.text("我来帮您").toString(), "");
        assertTrue(RECEIVER.await(CallbackReceiver.event(robotSession, "Human.AgentSendMsg"), "the member writes")
                .path("IsContactUser").asBoolean(), "events after the takeover carry IsContactUser");
        AdminClient.Reply again = contact(Map.of("IMAgentUserId", cs, "ClientUserId", "cu-user2", "MemberId", m));
        assertEquals(141016, again.code(), "the user is in a human session now: " + again.raw());
    }

    @Test
    void whatStandsInTheWayAnswersTheSeedsCodeAndChangesNothing() {
        String free = f.member("cu-free@cu.com", "Fay", MemberStatus.FREE);
        String resting = f.member("cu-rest@cu.com", "Ray", MemberStatus.REST);
        String offline = f.member("cu-off@cu.com", "Otto", MemberStatus.OFFLINE);
        String full = f.member("cu-full@cu.com", "Phil", MemberStatus.FREE);
        String busy = f.member("cu-busy@cu.com", "Bea", MemberStatus.BUSY);
        long group = f.group("cu-g3", List.of(free, resting, full));
        long offlineGroup = f.group("cu-g3-off", List.of(offline));
        long busyGroup = f.group("cu-g3-busy", List.of(busy));
        long other = f.group("cu-g3-other", List.of(free));
        String cs = f.account("cu-cs3", group, Map.of("AssignmentStrategy", 1, "ChooseSkillGroupPrompt", "请选择",
                "DisplayGroupsChoices", List.of(group, offlineGroup, busyGroup)));
        String u = user("cu-user3");
        for (int i = 0; i < 5; i++) {
            contactOk(cs, user("cu-filler-" + i), full);
        }
        List<Map.Entry<Integer, Map<String, Object>>> cases = List.of(
                Map.entry(141004, Map.of("ClientUserId", u, "MemberId", free)),
                Map.entry(141004, Map.of("IMAgentUserId", cs, "MemberId", free)),
                Map.entry(141004, Map.of("IMAgentUserId", "nobody-cs", "ClientUserId", u)),
                Map.entry(141004, Map.of("IMAgentUserId", cs, "ClientUserId", u, "MemberId", "ghost@cu.com")),
                Map.entry(141004, Map.of("IMAgentUserId", cs, "ClientUserId", u, "GroupId", "x")),
                Map.entry(141004, Map.of("IMAgentUserId", cs, "ClientUserId", 12345)),
                Map.entry(141015, Map.of("IMAgentUserId", cs, "ClientUserId", "never-imported")),
                Map.entry(141015, Map.of("IMAgentUserId", cs, "ClientUserId", cs)),
                Map.entry(141011, Map.of("IMAgentUserId", cs, "ClientUserId", u, "MemberId", offline)),
                Map.entry(141013, Map.of("IMAgentUserId", cs, "ClientUserId", u, "MemberId", resting)),
                Map.entry(141012, Map.of("IMAgentUserId", cs, "ClientUserId", u, "MemberId", full)),
                Map.entry(141019, Map.of("IMAgentUserId", cs, "ClientUserId", u, "GroupId", 999_999)),
                Map.entry(141019, Map.of("IMAgentUserId", cs, "ClientUserId", u, "GroupId", -3)),
                Map.entry(141018, Map.of("IMAgentUserId", cs, "ClientUserId", u, "GroupId", other)),
                Map.entry(141017, Map.of("IMAgentUserId", cs, "ClientUserId", u, "GroupId", offlineGroup)),
                Map.entry(141001, Map.of("IMAgentUserId", cs, "ClientUserId", u, "GroupId", busyGroup)));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, Object>> e : cases) {
            AdminClient.Reply r = contact(e.getValue());
            if (r.code() != e.getKey() || r.info().isBlank() || r.info().contains("Exception")) {
                wrong.add(e.getValue() + " -> " + r.raw() + " (expected " + e.getKey() + ")");
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals("NotInSession", state(u, cs), "no refused call opened a session");
        assertEquals(0, f.active(free) + f.active(resting) + f.active(offline) + f.active(busy));
        assertEquals(5, f.active(full));
        // a busy member named may still contact: busy stops new assignments, not the member's own contact
        contactOk(cs, u, busy);
        // switched off: 141014
        desk.team().updateSettings(f.tenant, new TeamService.SettingsChange(null, null, null, null, null, null, null, 0));
        AdminClient.Reply off = contact(Map.of("IMAgentUserId", cs, "ClientUserId", user("cu-user3b"), "MemberId", free));
        assertEquals(141014, off.code(), off.raw());
        assertEquals("NotInSession", state("cu-user3b", cs));
    }

    private void contactOk(String cs, String user, String member) {
        AdminClient.Reply r = contact(Map.of("IMAgentUserId", cs, "ClientUserId", user, "MemberId", member));
        assertTrue(r.ok(), r.raw());
    }

    @Test
    void concurrentContactsFillExactlyTheSeatsAndOpenOneSessionPerUser() throws Exception {
        String a = f.member("cu-c1@cu.com", "C1", MemberStatus.FREE);
        String b = f.member("cu-c2@cu.com", "C2", MemberStatus.FREE);
        String cs = f.account("cu-cs4", f.group("cu-g4", List.of(a, b)), Map.of());
        int users = 30;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            ids.add(user("cu-many-" + i));
        }
        String same = user("cu-same");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < users + 20; i++) {
            String u = i < users ? ids.get(i) : same;
            calls.add(pool.submit(() -> {
                AdminClient own = new AdminClient(TestNode.http(port));
                go.await();
                return own.callA("desk_http_svc", "contact_user", Map.of("IMAgentUserId", cs, "ClientUserId", u)).code();
            }));
        }
        go.countDown();
        Map<Integer, Integer> codes = new HashMap<>();
        for (Future<Integer> c : calls) {
            codes.merge(c.get(60, TimeUnit.SECONDS), 1, Integer::sum);
        }
        pool.shutdown();
        // 2 members x 5 seats: 10 sessions; the same user asked 20 times is one of them or refused
        int ok = codes.getOrDefault(0, 0);
        assertEquals(10, ok, codes.toString());
        assertEquals(users + 20 - 10, codes.getOrDefault(141001, 0) + codes.getOrDefault(141016, 0), codes.toString());
        assertEquals(5, f.active(a));
        assertEquals(5, f.active(b));
        long served = ids.stream().filter(u -> state(u, cs).startsWith("Agent/")).count()
                + (state(same, cs).startsWith("Agent/") ? 1 : 0);
        assertEquals(10, served, "every OK opened one served session");
        assertFalse(codes.containsKey(141002), "no internal error: " + codes);
    }
}
