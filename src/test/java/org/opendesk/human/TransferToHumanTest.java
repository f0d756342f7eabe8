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
import org.opendesk.agent.Workbench;
import org.opendesk.team.MemberStatus;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.CallbackReceiver;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * transfer_to_human through the real server: assigned to a free member (prompts, src 26, state,
 * events), the human phase (user and member messages, end), the queue, nobody online, refusals.
 */
@ServerTest
class TransferToHumanTest {
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();
    private static Desk desk;
    private final AdminClient client;
    private final int port;
    private HumanFixture f;

    TransferToHumanTest(Http1Client http, WebServer server) {
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
    }

    /** A text message of the account with exactly this text. */
    static java.util.function.Predicate<JsonNode> says(String cs, String text) {
        return Visitor.textFrom(cs).and(f -> text.equals(Bodies.text(f.path("Msg").path("MsgBody"))));
    }

    static java.util.function.Predicate<JsonNode> seat(String status) {
        return Visitor.src("26").and(f -> status.equals(Bodies.data(f.path("Msg").path("MsgBody")).path("content")
                .path("content").asText()));
    }

    private List<AgentEventLog.Event> agentEvents(String member) {
        return desk.agentEvents().ofMemberAfter(f.tenant.db(), member, 0, 1000);
    }

    @Test
    void aFreeMemberTakesTheSessionAndTheyTalkUntilTheMemberEnds() {
        String alice = f.member("alice@t1.com", "Alice", MemberStatus.FREE);
        long group = f.group("t1-group", List.of(alice));
        String cs = f.account("t1-cs", group, Map.of());
        try (Visitor v = Visitor.a(port, "t1-user")) {
            v.send(cs, Bodies.custom(Bodies.START));
            v.await(Visitor.textFrom(cs), "welcome");
            String session = client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", "t1-user",
                    "CustomerServiceId", cs)).json().path("SessionId").asText();

            AdminClient.Reply r = f.transfer(session, Map.of());
            assertTrue(r.ok(), r.raw());
            assertEquals(alice, r.json().path("AgentId").asText());
            assertEquals(0, r.json().path("IsInQueue").asInt());
            long prompt = v.await(says(cs, "正在为您转接，请稍候"), "transfer prompt").path("Msg").path("MsgSeq").asLong();
            long success = v.await(says(cs, "转接人工成功，客服Alice为您服务"), "success prompt").path("Msg").path("MsgSeq").asLong();
            long inSeat = v.await(seat("inSeat"), "src 26 inSeat").path("Msg").path("MsgSeq").asLong();
            assertTrue(prompt < success && success < inSeat, "in order: transfer prompt, success prompt, src 26");
            assertEquals("Agent/" + alice, f.state(session));
            assertEquals(1, f.active(alice));
            assertEquals(List.of("Assigned"), agentEvents(alice).stream().map(AgentEventLog.Event::type)
                    .filter(t -> !t.equals("StatusChanged") && !t.equals("QueueLength")).toList());

            // the user writes: the robot stays silent, the member gets it
            v.send(cs, Bodies.text("我的订单没到"));
            RECEIVER.await(CallbackReceiver.event(session, "Human.UserSendMsg"), "Human.UserSendMsg");
            assertTrue(agentEvents(alice).stream().anyMatch(e -> e.type().equals("Msg") && e.payload().contains("我的订单没到")));
            assertTrue(v.drain(300).stream().noneMatch(Visitor.textFrom(cs)), "the robot answers nothing in the human phase");

            // the member answers as the customer-service account
            Workbench.Sent sent = desk.human().send(f.tenant, alice, session, 77, Bodies.text("马上帮您查").toString(), "");
            JsonNode reply = v.await(Visitor.textFrom(cs), "the member's reply").path("Msg");
            assertEquals("马上帮您查", Bodies.text(reply.path("MsgBody")));
            assertEquals(sent.msgKey(), reply.path("MsgKey").asText());
            JsonNode history = client.okA("desk_http_svc", "describe_chat_messages", Map.of("SessionId", session, "Order", 1))
                    .json().path("Messages");
            JsonNode last = history.get(history.size() - 1);
            assertEquals(2, last.path("FromAccountRole").asInt(), "a member's message is FromAccountRole 2");
            RECEIVER.await(CallbackReceiver.event(session, "Human.AgentSendMsg"), "Human.AgentSendMsg");

