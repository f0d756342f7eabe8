package org.opendesk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.team.MemberStatus;
import org.opendesk.tenant.Tenant;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.AgentClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's suggested reply (rule 143, 智能回复): for the user's last text message in a session the
 * member serves, the robot's FAQ matches (best first, with the standard question, the question it
 * matched by and the similarity), which the member sends as it is or edited.
 */
@ServerTest
class SuggestedReplyTest {
    private static Desk desk;
    private final AdminClient client;
    private final AgentClient agents;
    private final int port;

    SuggestedReplyTest(Http1Client http, WebServer server) {
        this.client = new AdminClient(http);
        this.agents = new AgentClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    private void say(String user, String cs, String text) {
        client.okA("openim", "sendmsg", Map.of("From_Account", user, "To_Account", cs, "MsgRandom",
                ThreadLocalRandom.current().nextLong(1, 4_000_000_000L), "MsgBody", Bodies.text(text)));
    }

    @Test
    void theMemberGetsTheFaqAnswersToTheUsersLastMessageAndSendsOne() throws Exception {
        Tenant tenant = desk.tenants().find(TestDesk.APP_A).orElseThrow();
        long category = client.okA("openim_console_http_svc", "add_faq_category", Map.of("Title", "售后")).json()
                .path("CategoryId").asLong();
        String refund = client.okA("openim_console_http_svc", "add_faq", Map.of("CategoryId", category,
                "Question", "如何申请退款", "Answer", "在订单页点击“申请退款”，1-3 个工作日内原路退回。",
                "SimilarQuestions", List.of("怎么退款", "退款怎么申请"))).json().path("StandardQuestionId").asText();
        client.okA("openim_console_http_svc", "add_faq", Map.of("CategoryId", category, "Question", "如何修改收货地址",
                "Answer", "发货前可在订单页修改地址。"));
        String member = "sr-ana@sr.com";
        AgentClient.member(desk, TestDesk.APP_A, member);
        desk.human().setStatus(tenant, member, MemberStatus.FREE, "");
        String user = "sr-user";
        client.okA("im_open_login_svc", "account_import", Map.of("UserID", user));
        say(user, Visitor.CS, "你好");
        String session = client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", user,
                "CustomerServiceId", Visitor.CS)).json().path("SessionId").asText();
        client.okA("desk_http_svc", "transfer_to_human", Map.of("SessionId", session, "AgentIdList", List.of(member)));
        String token = agents.token(member);
        String path = "/sessions/" + session + "/suggested-reply";

        say(user, Visitor.CS, "我想退款，怎么申请？");
        AdminClient.Reply r = agents.get(path, token);
        assertEquals(200, r.status(), r.raw());
        JsonNode body = r.json();
        assertEquals("我想退款，怎么申请？", body.path("Question").asText(), "the user's last message is answered");
        assertTrue(body.path("MsgKey").asText().contains("_"), body.toString());
        JsonNode best = body.path("Suggestions").get(0);
        assertEquals(refund, best.path("StandardQuestionId").asText(), body.toString());
        assertEquals("如何申请退款", best.path("StandardQuestion").asText());
        assertTrue(best.path("Answer").asText().startsWith("在订单页点击"), best.toString());
        assertTrue(best.path("Similarity").asDouble() > 0 && best.path("Similarity").asDouble() <= 1, best.toString());
        assertTrue(best.path("MatchedQuestion").isTextual());
        assertTrue(body.path("Suggestions").size() <= 3);

        // the member edits it and sends it
        try (Visitor v = Visitor.a(port, user)) {
            String edited = best.path("Answer").asText() + "如有疑问请随时联系我。";
            Map<String, Object> msg = new HashMap<>();
            msg.put("MsgBody", Bodies.text(edited));
            assertEquals(200, agents.post("/sessions/" + session + "/messages", token, msg).status());
            v.await(Visitor.textFrom(Visitor.CS).and(f -> edited.equals(Bodies.text(f.path("Msg").path("MsgBody")))),
                    "the suggested answer, edited, reaches the user");
        }

        // a later message is the one answered
        say(user, Visitor.CS, "收货地址填错了能改吗");
        JsonNode later = agents.get(path, token).json();
        assertEquals("收货地址填错了能改吗", later.path("Question").asText());
        assertEquals("如何修改收货地址", later.path("Suggestions").get(0).path("StandardQuestion").asText(), later.toString());
    }

    @Test
    void onlyTheServingMemberAndOnlyAfterTheUserWrote() {
        Tenant tenant = desk.tenants().find(TestDesk.APP_A).orElseThrow();
        String member = "sr-ben@sr.com";
        String other = "sr-cai@sr.com";
        AgentClient.member(desk, TestDesk.APP_A, member);
        AgentClient.member(desk, TestDesk.APP_A, other);
        desk.human().setStatus(tenant, member, MemberStatus.FREE, "");
        String user = "sr-user2";
        client.okA("im_open_login_svc", "account_import", Map.of("UserID", user));
        client.okA("openim", "sendmsg", Map.of("From_Account", user, "To_Account", Visitor.CS, "MsgRandom", 7,
                "MsgBody", Bodies.custom(Bodies.START)));
        String session = client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", user,
                "CustomerServiceId", Visitor.CS)).json().path("SessionId").asText();
        client.okA("desk_http_svc", "transfer_to_human", Map.of("SessionId", session, "AgentIdList", List.of(member)));
        String path = "/sessions/" + session + "/suggested-reply";
        AdminClient.Reply none = agents.get(path, agents.token(member));
        assertEquals(409, none.status(), "no text from the user yet: " + none.raw());
        assertEquals(141026, none.json().path("ErrorCode").asInt());
        AdminClient.Reply notMine = agents.get(path, agents.token(other));
        assertEquals(404, notMine.status(), notMine.raw());
        assertEquals(400, agents.get("/sessions/not-a-session/suggested-reply", agents.token(member)).status());
    }
}
