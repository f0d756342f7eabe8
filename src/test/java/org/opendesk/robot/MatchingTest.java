package org.opendesk.robot;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opendesk.json.Json;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Matching decisions through robot_test_answer, on a small realistic FAQ (a web shop) in
 * Chinese and English: paraphrases answer directly, related but different questions
 * clarify, unrelated ones fall back, chitchat and the wish for a human are recognised.
 */
@ServerTest
class MatchingTest {
    private static final String SVC = "openim_console_http_svc";
    private final AdminClient client;
    private static String robot;

    MatchingTest(Http1Client http) {
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    private AdminClient.Reply ok(String command, Object body) {
        String json;
        try {
            json = body instanceof String s ? s : Json.mapper().writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        AdminClient.Reply reply = client.callA(SVC, command, json);
        assertTrue(reply.ok(), command + " " + json + " -> " + reply.raw());
        return reply;
    }

    /** The shop's robot and FAQ, made once for the class (the server lives as long as the class). */
    @BeforeEach
    void shop() {
        if (robot != null) {
            return;
        }
        robot = ok("desk_add_robot", Map.of("RobotNickName", "网店客服")).json().path("RobotId").asText();
        long c = ok("add_faq_category", Map.of("RobotId", robot, "Title", "售后")).json().path("CategoryId").asLong();
        faq(c, "如何退货", "在“我的订单”中选择商品，点击“申请退货”。", List.of("怎么退货", "我想退货"));
        faq(c, "退款多久到账", "退款审核通过后 1-3 个工作日原路退回。", List.of("钱什么时候退回来"));
        faq(c, "多久发货", "付款后 48 小时内发货。", List.of("什么时候发货"));
        faq(c, "运费怎么算", "单笔订单满 99 元包邮，否则收取 8 元运费。", List.of("邮费多少钱"));
        faq(c, "忘记密码怎么办", "在登录页点击“忘记密码”，通过手机验证码重置。", List.of());
        faq(c, "可以开发票吗", "可以，在订单详情页申请电子发票。", List.of());
        faq(c, "How do I return an item?", "Open My Orders, pick the item and choose Return.", List.of("I want to return something"));
        faq(c, "When will my order ship?", "Orders ship within 48 hours of payment.", List.of());
        faq(c, "How do I reset my password?", "Use Forgot password on the sign-in page.", List.of());
        ok("update_robot_config", Map.of("RobotId", robot, "ChitchatEnable", 1, "ClarifyEnable", 1));
    }

    private void faq(long category, String question, String answer, List<String> similar) {
        ok("add_faq", Map.of("RobotId", robot, "CategoryId", category, "Question", question, "Answer", answer,
                "SimilarQuestions", similar));
    }

    private JsonNode ask(String question) {
        JsonNode reply = ok("robot_test_answer", Map.of("RobotId", robot, "Question", question, "TopN", 5)).json();
        System.out.println(question + " -> " + reply.path("ReplyType").asText() + " " + reply.path("Candidates"));
        return reply;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "如何退货|如何退货",
        "怎么退货呀|如何退货",
        "我买的东西想退掉，怎么操作|如何退货",
        "退货流程是什么|如何退货",
        "下单以后几天能发货|多久发货",
        "你们什么时候发货|多久发货",
        "密码忘了怎么找回|忘记密码怎么办",
        "邮费怎么收|运费怎么算",
        "能开发票吗|可以开发票吗",
        "how can I send back something I bought|How do I return an item?",
        "I forgot my password|How do I reset my password?",
        "when do you ship orders|When will my order ship?"})
    void paraphrasesAnswerDirectly(String question, String expected) {
        JsonNode reply = ask(question);
        assertEquals("FAQ", reply.path("ReplyType").asText(), reply.toString());
        assertEquals(expected, reply.path("Candidates").get(0).path("StandardQuestion").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"今天天气怎么样", "你们老板是谁", "你们公司的股票代码是多少", "what is the capital of France"})
    void unrelatedQuestionsFallBack(String question) {
        JsonNode reply = ask(question);
        assertEquals("Fallback", reply.path("ReplyType").asText(), reply.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"转人工", "我要找真人客服", "帮我接人工服务", "can I talk to a person", "I want a human agent"})
    void theWishForAHumanIsRecognised(String question) {
        assertEquals("ToAgent", ask(question).path("ReplyType").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"人工智能是什么", "你们的人工费怎么算"})
    void lookAlikesAreNotAWishForAHuman(String question) {
        assertTrue(!"ToAgent".equals(ask(question).path("ReplyType").asText()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"你好|Chitchat", "谢谢你|Chitchat", "hello there|Chitchat", "thanks a lot|Chitchat"})
    void chitchatWhenEnabled(String question, String type) {
        JsonNode reply = ask(question);
        assertEquals(type, reply.path("ReplyType").asText(), reply.toString());
        assertTrue(!reply.path("Answer").asText().isBlank());
    }

    @Test
    void clarifyOffersTheClosestQuestions() {
        JsonNode reply = ask("退货和退款");
        System.out.println(reply);
    }
}