            desk.human().end(f.tenant, alice, session);
            v.await(says(cs, "本次服务已结束"), "end prompt");
            v.await(Visitor.src("19"), "src 19");
            v.await(seat("outSeat"), "src 26 outSeat");
            assertEquals("ended", f.state(session));
            assertEquals(0, f.active(alice), "the seat is free again");
            RECEIVER.await(CallbackReceiver.event(session, "SessionEnd"), "SessionEnd");
            assertEquals(List.of("SessionBegin", "ChatBot.UserSendMsg", "ChatBot.RobotSendMsg", "TransferringToHuman",
                    "ChatBot.RobotSendMsg", "TransferToHumanSuccess", "Human.UserSendMsg", "Human.AgentSendMsg", "SessionAgentEnd", "SessionEnd"),
                    RECEIVER.eventNames(session));
            JsonNode successEvent = RECEIVER.await(CallbackReceiver.event(session, "TransferToHumanSuccess"), "success");
            assertEquals(alice, successEvent.path("AgentId").asText());
        }
    }

    @Test
    void withEverySeatTakenTheUserQueuesAndMovesUpWhenASeatFrees() {
        f.settings(null, null, null, 1);
        try {
            String bob = f.member("bob@t2.com", "Bob", MemberStatus.FREE);
            long group = f.group("t2-group", List.of(bob));
            String cs = f.account("t2-cs", group, Map.of());
            String first = f.session("t2-u1", cs);
            String second = f.session("t2-u2", cs);
            String third = f.session("t2-u3", cs);
            assertEquals(bob, f.transfer(first, Map.of()).json().path("AgentId").asText());
            try (Visitor v3 = Visitor.a(port, "t2-u3")) {
                AdminClient.Reply queued = f.transfer(second, Map.of());
                assertEquals(1, queued.json().path("IsInQueue").asInt(), queued.raw());
                assertEquals("", queued.json().path("AgentId").asText());
                assertEquals("Queueing", f.state(second));
                assertEquals(1, f.transfer(third, Map.of()).json().path("IsInQueue").asInt());
                v3.await(says(cs, "您排在第2位，前面还有1人"), "position 2");
                RECEIVER.await(CallbackReceiver.event(second, "TransferringToHumanWait"), "wait event");

                desk.human().end(f.tenant, bob, first);
                assertEquals("Agent/" + bob, f.state(second), "the head of the queue takes the freed seat at once");
                assertEquals("Queueing", f.state(third));
                v3.await(says(cs, "您排在第1位，前面还有0人"), "position 1");
                assertEquals(1, f.active(bob));

                // the user leaves the queue (src 27): the session ends, SessionUserEnd
                v3.send(cs, Bodies.custom(Bodies.END));
                v3.await(Visitor.src("19"), "src 19 after leaving the queue");
                assertEquals("ended", f.state(third));
                RECEIVER.await(CallbackReceiver.event(third, "SessionUserEnd"), "SessionUserEnd");
            }
        } finally {
            f.settings(null, null, null, 5);
        }
    }

    @Test
    void nobodyOnlineAnswers141001AndTheFailPromptWhenAsked() {
        String carol = f.member("carol@t3.com", "Carol", MemberStatus.OFFLINE);
        long group = f.group("t3-group", List.of(carol));
        String cs = f.account("t3-cs", group, Map.of());
        String session = f.session("t3-user", cs);
        try (Visitor v = Visitor.a(port, "t3-user")) {
            AdminClient.Reply r = f.transfer(session, Map.of("SendTipIfNoAgentOnline", 1));
            assertEquals(141001, r.code(), r.raw());
            v.await(says(cs, "抱歉，当前无客服在线"), "fail prompt");
        }
        assertEquals("Chatbot", f.state(session), "the robot keeps the session");
        RECEIVER.await(CallbackReceiver.event(session, "NoAgentOnline"), "NoAgentOnline");

        // a busy member is online: the session queues instead
        desk.human().setStatus(f.tenant, carol, MemberStatus.BUSY, "");
        assertEquals(1, f.transfer(session, Map.of()).json().path("IsInQueue").asInt());
        // and when she sets free, she gets it at once
        desk.human().setStatus(f.tenant, carol, MemberStatus.FREE, "");
        assertEquals("Agent/" + carol, f.state(session));
    }

    @Test
    void refusals() {
        String dave = f.member("dave@t4.com", "Dave", MemberStatus.FREE);
        long group = f.group("t4-group", List.of(dave));
        String cs = f.account("t4-cs", group, Map.of());
        String session = f.session("t4-user", cs);
        assertEquals(141004, f.transfer("", Map.of()).code());
        assertEquals(141006, f.transfer("not-a-session", Map.of()).code());
        assertEquals(141005, f.transfer("fd8a2e30-54de-4e40-bcaf-02718409c5cf", Map.of()).code());
        assertEquals(141004, f.transfer(session, Map.of("AgentGroupId", 999_999)).code());
        assertEquals(141004, f.transfer(session, Map.of("AgentIdList", List.of("nobody@t4.com"))).code());
        assertEquals(141004, f.transfer(session, Map.of("AgentIdList", List.of("not an e-mail"))).code());
        assertEquals(141004, f.transfer(session, Map.of("SendTipIfNoAgentOnline", 2)).code());
        assertEquals("Chatbot", f.state(session), "refused requests change nothing");
        assertTrue(f.transfer(session, Map.of("AgentIdList", List.of(dave))).ok());
        AdminClient.Reply again = f.transfer(session, Map.of());
        assertEquals(141003, again.code(), "a session served by a member cannot be transferred to a human again");
        assertTrue(again.info().contains(dave), again.info());
        assertFalse(again.info().contains("Exception"));
    }
}
