package org.opendesk.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.opendesk.json.Json;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.AgentClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.CallbackReceiver;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;
import org.opendesk.testing.WsClient;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole flow through the real HTTP and WebSocket stack, as users meet it: an administrator sets
 * up the team (add_member, add_agent_group, update_desk_settings, add_im_agent with the business
 * server's routing), two members log in with their one-time passwords (changed at once) and open
 * their agent sockets, visitors talk to the robot and ask for a human, the business server answers
 * ChatBot.OnAssignHuman, sessions are offered and accepted, a user queues and moves up, user and
 * member talk, a member transfers a session, a reconnecting member resumes its socket without
 * losing an event, and the member ends; the app's backend receives every event in order.
 */
@ServerTest
class HumanEndToEndTest {
    private static final String DESK = "desk_http_svc";
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();
    private final AdminClient admin;
    private final AgentClient agents;
    private final int port;

    HumanEndToEndTest(Http1Client http, WebServer server) {
        this.admin = new AdminClient(http);
        this.agents = new AgentClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    /** Logs in with the one-time password, which must be changed first; answers a token for the new password. */
    private String login(String memberId, String oneTimePassword) {
        AdminClient.Reply first = agents.login(memberId, oneTimePassword);
        assertEquals(200, first.status(), first.raw());
        assertTrue(first.json().path("PasswordChangeRequired").asBoolean(), "a one-time password must be changed");
        String limited = first.json().path("Token").asText();
        assertEquals(403, agents.get("/sessions", limited).status(), "only the password route takes that token");
        AdminClient.Reply changed = agents.post("/password", limited, Map.of("OldPassword", oneTimePassword,
                "NewPassword", "a better password 1"));
        assertEquals(200, changed.status(), changed.raw());
        assertEquals(401, agents.login(memberId, oneTimePassword).status(), "the one-time password is spent");
        return changed.json().path("Token").asText();
    }

    private static java.util.function.Predicate<JsonNode> frame(String type, String session) {
        return f -> type.equals(f.path("Type").asText()) && session.equals(f.path("SessionId").asText());
    }

    private String sessionOf(String user, String cs) {
        return admin.okA(DESK, "get_session_state", Map.of("ClientUserId", user, "CustomerServiceId", cs)).json()
                .path("SessionId").asText();
    }

    @Test
    void robotQueueOfferAcceptConversationTransferAndEnd() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpServer business = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        business.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        long[] groupId = new long[1];
        business.createContext("/assign", exchange -> {
            JsonNode req = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            asked.incrementAndGet();
            String answer = "{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"AgentGroupId\":" + groupId[0]
                    + ",\"Priority\":" + ("e2e-vip".equals(req.path("ClientUserId").asText()) ? 0 : 5) + "}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        business.start();
        try {
            // the administrator sets up the team
            admin.okA(DESK, "update_callback_settings", Map.of("CallbackUrl", RECEIVER.url(), "CallbackEnable", 1));
            String alicePassword = admin.okA(DESK, "add_member", Map.of("MemberId", "alice@e2e.com", "NickName", "Alice",
                    "Roles", List.of("staff"))).json().path("Password").asText();
            String bobPassword = admin.okA(DESK, "add_member", Map.of("MemberId", "bob@e2e.com", "NickName", "Bob",
                    "Roles", List.of("admin", "staff"))).json().path("Password").asText();
            groupId[0] = admin.okA(DESK, "add_agent_group", Map.of("Name", "e2e", "MemberIds",
                    List.of("alice@e2e.com", "bob@e2e.com"))).json().path("AgentGroupId").asLong();
            admin.okA(DESK, "update_desk_settings", Map.of("ReceptionMode", 1, "AcceptTimeout", 120,
                    "MaxSessionsPerAgent", 1));
            Map<String, Object> account = new java.util.HashMap<>(Map.of("IMAgentUserID", "e2e-cs", "IMAgentNick", "店铺客服",
                    "IMAgentAvatarUrl", "", "WelcomeMessage", "欢迎光临", "ChatbotDisabled", 0, "AgentGroupId", groupId[0],
                    "TransferToHumanPrompt", "正在为您转接，请稍候", "TransferToHumanSuccessPrompt",
                    "转接人工成功，客服${StaffNickName}为您服务", "TransferToHumanFailPrompt", "抱歉，当前无客服在线",
                    "QueueingPrompt", "您排在第${QueuePosition}位，前面还有${WaitNo}人"));
            account.putAll(Map.of("UserTimeout", 600, "EndPrompt", "本次服务已结束", "TimeoutEndPrompt", "超时结束",
                    "WorkTimeConfig", Map.of("Type", 0), "NotWorkTimePrompt", "非工作时间", "AssignmentStrategy", 2,
                    "AssignedByWebhookURL", "http://127.0.0.1:" + business.getAddress().getPort() + "/assign"));
            admin.okA(DESK, "add_im_agent", account);
            String cs = "e2e-cs";

            // the members log in; Alice sets free, Bob stays offline for now
            String alice = login("alice@e2e.com", alicePassword);
            String bob = login("bob@e2e.com", bobPassword);
            WsClient aliceSocket = AgentClient.socket(port, alice, null);
            WsClient bobSocket = AgentClient.socket(port, bob, null);
            assertEquals(200, agents.post("/status", alice, Map.of("Status", "free")).status());

            try (Visitor v1 = Visitor.a(port, "e2e-user"); Visitor v2 = Visitor.a(port, "e2e-second");
                 Visitor v3 = Visitor.a(port, "e2e-third")) {
                // the robot first, then the user asks for a human: the business server routes, Alice is offered it
                v1.send(cs, Bodies.custom(Bodies.START));
                v1.await(TransferToHumanTest.says(cs, "欢迎光临"), "welcome");
                v1.send(cs, Bodies.text("我要转人工"));
                v1.await(TransferToHumanTest.says(cs, "正在为您转接，请稍候"), "transfer prompt");
                String s1 = sessionOf("e2e-user", cs);
                JsonNode offered = aliceSocket.await(frame("Offered", s1), "the offer on Alice's socket");
                assertTrue(offered.path("AcceptDeadline").asLong() > System.currentTimeMillis());
                assertEquals("WaitingForAgentAnswering", admin.okA(DESK, "get_session_state", Map.of("SessionId", s1)).json()
                        .path("CurrentState").asText());
                assertEquals(200, agents.post("/sessions/" + s1 + "/accept", alice, null).status());
                v1.await(TransferToHumanTest.says(cs, "转接人工成功，客服Alice为您服务"), "success prompt");
                v1.await(TransferToHumanTest.seat("inSeat"), "src 26 inSeat");
                aliceSocket.await(frame("Assigned", s1), "assigned after the accept");

                // two more users ask while Alice's one seat is taken and Bob is offline: they queue, by priority
                v2.send(cs, Bodies.custom(Bodies.START));
                v2.send(cs, Bodies.text("转人工"));
                v2.await(TransferToHumanTest.says(cs, "您排在第1位，前面还有0人"), "v2 queues first");
                String s2 = sessionOf("e2e-second", cs);
                v3.send(cs, Bodies.custom(Bodies.START));
                v3.send(cs, Bodies.text("转人工"));
                v3.await(TransferToHumanTest.says(cs, "您排在第2位，前面还有1人"), "v3 queues second");
                String s3 = sessionOf("e2e-third", cs);
                assertTrue(asked.get() >= 3, "the business server was asked for every request");

                // user and member talk
                v1.send(cs, Bodies.text("我的快递三天没动了"));
                JsonNode userMsg = aliceSocket.await(frame("Msg", s1), "the user's message on Alice's socket");
                assertEquals("我的快递三天没动了", Bodies.text(userMsg.path("Msg").path("MsgBody")));
                AdminClient.Reply sent = agents.post("/sessions/" + s1 + "/messages", alice,
                        Map.of("MsgBody", Bodies.text("我帮您查一下")));
                assertEquals(200, sent.status(), sent.raw());
                JsonNode reply = v1.await(TransferToHumanTest.says(cs, "我帮您查一下"), "Alice's reply").path("Msg");
                assertEquals(sent.json().path("MsgKey").asText(), reply.path("MsgKey").asText());
                JsonNode history = agents.get("/sessions/" + s1 + "/messages?Order=1&Limit=100", alice).json();
                assertTrue(history.toString().contains("我要转人工"), "the member sees the robot-phase history");

                // Bob comes online: the head of the queue is offered to him, v3 moves up
                assertEquals(200, agents.post("/status", bob, Map.of("Status", "free")).status());
                bobSocket.await(frame("Offered", s2), "the head of the queue offered to Bob");
                v3.await(TransferToHumanTest.says(cs, "您排在第1位，前面还有0人"), "v3 moves up");
                assertEquals(200, agents.post("/sessions/" + s2 + "/accept", bob, null).status());
                assertEquals(200, agents.post("/sessions/" + s2 + "/end", bob, null).status());
                v2.await(TransferToHumanTest.says(cs, "本次服务已结束"), "v2's end prompt");
                bobSocket.await(frame("Offered", s3), "Bob's freed seat takes the next queued user");
                assertEquals(200, agents.post("/sessions/" + s3 + "/accept", bob, null).status());

                // Alice's socket drops; while she is away nothing is lost: she resumes after the last Seq she saw
                long lastSeen = aliceSocket.seen().stream().mapToLong(f -> f.path("Seq").asLong()).max().orElse(0);
                aliceSocket.close();
                admin.okA(DESK, "update_desk_settings", Map.of("MaxSessionsPerAgent", 2));
                AdminClient.Reply moved = agents.post("/sessions/" + s1 + "/transfer", alice, Map.of("MemberId", "bob@e2e.com"));
                assertEquals(200, moved.status(), moved.raw());
                v1.await(TransferToHumanTest.says(cs, "转接人工成功，客服Bob为您服务"), "the user is told who serves now");
                JsonNode handed = bobSocket.await(frame("Assigned", s1), "Bob gets the transferred session");
                assertEquals("alice@e2e.com", handed.path("ForwardFromAgentId").asText());
                try (WsClient resumed = AgentClient.socket(port, alice, lastSeen)) {
                    resumed.await(frame("TransferredAway", s1), "the event Alice missed, replayed");
                }

                // Bob ends the session
                assertEquals(200, agents.post("/sessions/" + s1 + "/end", bob, null).status());
                v1.await(TransferToHumanTest.says(cs, "本次服务已结束"), "end prompt");
                v1.await(Visitor.src("19"), "src 19");
                assertEquals(141005, admin.callA(DESK, "get_session_state", Map.of("SessionId", s1)).code());
                RECEIVER.await(CallbackReceiver.event(s1, "SessionEnd"), "SessionEnd");
                List<String> events = RECEIVER.eventNames(s1).stream()
                        .filter(e -> !e.startsWith("ChatBot.")).toList();
                assertEquals(List.of("SessionBegin", "TransferringToHuman", "TransferToHumanSuccess", "Human.UserSendMsg",
                        "Human.AgentSendMsg", "AgentForward", "SessionAgentEnd", "SessionEnd"), events);
                JsonNode forward = RECEIVER.await(CallbackReceiver.event(s1, "AgentForward"), "AgentForward");
                assertEquals("alice@e2e.com", forward.path("ForwardFromAgentId").asText());
                assertEquals("bob@e2e.com", forward.path("AgentId").asText());
                // callbacks are delivered in the background: wait for s2's (it queued, so it was told it waits)
                RECEIVER.await(CallbackReceiver.event(s2, "TransferringToHumanWait"), "s2's TransferringToHumanWait");
            } finally {
                bobSocket.close();
            }
        } finally {
            business.stop(0);
        }
    }
}
