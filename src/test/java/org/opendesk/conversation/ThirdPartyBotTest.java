package org.opendesk.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * Session events on a real callback receiver, and the seed's "集成自建 AI" flow end to end: a
 * customer-service account with ChatbotDisabled, a local HTTP receiver playing the bot that answers
 * every ChatBot.UserSendMsg with send_msg or send_stream_msg, and a visitor on the WebSocket.
 */
@ServerTest
class ThirdPartyBotTest {
    private static final String DESK = "desk_http_svc";
    private static final String BOT_ACCOUNT = "@bot_account";
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();
    private static boolean configured;
    private final AdminClient client;
    private final int port;

    ThirdPartyBotTest(Http1Client http, WebServer server) {
        this.client = new AdminClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @BeforeEach
    void configure() {
        if (configured) {
            return;
        }
        client.okA(DESK, "update_callback_settings", Map.of("CallbackUrl", RECEIVER.url(), "CallbackEnable", 1));
        client.okA(DESK, "add_im_agent", "{\"IMAgentUserID\":\"" + BOT_ACCOUNT + "\",\"IMAgentNick\":\"AI 助手\","
                + "\"IMAgentAvatarUrl\":\"\",\"WelcomeMessage\":\"我是 AI 助手\",\"ChatbotDisabled\":1,\"AgentGroupId\":0,"
                + "\"TransferToHumanPrompt\":\"正在为您转接\",\"TransferToHumanSuccessPrompt\":\"转接成功\","
                + "\"TransferToHumanFailPrompt\":\"暂无客服\",\"QueueingPrompt\":\"排队中\",\"UserTimeout\":600,"
                + "\"EndPrompt\":\"再见\",\"TimeoutEndPrompt\":\"超时结束\",\"WorkTimeConfig\":{\"Type\":0},"
                + "\"NotWorkTimePrompt\":\"非工作时间\",\"AssignmentStrategy\":0}");
        configured = true;
    }

    private String sessionOf(String user, String cs) {
        return client.okA(DESK, "get_session_state", Map.of("ClientUserId", user, "CustomerServiceId", cs)).json()
                .path("SessionId").asText();
    }

    @Test
    void builtInRobotSessionReportsItsEventsInOrder() {
        try (Visitor v = Visitor.a(port, "events-user")) {
            v.custom(Bodies.START);
            v.await(Visitor.textFrom(Visitor.CS), "welcome");
            String session = sessionOf("events-user", Visitor.CS);
            v.text("转人工");
            v.await(Visitor.textFrom(Visitor.CS).and(f -> "抱歉，当前无客服在线，请稍后再试".equals(
                    Bodies.text(f.path("Msg").path("MsgBody")))), "fail prompt");
            v.custom(Bodies.END);
            v.await(Visitor.src("19"), "end");
            RECEIVER.await(CallbackReceiver.event(session, "SessionEnd"), "SessionEnd");
            // asking for a human: TransferringToHuman, the transfer prompt and the fail prompt (robot messages), NoAgentOnline
            assertEquals(List.of("SessionBegin", "ChatBot.UserSendMsg", "ChatBot.RobotSendMsg", "ChatBot.UserSendMsg",
                    "TransferringToHuman", "ChatBot.RobotSendMsg", "ChatBot.RobotSendMsg", "NoAgentOnline",
                    "ChatBot.UserSendMsg", "SessionUserEnd", "SessionEnd"),
                    RECEIVER.eventNames(session));
            JsonNode userMsg = RECEIVER.events().stream().filter(e -> session.equals(e.path("SessionId").asText())
                    && "ChatBot.UserSendMsg".equals(e.path("Event").asText())).skip(1).findFirst().orElseThrow();
            assertEquals("Desk.SessionEventNotify", userMsg.path("CallbackCommand").asText());
            assertEquals("SDK", userMsg.path("ChannelType").asText());
            assertEquals("events-user", userMsg.path("ClientUserId").asText());
            assertEquals(Visitor.CS, userMsg.path("CustomerServiceId").asText());
            assertEquals("转人工", Bodies.text(userMsg.path("MsgBody")));
            assertFalse(userMsg.path("MsgKey").asText().isEmpty());
            assertTrue(userMsg.path("EventTime").asLong() > 1_700_000_000_000L, "EventTime is in milliseconds");
        }
    }

    @Test
    void aSelfBuiltBotAnswersThroughSendMsgAndStreams() {
        RECEIVER.onEvent(e -> {
            if (!"ChatBot.UserSendMsg".equals(e.path("Event").asText()) || !BOT_ACCOUNT.equals(e.path("CustomerServiceId").asText())) {
                return;
            }
            String session = e.path("SessionId").asText();
            if ("7".equals(Bodies.src(e.path("MsgBody")))) {
                // the seed: on the start message the bot may send its own welcome card
                client.okA(DESK, "send_msg", Map.of("SessionId", session, "MsgRandom", 7, "MsgBody", Bodies.custom(
                        "{\"customerServicePlugin\":0,\"src\":\"29\",\"subtype\":\"welcome_msg\",\"content\":{\"title\":\"猜你想问\","
                                + "\"content\":\"\",\"items\":[{\"content\":\"怎么退款\"}]}}")));
                return;
            }
            String question = Bodies.text(e.path("MsgBody"));
            if (question != null && question.startsWith("stream")) {
                String key = client.okA(DESK, "send_stream_msg", Map.of("SessionId", session, "Chunk", "Hello, "))
                        .json().path("MsgKey").asText();
                client.okA(DESK, "send_stream_msg", Map.of("SessionId", session, "MsgKey", key, "Chunk", "this is "));
                client.okA(DESK, "send_stream_msg", Map.of("SessionId", session, "MsgKey", key, "Chunk", "Tencent Cloud.",
                        "Finish", 1));
            } else {
                client.okA(DESK, "send_msg", Map.of("SessionId", session, "MsgRandom", question.hashCode() & 0x7fffffff,
                        "MsgBody", Bodies.text("AI: " + question)));
            }
        });
        try (Visitor v = Visitor.a(port, "bot-user")) {
            v.send(BOT_ACCOUNT, Bodies.custom(Bodies.START));
            JsonNode welcome = v.await(Visitor.textFrom(BOT_ACCOUNT), "the account's welcome message");
            assertEquals("我是 AI 助手", Bodies.text(welcome.path("Msg").path("MsgBody")));
            JsonNode card = Bodies.data(v.await(Visitor.src("29"), "the bot's own welcome card").path("Msg").path("MsgBody"));
            assertEquals("怎么退款", card.path("content").path("items").path(0).path("content").asText());

            v.send(BOT_ACCOUNT, Bodies.text("怎么退款"));
            JsonNode answer = v.await(Visitor.textFrom(BOT_ACCOUNT).and(f -> Bodies.text(f.path("Msg").path("MsgBody"))
                    .startsWith("AI:")), "the bot's answer");
            assertEquals("AI: 怎么退款", Bodies.text(answer.path("Msg").path("MsgBody")));

            v.send(BOT_ACCOUNT, Bodies.text("stream please"));
            JsonNode first = v.await(Visitor.src("31"), "stream start");
            String key = first.path("Msg").path("MsgKey").asText();
            JsonNode done = v.await(f -> "MsgModified".equals(f.path("Type").asText())
                    && key.equals(f.path("Msg").path("MsgKey").asText())
                    && Bodies.data(f.path("Msg").path("MsgBody")).path("isFinished").asInt() == 1, "stream finished");
            JsonNode chunks = Bodies.data(done.path("Msg").path("MsgBody")).path("chunks");
            assertEquals("Hello, this is Tencent Cloud.", chunks.get(0).asText() + chunks.get(1).asText() + chunks.get(2).asText());
            assertEquals(first.path("Msg").path("MsgSeq").asLong(), done.path("Msg").path("MsgSeq").asLong());

            // the built-in robot stayed silent: every message from the account came from the bot or the protocol
            String session = sessionOf("bot-user", BOT_ACCOUNT);
            JsonNode history = client.okA(DESK, "describe_chat_messages", Map.of("SessionId", session, "Order", 1, "Limit", 100))
                    .json();
            List<String> texts = new java.util.ArrayList<>();
            history.path("Messages").forEach(m -> {
                String t = Bodies.text(m.path("MsgBody"));
                texts.add(m.path("FromAccountRole").asInt() + ":" + (t != null ? t : "src" + Bodies.src(m.path("MsgBody"))));
            });
            assertEquals(List.of("1:src7", "3:src23", "3:src26", "3:我是 AI 助手", "3:src29", "1:怎么退款", "3:AI: 怎么退款",
                    "1:stream please", "3:src31"), texts);
            assertEquals(9, history.path("TotalCount").asLong());
            JsonNode newest = client.okA(DESK, "describe_chat_messages", Map.of("SessionId", session, "Limit", 2)).json();
            assertEquals("src31", "src" + Bodies.src(newest.path("Messages").path(0).path("MsgBody")), "Order 2 is the default");
            assertEquals(2, newest.path("Messages").size());

            // the bot's messages are called back as robot messages; the stream once, complete
            RECEIVER.await(e -> session.equals(e.path("SessionId").asText()) && "ChatBot.RobotSendMsg".equals(
                    e.path("Event").asText()) && "31".equals(Bodies.src(e.path("MsgBody"))), "the finished stream's callback");
        } finally {
            RECEIVER.onEvent(e -> { });
        }
    }

    @Test
    void editsAndStreamsAreCheckedAgainstTheirSession() {
        try (Visitor v = Visitor.a(port, "edit-user")) {
            v.custom(Bodies.START);
            v.await(Visitor.textFrom(Visitor.CS), "welcome");
            String session = sessionOf("edit-user", Visitor.CS);
            String key = client.okA(DESK, "send_msg", Map.of("SessionId", session, "MsgRandom", 99, "MsgBody",
                    Bodies.text("价格是 100 元"))).json().path("MsgKey").asText();
            v.await(Visitor.textFrom(Visitor.CS).and(f -> key.equals(f.path("Msg").path("MsgKey").asText())), "sent");
            client.okA(DESK, "modify_msg", Map.of("SessionId", session, "MsgKey", key, "MsgBody", Bodies.text("价格是 90 元")));
            JsonNode edited = v.await(f -> "MsgModified".equals(f.path("Type").asText()), "the edit");
            assertEquals("价格是 90 元", Bodies.text(edited.path("Msg").path("MsgBody")));

            assertEquals(141004, client.callA(DESK, "modify_msg", Map.of("SessionId", session, "MsgKey", "1_2_3",
                    "MsgBody", Bodies.text("x"))).code());
            assertEquals(90007, client.callA(DESK, "modify_msg", Map.of("SessionId", session, "MsgKey", key,
                    "MsgBody", "x")).code());
            String stream = client.okA(DESK, "send_stream_msg", Map.of("sessionId", session, "Chunk", "a", "Finish", 1))
                    .json().path("MsgKey").asText();
            assertEquals(141004, client.callA(DESK, "send_stream_msg", Map.of("SessionId", session, "MsgKey", stream,
                    "Chunk", "b")).code(), "a finished stream takes no more chunks");
            assertEquals(141004, client.callA(DESK, "send_stream_msg", Map.of("SessionId", session, "MsgKey", key,
                    "Chunk", "b")).code(), "a text message is not a stream");
            assertEquals(141006, client.callA(DESK, "send_stream_msg", Map.of("SessionId", "not-a-uuid", "Chunk", "b")).code());
            assertEquals(141005, client.callA(DESK, "send_stream_msg", Map.of("SessionId",
                    "fd8a2e30-54de-4e40-bcaf-02718409c5cf", "Chunk", "b")).code());
            assertEquals(141005, client.callA(DESK, "send_msg", Map.of("SessionId", "fd8a2e30-54de-4e40-bcaf-02718409c5cf",
                    "MsgRandom", 1, "MsgBody", Bodies.text("x"))).code());
            assertEquals(141010, client.callA(DESK, "describe_chat_messages", Map.of("SessionId",
                    "fd8a2e30-54de-4e40-bcaf-02718409c5cf")).code());
            assertEquals(141004, client.callA(DESK, "describe_chat_messages", Map.of("SessionId", session, "Limit", 101)).code());
            assertEquals(90001, client.callA(DESK, "send_msg", "{\"SessionId\":").code());
            assertEquals(90005, client.callA(DESK, "send_msg", Map.of("SessionId", session, "MsgBody", Bodies.text("x")))
                    .code());
            assertEquals(141004, client.callA(DESK, "send_msg", Map.of("FromAccount", "edit-user", "ToAccount", "edit-user",
                    "MsgRandom", 1, "MsgBody", Bodies.text("x"))).code(), "only a customer-service account sends as one");
            client.okA(DESK, "send_msg", Map.of("FromAccount", Visitor.CS, "ToAccount", "edit-user", "MsgRandom", 5,
                    "MsgBody", Bodies.text("按账号发送")));
            v.await(Visitor.textFrom(Visitor.CS).and(f -> "按账号发送".equals(Bodies.text(f.path("Msg").path("MsgBody")))),
                    "send_msg by FromAccount/ToAccount reaches the user");
        }
    }
}
