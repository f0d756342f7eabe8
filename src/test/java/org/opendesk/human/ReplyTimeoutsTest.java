package org.opendesk.human;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendesk.Desk;
import org.opendesk.conversation.Protocol;
import org.opendesk.conversation.SessionState;
import org.opendesk.message.Message;
import org.opendesk.message.MsgBody;
import org.opendesk.storage.DbSettings;
import org.opendesk.team.MemberStatus;
import org.opendesk.team.TeamService;
import org.opendesk.tenant.Tenant;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.CallbackReceiver;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.TestNode;
import org.opendesk.testing.Visitor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user reply timeout of the human phase (rule 66, UserTimeout 600 s here): counted from the
 * account side's last message (the member's, or send_msg without ExcludeFromUserRespTimeout), stopped
 * by the user's answer, off while suspended or while UserTimeoutSwitch is 0 and counted afresh when
 * back on; it ends the session with TimeoutEndPrompt, src 20, SessionUserTimeoutEnd and SessionEnd,
 * frees the seat, and survives a restart. The agent reply timeout (the desk's AgentReplyTimeout, 0
 * off): counted from the user's first unanswered message, stopped by the account side's answer, off
 * while suspended; it ends the session with EndPrompt, src 20, SessionAgentTimeoutEnd.
 */
@ServerTest
class ReplyTimeoutsTest {
    private static final MutableClock CLOCK = new MutableClock();
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();
    private static final Duration TIMEOUT = Duration.ofSeconds(600);
    private static Desk desk;
    private final AdminClient client;
    private final int port;
    private HumanFixture f;
    @TempDir
    Path dir;

