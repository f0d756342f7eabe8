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
        return client.okA(SVC, command, body);
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

    private String robotWithShopFaq(String nick) {
        String r = ok("desk_add_robot", Map.of("RobotNickName", nick)).json().path("RobotId").asText();
        long c = ok("add_faq_category", Map.of("RobotId", r, "Title", "售后")).json().path("CategoryId").asLong();
        for (String[] qa : new String[][] {{"如何退货", "在订单页申请退货。"}, {"退款多久到账", "1-3 个工作日。"}, {"多久发货", "48 小时内。"}}) {
            ok("add_faq", Map.of("RobotId", r, "CategoryId", c, "Question", qa[0], "Answer", qa[1]));
        }
        return r;
    }

    private JsonNode ask(String robotId, String question) {
        return ok("robot_test_answer", Map.of("RobotId", robotId, "Question", question)).json();
    }

    @Test
    void clarifyOffersAtMostClarifyNumberQuestionsAboveClarifyReaches() {
        String r = robotWithShopFaq("引导提问");
        ok("update_robot_config", Map.of("RobotId", r, "DirectAnsweringReaches", "0.99", "ClarifyEnable", 1,
                "ClarifyReaches", "0.3", "ClarifyNumber", 2, "ClarifyMessage", "您是不是想问："));
        JsonNode reply = ask(r, "退货和退款");
        assertEquals("Clarify", reply.path("ReplyType").asText(), reply.toString());
        assertEquals("您是不是想问：", reply.path("Answer").asText());
        List<String> offered = new java.util.ArrayList<>();
        reply.path("ClarifyQuestions").forEach(q -> offered.add(q.asText()));
        assertEquals(2, offered.size(), reply.toString());
        assertTrue(offered.contains("如何退货") && offered.contains("退款多久到账"), offered.toString());
        for (JsonNode c : reply.path("Candidates")) {
            if (offered.contains(c.path("StandardQuestion").asText())) {
                assertTrue(c.path("Similarity").asDouble() > 0.3 && c.path("Similarity").asDouble() < 0.99, c.toString());
            }
        }
        // without clarify the same question falls back, with the configured message
        ok("update_robot_config", Map.of("RobotId", r, "ClarifyEnable", 0, "FallbackMsg", "这个问题我还不会。"));
        JsonNode fallback = ask(r, "退货和退款");
        assertEquals("Fallback", fallback.path("ReplyType").asText());
        assertEquals("这个问题我还不会。", fallback.path("Answer").asText());
    }

    @Test
    void switchesTurnChitchatAndTheToHumanIntentOff() {
        String r = robotWithShopFaq("开关");
        assertEquals("Fallback", ask(r, "你好").path("ReplyType").asText(), "chitchat is off by default (the seed's example)");
        ok("update_robot_config", Map.of("RobotId", r, "ChitchatEnable", 1));
        assertEquals("Chitchat", ask(r, "你好").path("ReplyType").asText());
        ok("update_robot_config", Map.of("RobotId", r, "ChitchatReaches", "1"));
        assertEquals("你好", ask(r, "你好").path("Candidates").get(0).path("StandardQuestion").asText());
        assertEquals("Chitchat", ask(r, "你好").path("ReplyType").asText(), "an exact match reaches 1");
        assertEquals("Fallback", ask(r, "您好呀").path("ReplyType").asText(), "a paraphrase does not reach 1");
        assertEquals("ToAgent", ask(r, "转人工").path("ReplyType").asText(), "on by default");
        ok("update_robot_config", Map.of("RobotId", r, "ToAgentEnable", 0));
        assertTrue(!"ToAgent".equals(ask(r, "转人工").path("ReplyType").asText()));
    }

    @Test
    void eachLanguageMatchesItsOwnQuestions() {
        String r = robotWithShopFaq("多语言匹配");
        ok("robot_add_language", Map.of("RobotId", r, "LanguageTag", "en"));
        long c = ok("add_faq_category", Map.of("RobotId", r, "Title", "After sales")).json().path("CategoryId").asLong();
        ok("add_faq", Map.of("RobotId", r, "CategoryId", c, "LanguageTag", "en", "Question", "How long does a refund take?",
                "Answer", "One to three working days."));
        JsonNode en = ok("robot_test_answer", Map.of("RobotId", r, "LanguageTag", "en", "Question",
                "when will I get my money back")).json();
        assertEquals("FAQ", en.path("ReplyType").asText(), en.toString());
        assertEquals("One to three working days.", en.path("Answer").asText());
        JsonNode zh = ok("robot_test_answer", Map.of("RobotId", r, "Question", "when will I get my money back")).json();
        assertTrue(!"FAQ".equals(zh.path("ReplyType").asText()), "the default language does not see English questions");
        assertTrue(ok("robot_test_answer", Map.of("RobotId", r, "LanguageTag", "en", "Question", "xyz")).json()
                .path("Answer").asText().startsWith("Sorry"), "the English fallback message");
    }

    @Test
    void badTestRequests() {
        for (String body : List.of("{}", "{\"Question\":\"\"}", "{\"Question\":\"x\",\"TopN\":0}",
                "{\"Question\":\"x\",\"TopN\":21}", "{\"Question\":\"x\",\"RobotId\":\"@RBT#none\"}",
                "{\"Question\":\"x\",\"LanguageTag\":\"ja\"}", "{\"Question\":[\"x\"]}")) {
            AdminClient.Reply reply = client.callA(SVC, "robot_test_answer", body);
            assertEquals(-7, reply.code(), body + " -> " + reply.raw());
        }
    }

    @Test
    void suggestionsContainWhatTheUserTypedPrefixesFirstWithTheMatchHighlighted() {
        JsonNode reply = ok("robot_get_suggestions", Map.of("RobotId", robot, "Question", "退")).json();
        List<String> contents = new java.util.ArrayList<>();
        reply.path("Suggestions").forEach(s -> contents.add(s.path("Content").asText()));
        assertEquals(List.of("退款多久到账", "如何退货"), contents, reply.toString());
        assertEquals("<span class=\"high-light\">退</span>款多久到账",
                reply.path("Suggestions").get(0).path("ShowContent").asText());
        assertEquals("如何<span class=\"high-light\">退</span>货", reply.path("Suggestions").get(1).path("ShowContent").asText());
        assertTrue(!reply.path("Suggestions").get(0).path("StandardQuestionId").asText().isEmpty());
        JsonNode english = ok("robot_get_suggestions", Map.of("RobotId", robot, "Question", "PASSWORD")).json();
        assertEquals("How do I reset my <span class=\"high-light\">password</span>?",
                english.path("Suggestions").get(0).path("ShowContent").asText(), "case-insensitive, original case shown");
        assertEquals(1, ok("robot_get_suggestions", Map.of("RobotId", robot, "Question", "退", "Limit", 1)).json()
                .path("Suggestions").size());
        assertEquals(0, ok("robot_get_suggestions", Map.of("RobotId", robot, "Question", "量子力学")).json()
                .path("Suggestions").size());
        assertEquals(-7, client.callA(SVC, "robot_get_suggestions", "{\"Question\":\"\"}").code());
        assertEquals(-7, client.callA(SVC, "robot_get_suggestions", "{\"Question\":\"x\",\"Limit\":0}").code());
    }

    @Test
    void anotherAppNeverMatchesThisAppsQuestions() {
        JsonNode b = client.callB(SVC, "robot_test_answer", "{\"Question\":\"如何退货\",\"TopN\":20}").json();
        assertEquals("Fallback", b.path("ReplyType").asText(), b.toString());
        for (JsonNode c : b.path("Candidates")) {
            assertTrue(!c.path("StandardQuestion").asText().contains("退货"), c.toString());
        }
        JsonNode suggestions = client.callB(SVC, "robot_get_suggestions", "{\"Question\":\"退\"}").json();
        assertEquals(0, suggestions.path("Suggestions").size(), suggestions.toString());
    }

    @Test
    void punctuationAndEmojiAloneAreNotTheSameQuestion() {
        JsonNode reply = ask("？？");
        for (JsonNode c : reply.path("Candidates")) {
            assertTrue(c.path("Similarity").asDouble() < 1.0, c.toString());
        }
    }
}
