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
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.CallbackReceiver;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session commands of desk_http_svc through the real HTTP stack: transfer_session (to a
 * member, to a group, by the account's group; 141024, 141025, 141001, 141020, 141026, 141005),
 * end_session in every state, suspend_session / unsuspend_session (a suspended session holds no
 * seat, so the queue moves), mark_session in both casings of the seed (Mark at most 200 bytes), and
 * get_session_state showing each of them.
 */
@ServerTest
class SessionControlCommandsTest {
    private static final String SVC = "desk_http_svc";
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();
    private static Desk desk;
    private final AdminClient client;
    private final int port;
    private HumanFixture f;

    SessionControlCommandsTest(Http1Client http, WebServer server) {
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
        client.okA(SVC, "update_callback_settings", Map.of("CallbackUrl", RECEIVER.url(), "CallbackEnable", 1));
        f.settings(0, 60, 0, 5);
    }

    private AdminClient.Reply call(String command, Map<String, Object> body) {
        return client.callA(SVC, command, body);
    }

    private static void refused(AdminClient.Reply r, int code, String says) {
        assertEquals(code, r.code(), r.raw());
        assertTrue(r.json().path("ErrorInfo").asText().contains(says), r.raw());
    }

    private JsonNode state(String session) {
        return client.okA(SVC, "get_session_state", Map.of("SessionId", session)).json();
    }

    /** A session the member serves (transfer_to_human naming it). */
    private String served(String user, String cs, String member) {
        String s = f.session(user, cs);
        assertEquals(member, f.transfer(s, Map.of("AgentIdList", List.of(member))).json().path("AgentId").asText());
        assertEquals("Agent/" + member, f.state(s));
        return s;
    }

    @Test
    void transferSessionMovesAServedSessionToAMemberOrAGroup() {
        String alice = f.member("alice@ts.com", "Alice", MemberStatus.FREE);
        String bob = f.member("bob@ts.com", "Bob", MemberStatus.FREE);
        String carol = f.member("carol@ts.com", "Carol", MemberStatus.FREE);
        long group = f.group("ts-group", List.of(alice, bob, carol));
        long other = f.group("ts-other", List.of(carol));
        String cs = f.account("ts-cs", group, Map.of());
        String s = served("ts-user", cs, alice);

        refused(call("transfer_session", Map.of("SessionId", s, "MemberId", alice)), 141024, "served by");
        refused(call("transfer_session", Map.of("SessionId", s, "GroupId", 987654)), 141020, "GroupId 987654");
        refused(call("transfer_session", Map.of("SessionId", s, "MemberId", "nobody@ts.com")), 141004, "not a member");
        try (Visitor v = Visitor.a(port, "ts-user")) {
            // the vendor's example gives both: MemberId wins, GroupId is checked
            client.okA(SVC, "transfer_session", Map.of("SessionId", s, "GroupId", group, "MemberId", "BOB@ts.com"));
            v.await(TransferToHumanTest.says(cs, "转接人工成功，客服Bob为您服务"), "the user is told who serves now");
        }
        assertEquals("Agent", state(s).path("CurrentState").asText());
        assertEquals(bob, state(s).path("AgentId").asText());
        assertEquals(0, f.active(alice), "the seat it held is free");
        assertEquals(1, f.active(bob));
        JsonNode forward = RECEIVER.await(CallbackReceiver.event(s, "AgentForward"), "AgentForward");
        assertEquals(alice, forward.path("ForwardFromAgentId").asText());
        assertEquals(bob, forward.path("AgentId").asText());
        assertTrue(desk.agentEvents().ofMemberAfter(f.tenant.db(), alice, 0, 1000).stream()
                .anyMatch(e -> e.type().equals("TransferredAway") && e.sessionId().equals(s)));

        // to a group: its free member other than the one serving it
        client.okA(SVC, "transfer_session", Map.of("SessionId", s, "GroupId", other));
        assertEquals("Agent/" + carol, f.state(s));
        // neither: the account's group, longest without a new session first (not Carol, who serves it)
        client.okA(SVC, "transfer_session", Map.of("SessionId", s));
        assertEquals("Agent/" + alice, f.state(s));

        // nobody to take it
        desk.human().setStatus(f.tenant, bob, MemberStatus.BUSY, "");
        desk.human().setStatus(f.tenant, carol, MemberStatus.BUSY, "");
        refused(call("transfer_session", Map.of("SessionId", s)), 141025, "busy");
        desk.human().setStatus(f.tenant, bob, MemberStatus.OFFLINE, "");
        desk.human().setStatus(f.tenant, carol, MemberStatus.OFFLINE, "");
        refused(call("transfer_session", Map.of("SessionId", s)), 141001, "online");
        refused(call("transfer_session", Map.of("SessionId", s, "MemberId", bob)), 141001, "offline");
        assertEquals("Agent/" + alice, f.state(s), "a refused transfer leaves it where it was");
        assertEquals(1, f.active(alice));

        // only a served session
        String robot = f.session("ts-robot-user", cs);
        refused(call("transfer_session", Map.of("SessionId", robot, "MemberId", alice)), 141026, "with the robot");
        refused(call("transfer_session", Map.of("SessionId", "7d6c1c9e-0000-4000-8000-000000000000")), 141005, "does not exist");
        refused(call("transfer_session", Map.of("SessionId", "not-a-session")), 141004, "not a session id");
        refused(call("transfer_session", Map.of("MemberId", alice)), 141004, "SessionId is required");
    }

    @Test
    void endSessionEndsASessionInEveryState() {
        f.settings(0, 60, 0, 1);
        String dana = f.member("dana@es.com", "Dana", MemberStatus.FREE);
        String cs = f.account("es-cs", f.group("es-group", List.of(dana)), Map.of());
        String s1 = served("es-user-1", cs, dana);
        String s2 = f.session("es-user-2", cs);
        assertEquals(1, f.transfer(s2, Map.of()).json().path("IsInQueue").asInt());
        String s3 = f.session("es-user-3", cs);
        assertEquals(1, f.transfer(s3, Map.of()).json().path("IsInQueue").asInt());
        String robot = f.session("es-user-4", cs);

        try (Visitor v = Visitor.a(port, "es-user-1")) {
            client.okA(SVC, "end_session", Map.of("SessionId", s1));
            v.await(TransferToHumanTest.says(cs, "本次服务已结束"), "EndPrompt");
            v.await(Visitor.src("19"), "src 19");
        }
        refused(call("get_session_state", Map.of("SessionId", s1)), 141005, "");
        RECEIVER.await(CallbackReceiver.event(s1, "SessionEnd"), "SessionEnd");
        assertTrue(RECEIVER.eventNames(s1).contains("SessionAgentEnd"), RECEIVER.eventNames(s1).toString());
        assertEquals("Agent/" + dana, f.state(s2), "the freed seat takes the head of the queue");

        client.okA(SVC, "end_session", Map.of("SessionId", s3)); // queued
        assertEquals("ended", f.state(s3));
        assertTrue(desk.conversations().sessions().queued(f.tenant.db(), 100).isEmpty());
        client.okA(SVC, "end_session", Map.of("SessionId", robot)); // with the robot
        assertEquals("ended", f.state(robot));
        RECEIVER.await(CallbackReceiver.event(robot, "SessionEnd"), "SessionEnd of the robot session");
        assertFalse(RECEIVER.eventNames(robot).contains("SessionAgentEnd"), "no member ended it");

        refused(call("end_session", Map.of("SessionId", s1)), 141005, "has ended");
        refused(call("end_session", Map.of()), 141004, "SessionId is required");
        assertEquals(1, f.active(dana), "s2's seat only");
    }

    @Test
    void aSuspendedSessionHoldsNoSeatSoTheQueueMoves() {
        f.settings(0, 60, 0, 1);
        String erin = f.member("erin@ss.com", "Erin", MemberStatus.FREE);
        String finn = f.member("finn@ss.com", "Finn", MemberStatus.FREE);
        String cs = f.account("ss-cs", f.group("ss-group", List.of(erin)), Map.of());
        String s1 = served("ss-user-1", cs, erin);
        String s2 = f.session("ss-user-2", cs);
        assertEquals(1, f.transfer(s2, Map.of()).json().path("IsInQueue").asInt());

        client.okA(SVC, "suspend_session", Map.of("SessionId", s1));
        assertEquals(1, state(s1).path("Suspended").asInt());
        assertEquals("Agent/" + erin, f.state(s1), "still Erin's");
        assertEquals("Agent/" + erin, f.state(s2), "the seat it held took the queued session");
        assertEquals(1, f.active(erin), "s2's seat; the suspended session holds none");
        assertTrue(desk.agentEvents().ofMemberAfter(f.tenant.db(), erin, 0, 1000).stream().map(AgentEventLog.Event::type)
                .anyMatch("Suspended"::equals));
        client.okA(SVC, "suspend_session", Map.of("SessionId", s1)); // again: no error, no second seat freed
        assertEquals(1, f.active(erin));

        client.okA(SVC, "unsuspend_session", Map.of("SessionId", s1));
        assertEquals(0, state(s1).path("Suspended").asInt());
        assertEquals(2, f.active(erin), "it counts again, even above MaxSessionsPerAgent 1");
        client.okA(SVC, "unsuspend_session", Map.of("SessionId", s1));
        assertEquals(2, f.active(erin));

        // a suspended session transferred: the taker holds a seat for it, the previous member frees none
        client.okA(SVC, "suspend_session", Map.of("SessionId", s1));
        assertEquals(1, f.active(erin));
        client.okA(SVC, "transfer_session", Map.of("SessionId", s1, "MemberId", finn));
        assertEquals(1, f.active(erin));
        assertEquals(1, f.active(finn));
        assertEquals(0, state(s1).path("Suspended").asInt(), "not suspended with its new member");
        // ending a suspended session frees no seat
        client.okA(SVC, "suspend_session", Map.of("SessionId", s1));
        assertEquals(0, f.active(finn));
        client.okA(SVC, "end_session", Map.of("SessionId", s1));
        assertEquals(0, f.active(finn));

        String robot = f.session("ss-robot", cs);
        refused(call("suspend_session", Map.of("SessionId", robot)), 141004, "only a session a member serves");
        refused(call("unsuspend_session", Map.of("SessionId", s1)), 141005, "has ended");
    }

    @Test
    void markSessionTakesBothCasingsOfTheSeedAndKeepsWhatIsOmitted() {
        String gus = f.member("gus@ms.com", "Gus", MemberStatus.FREE);
        String cs = f.account("ms-cs", f.group("ms-group", List.of(gus)), Map.of());
        String s = served("ms-user", cs, gus);
        JsonNode fresh = state(s);
        assertEquals("", fresh.path("Mark").asText());
        assertEquals(0, fresh.path("StarStatus").asInt());
        assertEquals(1, fresh.path("UserTimeoutSwitch").asInt(), "the user reply timeout is on by default");

        client.okA(SVC, "mark_session", Map.of("SessionId", s, "Mark", "mark this session")); // the seed's example 1
        client.okA(SVC, "mark_session", Map.of("sessionId", s, "starStatus", 1, "userTimeoutSwitch", 0)); // example 3
        JsonNode marked = state(s);
        assertEquals("mark this session", marked.path("Mark").asText(), "omitted: unchanged");
        assertEquals(1, marked.path("StarStatus").asInt());
        assertEquals(0, marked.path("UserTimeoutSwitch").asInt());
        client.okA(SVC, "mark_session", Map.of("sessionId", s, "StarStatus", 0, "UserTimeoutSwitch", 1)); // the table's names
        assertEquals(0, state(s).path("StarStatus").asInt());
        assertEquals(1, state(s).path("UserTimeoutSwitch").asInt());
        assertEquals("mark this session", state(s).path("Mark").asText());

        String max = "客".repeat(66) + "ab"; // 198 + 2 = 200 bytes of UTF-8
        client.okA(SVC, "mark_session", Map.of("SessionId", s, "Mark", max));
        assertEquals(max, state(s).path("Mark").asText());
        refused(call("mark_session", Map.of("SessionId", s, "Mark", max + "c")), 141004, "201 bytes");
        refused(call("mark_session", Map.of("SessionId", s, "StarStatus", 2)), 141004, "StarStatus must be 0 or 1");
        refused(call("mark_session", Map.of("SessionId", s, "UserTimeoutSwitch", -1)), 141004, "UserTimeoutSwitch");
        assertEquals(max, state(s).path("Mark").asText(), "a refused call changes nothing");
        Map<String, Object> wrongType = new HashMap<>(Map.of("SessionId", s, "StarStatus", "yes"));
        assertEquals(141004, call("mark_session", wrongType).code());
        refused(call("mark_session", Map.of("SessionId", s, "Mark", 5)), 141004, "Mark"); // a number is no mark: not coerced

        String robot = f.session("ms-robot", cs); // any open session can be marked
        client.okA(SVC, "mark_session", Map.of("SessionId", robot, "Mark", "vip"));
        assertEquals("vip", state(robot).path("Mark").asText());
        client.okA(SVC, "end_session", Map.of("SessionId", s));
        refused(call("mark_session", Map.of("SessionId", s, "Mark", "late")), 141005, "has ended");
    }
}