    ReplyTimeoutsTest(Http1Client http, WebServer server) {
        this.client = new AdminClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, CLOCK, Map.of("DESK_RATE_LIMITS", "off"));
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
        desk.team().updateSettings(f.tenant, new TeamService.SettingsChange(null, null, null, null, null, 0));
    }

    /** Lets the timer task run twice (it polls every 500 ms) and asserts the session is still open. */
    private void stillOpen(String session, String why) throws InterruptedException {
        Thread.sleep(1_200);
        assertTrue(f.state(session).startsWith("Agent/"), why + ": " + f.state(session));
    }

    private String served(String user, String cs, String member) {
        String s = f.session(user, cs);
        assertEquals(member, f.transfer(s, Map.of("AgentIdList", List.of(member))).json().path("AgentId").asText());
        return s;
    }

    private void memberSays(String member, String session, String text) {
        desk.human().send(f.tenant, member, session, ThreadLocalRandom.current().nextLong(1, 4_000_000_000L),
                MsgBody.write(Bodies.text(text)), "");
    }

    private void sendMsg(String session, String text, int exclude) {
        client.okA("desk_http_svc", "send_msg", Map.of("SessionId", session, "MsgRandom",
                ThreadLocalRandom.current().nextLong(1, 4_000_000_000L), "MsgBody", Bodies.text(text),
                "ExcludeFromUserRespTimeout", exclude));
    }

    @Test
    void theUserNotAnsweringTheMemberEndsTheSession() throws Exception {
        String m = f.member("ana@urt.com", "Ana", MemberStatus.FREE);
        String cs = f.account("urt-cs", f.group("urt-group", List.of(m)), Map.of());
        String s = served("urt-user", cs, m);
        CLOCK.advance(TIMEOUT.plusSeconds(5));
        stillOpen(s, "no countdown before the account side speaks");
        try (Visitor v = Visitor.a(port, "urt-user")) {
            memberSays(m, s, "请问还在吗");
            CLOCK.advance(TIMEOUT.minusSeconds(1));
            stillOpen(s, "one second before the timeout");
            CLOCK.advance(Duration.ofSeconds(2));
            v.await(TransferToHumanTest.says(cs, "超时结束"), "TimeoutEndPrompt");
            v.await(Visitor.src("20"), "src 20: ended by timeout");
        }
        assertEquals("ended", f.state(s));
        assertEquals(0, f.active(m), "the seat is free");
        RECEIVER.await(CallbackReceiver.event(s, "SessionEnd"), "SessionEnd");
        List<String> events = RECEIVER.eventNames(s);
        assertTrue(events.indexOf("SessionUserTimeoutEnd") >= 0 && events.indexOf("SessionUserTimeoutEnd")
                < events.indexOf("SessionEnd"), events.toString());
        assertEquals("UserTimeout", desk.conversations().sessions().byId(f.tenant.db(), s).orElseThrow().endReason());
    }

    @Test
    void theUsersAnswerStopsTheCountdownAndTheNextMessageStartsItAgain() throws Exception {
        String m = f.member("bo@urt.com", "Bo", MemberStatus.FREE);
        String cs = f.account("urt2-cs", f.group("urt2-group", List.of(m)), Map.of());
        String s = served("urt2-user", cs, m);
        memberSays(m, s, "您好");
        CLOCK.advance(Duration.ofSeconds(300));
        f.say("urt2-user", cs, "在的");
        CLOCK.advance(TIMEOUT);
        stillOpen(s, "the user answered");
        memberSays(m, s, "还有别的问题吗");
        CLOCK.advance(TIMEOUT.plusSeconds(1));
        HumanFixture.eventually(() -> f.state(s).equals("ended"), "the countdown from the member's second message");
    }

    @Test
    void sendMsgCountsUnlessExcluded() throws Exception {
        String m = f.member("cy@urt.com", "Cy", MemberStatus.FREE);
        String cs = f.account("urt3-cs", f.group("urt3-group", List.of(m)), Map.of());
        String s = served("urt3-user", cs, m);
        sendMsg(s, "订单已发货", 1);
        CLOCK.advance(TIMEOUT.plusSeconds(5));
        stillOpen(s, "ExcludeFromUserRespTimeout 1 starts no countdown");
        sendMsg(s, "请确认收货地址", 0);
        CLOCK.advance(TIMEOUT.plusSeconds(1));
        HumanFixture.eventually(() -> f.state(s).equals("ended"), "send_msg counts by default");
    }

    @Test
    void suspensionAndTheSwitchStopItAndItStartsAfreshWhenBack() throws Exception {
        String m = f.member("di@urt.com", "Di", MemberStatus.FREE);
        String cs = f.account("urt4-cs", f.group("urt4-group", List.of(m)), Map.of());
        String s = served("urt4-user", cs, m);
        memberSays(m, s, "稍等我查一下");
        client.okA("desk_http_svc", "suspend_session", Map.of("SessionId", s));
        CLOCK.advance(TIMEOUT.plusSeconds(5));
        stillOpen(s, "suspended");
        client.okA("desk_http_svc", "unsuspend_session", Map.of("SessionId", s));
        CLOCK.advance(TIMEOUT.minusSeconds(1));
        stillOpen(s, "counted afresh from the unsuspend");
        client.okA("desk_http_svc", "mark_session", Map.of("sessionId", s, "userTimeoutSwitch", 0));
        CLOCK.advance(TIMEOUT.multipliedBy(3));
        stillOpen(s, "UserTimeoutSwitch 0");
        client.okA("desk_http_svc", "mark_session", Map.of("SessionId", s, "UserTimeoutSwitch", 1));
        CLOCK.advance(TIMEOUT.minusSeconds(1));
        stillOpen(s, "counted afresh from the switch");
        CLOCK.advance(Duration.ofSeconds(2));
        HumanFixture.eventually(() -> f.state(s).equals("ended"), "ended once back on");

        // back on after the user answered last: no countdown
        String s2 = served("urt4-user-2", cs, m);
        memberSays(m, s2, "您好");
        f.say("urt4-user-2", cs, "我想退货");
        client.okA("desk_http_svc", "mark_session", Map.of("SessionId", s2, "UserTimeoutSwitch", 0));
        client.okA("desk_http_svc", "mark_session", Map.of("SessionId", s2, "UserTimeoutSwitch", 1));
        CLOCK.advance(TIMEOUT.plusSeconds(5));
        stillOpen(s2, "the user spoke last: nothing to wait for");
    }

    @Test
    void anUnansweredUserMessageEndsTheSessionAfterTheAgentReplyTimeout() throws Exception {
        String m = f.member("fay@art.com", "Fay", MemberStatus.FREE);
        String cs = f.account("art-cs", f.group("art-group", List.of(m)), Map.of());
        String s = served("art-user", cs, m);
        f.say("art-user", cs, "有人吗");
        CLOCK.advance(Duration.ofSeconds(400));
        stillOpen(s, "AgentReplyTimeout is 0 (off) by default");

        AdminClient.Reply set = client.okA("desk_http_svc", "update_desk_settings", Map.of("AgentReplyTimeout", 120));
        assertEquals(120, set.json().path("AgentReplyTimeout").asInt());
        assertEquals(120, client.okA("desk_http_svc", "get_desk_settings", Map.of()).json().path("AgentReplyTimeout").asInt());
        f.say("art-user", cs, "请回复");
        CLOCK.advance(Duration.ofSeconds(60));
        f.say("art-user", cs, "还在吗"); // a second unanswered message does not restart it
        CLOCK.advance(Duration.ofSeconds(59));
        stillOpen(s, "119 s after the first unanswered message");
        memberSays(m, s, "在的，请稍等"); // answered: stopped
        CLOCK.advance(Duration.ofSeconds(300));
        stillOpen(s, "answered in time (the member's message started the 600 s user reply timeout instead)");

        f.say("art-user", cs, "好的，那我的退款呢");
        client.okA("desk_http_svc", "suspend_session", Map.of("SessionId", s));
        CLOCK.advance(Duration.ofSeconds(200));
        stillOpen(s, "suspended");
        try (Visitor v = Visitor.a(port, "art-user")) {
            client.okA("desk_http_svc", "unsuspend_session", Map.of("SessionId", s)); // the user waits: counted afresh
            CLOCK.advance(Duration.ofSeconds(119));
            stillOpen(s, "119 s after the unsuspend");
            CLOCK.advance(Duration.ofSeconds(2));
            v.await(TransferToHumanTest.says(cs, "本次服务已结束"), "EndPrompt (not the user-timeout text)");
            v.await(Visitor.src("20"), "src 20: ended by timeout");
        }
        assertEquals("ended", f.state(s));
        assertEquals(0, f.active(m));
        RECEIVER.await(CallbackReceiver.event(s, "SessionEnd"), "SessionEnd");
        assertTrue(RECEIVER.eventNames(s).contains("SessionAgentTimeoutEnd"), RECEIVER.eventNames(s).toString());
        assertEquals("AgentTimeout", desk.conversations().sessions().byId(f.tenant.db(), s).orElseThrow().endReason());
        AdminClient.Reply bad = client.callA("desk_http_svc", "update_desk_settings", Map.of("AgentReplyTimeout", -1));
        assertEquals(141004, bad.code(), bad.raw());
    }

    @Test
    void aRunningCountdownSurvivesARestart() throws Exception {
        DbSettings db = TestDb.durable(dir);
        MutableClock clock = new MutableClock();
        String session;
        try (TestNode first = TestNode.start(TestDesk.config(db, Map.of("DESK_RATE_LIMITS", "off")), clock)) {
            HumanFixture g = new HumanFixture(first.desk(), first.client());
            g.settings(0, 60, 0, 5);
            String m = g.member("ed@urt.com", "Ed", MemberStatus.FREE);
            String cs = g.account("urt5-cs", g.group("urt5-group", List.of(m)), Map.of());
            session = g.session("urt5-user", cs);
            g.transfer(session, Map.of("AgentIdList", List.of(m)));
            first.desk().human().send(g.tenant, m, session, 7, MsgBody.write(Bodies.text("您好")), "");
        }
        clock.advance(TIMEOUT.plusSeconds(1));
        try (TestNode second = TestNode.start(TestDesk.config(db, Map.of("DESK_RATE_LIMITS", "off")), clock)) {
            Tenant tenant = second.desk().tenants().find(TestDesk.APP_A).orElseThrow();
            String id = session;
            var repo = second.desk().conversations().sessions();
            HumanFixture.eventually(() -> repo.byId(tenant.db(), id).orElseThrow().state() == SessionState.ENDED, "fired after the restart");
            assertEquals("UserTimeout", repo.byId(tenant.db(), id).orElseThrow().endReason());
            List<Message> last = second.desk().conversations().messages(tenant, id, true, 0, 5).messages();
            assertTrue(last.stream().anyMatch(msg -> "20".equals(Protocol.src(MsgBody.parse(msg.body())))), "src 20 sent");
        }
    }
}
