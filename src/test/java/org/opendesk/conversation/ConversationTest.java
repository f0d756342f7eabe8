package org.opendesk.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The robot phase of a conversation as a visitor lives it on the real WebSocket: the session-start
 * protocol, robot answers as text, rich text, clarify cards and fallback, a wish for a human while
 * no agent is online, typing, the user's end, and get_session_state throughout.
 */
@ServerTest
class ConversationTest {
    private static final String DESK = "desk_http_svc";
    private static final String ROBOT = "openim_console_http_svc";
    private static final String CS = Visitor.CS;
    private static boolean knowledge;
    private final AdminClient client;
    private final int port;

    ConversationTest(Http1Client http, WebServer server) {
        this.client = new AdminClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    /** The default robot learns a few answers, once for the class. */
    @BeforeEach
    void teach() {
        if (knowledge) {
            return;
        }
        long c = client.okA(ROBOT, "add_faq_category", Map.of("Title", "售后")).json().path("CategoryId").asLong();
        client.okA(ROBOT, "add_faq", Map.of("CategoryId", c, "Question", "如何退货", "Answer", "在“我的订单”中点击“申请退货”。",
                "SimilarQuestions", List.of("怎么退货", "我想退货")));
        client.okA(ROBOT, "add_faq", Map.of("CategoryId", c, "Question", "运费怎么算", "Answer", "**满 99 元包邮**，否则 8 元。",
                "AnswerType", 2, "SimilarQuestions", List.of("邮费多少钱")));
        knowledge = true;
    }

    private JsonNode state(String user) {
        return client.okA(DESK, "get_session_state", Map.of("ClientUserId", user, "CustomerServiceId", CS)).json();
    }

    @Test
    void sessionStartAnswersTheProtocolAndTheWelcome() {
        try (Visitor v = Visitor.a(port, "visitor-start")) {
            assertEquals("NotInSession", state("visitor-start").path("CurrentState").asText());
            long random = v.custom(Bodies.START);
            JsonNode ack = v.await(f -> "Ack".equals(f.path("Type").asText()), "Ack");
            assertEquals(random, ack.path("MsgRandom").asLong());
            assertFalse(ack.path("MsgKey").asText().isEmpty());
            JsonNode rules = v.await(Visitor.src("23"), "src 23");
            assertEquals(3, Bodies.data(rules.path("Msg").path("MsgBody")).path("content").path("menuSendRuleFlag").asInt());
            assertEquals(CS, rules.path("Msg").path("FromAccount").asText());
            JsonNode seat = v.await(Visitor.src("26"), "src 26");
            assertEquals("outSeat", Bodies.data(seat.path("Msg").path("MsgBody")).path("content").path("content").asText());
            JsonNode welcome = v.await(Visitor.textFrom(CS), "welcome text");
            assertEquals("您好，欢迎咨询，很高兴为您服务！", Bodies.text(welcome.path("Msg").path("MsgBody")));

            JsonNode s = state("visitor-start");
            assertEquals("Chatbot", s.path("CurrentState").asText());
            assertEquals("", s.path("AgentId").asText());
            String session = s.path("SessionId").asText();
            JsonNode byId = client.okA(DESK, "get_session_state", Map.of("SessionId", session)).json();
            assertEquals("Chatbot", byId.path("CurrentState").asText());

            // entering again: the protocol answers again, the welcome is not repeated, the session is the same
            v.custom(Bodies.START);
            v.await(Visitor.src("26"), "src 26 again");
            assertTrue(v.drain(600).stream().noneMatch(Visitor.textFrom(CS)), "the welcome is sent once per session");
            assertEquals(session, state("visitor-start").path("SessionId").asText());
        }
    }

    @Test
    void welcomeCardCarriesTheConfiguredQuestions() {
        client.okA(ROBOT, "update_robot_config", Map.of("WelcomeCardQuestions", List.of("如何退货", "运费怎么算")));
        try (Visitor v = Visitor.a(port, "visitor-card")) {
            v.custom(Bodies.START);
            JsonNode card = Bodies.data(v.await(Visitor.src("29"), "welcome card").path("Msg").path("MsgBody"));
            assertEquals("welcome_msg", card.path("subtype").asText());
            assertEquals("猜你想问", card.path("content").path("title").asText());
            assertEquals("如何退货", card.path("content").path("items").path(0).path("content").asText());
            assertEquals(2, card.path("content").path("items").size());
        } finally {
            client.okA(ROBOT, "update_robot_config", Map.of("WelcomeCardQuestions", List.of()));
        }
    }

    @Test
    void robotAnswersAsTextRichTextOrFallback() {
        try (Visitor v = Visitor.a(port, "visitor-ask")) {
            v.text("我想退货");
            JsonNode answer = v.await(Visitor.textFrom(CS), "FAQ answer");
            assertEquals("在“我的订单”中点击“申请退货”。", Bodies.text(answer.path("Msg").path("MsgBody")));
            assertEquals("Chatbot", state("visitor-ask").path("CurrentState").asText(), "any message starts a session");

            v.text("邮费多少钱");
            JsonNode rich = Bodies.data(v.await(Visitor.src("30"), "rich text").path("Msg").path("MsgBody"));
            assertEquals("**满 99 元包邮**，否则 8 元。", rich.path("content").asText());

            v.text("火星上的天气怎么样");
            JsonNode fallback = v.await(Visitor.textFrom(CS), "fallback");
            assertEquals("抱歉, 我还没有学会这个问题, 请换种问法或尝试询问我其他问题。", Bodies.text(fallback.path("Msg").path("MsgBody")));
        }
    }

    @Test
    void clarifyCardOffersTheCandidates() {
        client.okA(ROBOT, "update_robot_config", Map.of("DirectAnsweringReaches", "0.99", "ClarifyEnable", 1,
                "ClarifyReaches", "0.3", "ClarifyMessage", "您是不是想问："));
        try (Visitor v = Visitor.a(port, "visitor-clarify")) {
            v.text("退货的运费");
            JsonNode card = Bodies.data(v.await(Visitor.src("29"), "clarify card").path("Msg").path("MsgBody"));
            assertEquals("clarify_msg", card.path("subtype").asText());
            assertEquals("您是不是想问：", card.path("content").path("title").asText());
            assertTrue(card.path("content").path("items").size() >= 1, card.toString());
        } finally {
            client.okA(ROBOT, "update_robot_config", Map.of("DirectAnsweringReaches", "0.8", "ClarifyEnable", 0,
                    "ClarifyReaches", "0.6"));
        }
    }

    @Test
    void askingForAHumanWithNobodyOnlineAnswersTheFailPrompt() {
        try (Visitor v = Visitor.a(port, "visitor-human")) {
            v.text("转人工");
            JsonNode transferring = v.await(Visitor.textFrom(CS), "transfer prompt");
            assertEquals("正在为您转接，请稍候", Bodies.text(transferring.path("Msg").path("MsgBody")));
            JsonNode fail = v.await(Visitor.textFrom(CS), "transfer fail prompt");
            assertEquals("抱歉，当前无客服在线，请稍后再试", Bodies.text(fail.path("Msg").path("MsgBody")));
            assertEquals("Chatbot", state("visitor-human").path("CurrentState").asText(), "the robot keeps the session");
        }
    }

    @Test
    void userEndsTheSessionWithSrc27() {
        try (Visitor v = Visitor.a(port, "visitor-end")) {
            v.custom(Bodies.START);
            v.await(Visitor.src("26"), "started");
            String session = state("visitor-end").path("SessionId").asText();
            v.custom(Bodies.END);
            v.await(Visitor.src("19"), "src 19 session ended");
            assertEquals("NotInSession", state("visitor-end").path("CurrentState").asText());
            AdminClient.Reply gone = client.callA(DESK, "get_session_state", Map.of("SessionId", session));
            assertEquals(141005, gone.code(), gone.raw());

            v.text("我想退货"); // a new message opens a new session
            v.await(Visitor.textFrom(CS), "answer in the new session");
            String next = state("visitor-end").path("SessionId").asText();
            assertNotEquals(session, next);
        }
    }

    @Test
    void typingIsRelayedButNeitherStoredNorAnswered() {
        try (Visitor v = Visitor.a(port, "visitor-typing"); Visitor other = Visitor.a(port, "visitor-typing")) {
            v.custom(Bodies.TYPING);
            v.await(f -> "Ack".equals(f.path("Type").asText()), "Ack of typing");
            other.await(Visitor.src("12"), "typing on the user's other connection");
            assertEquals("NotInSession", state("visitor-typing").path("CurrentState").asText());
            assertTrue(v.drain(600).stream().noneMatch(f -> "Msg".equals(f.path("Type").asText())
                    && CS.equals(f.path("Msg").path("FromAccount").asText())), "the robot does not answer typing");
        }
    }
}
