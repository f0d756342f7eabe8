package org.opendesk.robot;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Robot configuration, languages and several robots (openim_console_http_svc), through real HTTP. */
@ServerTest
class RobotCommandsTest {
    private static final String SVC = "openim_console_http_svc";
    private final AdminClient client;

    RobotCommandsTest(Http1Client http) {
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    private AdminClient.Reply a(String command, Object body) {
        return client.callA(SVC, command, body);
    }

    private static String json(Object body) {
        return AdminClient.json(body);
    }

    private AdminClient.Reply ok(String command, Object body) {
        return client.okA(SVC, command, body);
    }

    private String newRobot(String nick) {
        String id = ok("desk_add_robot", Map.of("RobotNickName", nick)).json().path("RobotId").asText();
        assertTrue(id.matches("@RBT#\\d{10}[a-z]{8}"), "the vendor's RobotId shape: " + id);
        return id;
    }

    @Test
    void everyRobotStartsWithTheSeedsExampleConfiguration() {
        String robot = newRobot("配置默认值");
        for (JsonNode config : List.of(ok("desc_robot_config", "{\"LanguageTag\":\"\"}").json(),
                ok("desc_robot_config", Map.of("RobotId", robot)).json())) {
            assertEquals(1, config.path("WelcomeCardEnable").asInt());
            assertEquals("猜你想问", config.path("WelcomeCardTitle").asText());
            assertTrue(config.path("WelcomeCardQuestions").isArray());
            assertEquals(1, config.path("ToAgentEnable").asInt());
            // as the seed's example answers: DirectAnsweringReaches a number, the other two strings
            assertTrue(config.path("DirectAnsweringReaches").isNumber(), config.toString());
            assertEquals(0.8, config.path("DirectAnsweringReaches").asDouble());
            assertEquals("0.8", config.path("ChitchatReaches").asText());
            assertTrue(config.path("ChitchatReaches").isTextual());
            assertEquals("0.6", config.path("ClarifyReaches").asText());
            assertEquals(0, config.path("ChitchatEnable").asInt());
            assertEquals(0, config.path("ClarifyEnable").asInt());
            assertEquals("您可能想问:", config.path("ClarifyMessage").asText());
            assertEquals(5, config.path("ClarifyNumber").asInt());
            assertEquals("抱歉, 我还没有学会这个问题, 请换种问法或尝试询问我其他问题。", config.path("FallbackMsg").asText());
        }
    }

    @Test
    void updateTakesTheSeedsExampleAndKeepsOmittedFields() {
        String robot = newRobot("配置更新");
        // the seed's update_robot_config request example, thresholds as strings
        ok("update_robot_config", "{\"WelcomeCardQuestions\":[\"今天天气怎么样\",\"RESTAPI设置欢迎语\"],\"WelcomeCardEnable\":1,"
                + "\"WelcomeCardTitle\":\"猜你想问\",\"ToAgentEnable\":0,\"DirectAnsweringReaches\":\"0.56\",\"ChitchatEnable\":1,"
                + "\"ChitchatReaches\":\"0.88\",\"ClarifyEnable\":1,\"ClarifyReaches\":\"0.21\",\"ClarifyMessage\":\"你可能想问\","
                + "\"ClarifyNumber\":6,\"FallbackMsg\":\"触发兜底了\",\"LanguageTag\":\"\",\"RobotId\":\"" + robot + "\"}");
        JsonNode c = ok("desc_robot_config", Map.of("RobotId", robot)).json();
        assertEquals(List.of("今天天气怎么样", "RESTAPI设置欢迎语"), strings(c.path("WelcomeCardQuestions")));
        assertEquals(0, c.path("ToAgentEnable").asInt());
        assertEquals(0.56, c.path("DirectAnsweringReaches").asDouble());
        assertEquals("0.88", c.path("ChitchatReaches").asText());
        assertEquals("0.21", c.path("ClarifyReaches").asText());
        assertEquals("你可能想问", c.path("ClarifyMessage").asText());
        assertEquals(6, c.path("ClarifyNumber").asInt());
        assertEquals("触发兜底了", c.path("FallbackMsg").asText());
        // numbers work too, and omitted fields keep their values
        ok("update_robot_config", Map.of("RobotId", robot, "DirectAnsweringReaches", 0.9, "ClarifyNumber", 3));
        JsonNode d = ok("desc_robot_config", Map.of("RobotId", robot)).json();
        assertEquals(0.9, d.path("DirectAnsweringReaches").asDouble());
        assertEquals(3, d.path("ClarifyNumber").asInt());
        assertEquals("触发兜底了", d.path("FallbackMsg").asText());
        assertEquals("0.88", d.path("ChitchatReaches").asText());
        // the default robot was not touched
        assertEquals(0.8, ok("desc_robot_config", "{}").json().path("DirectAnsweringReaches").asDouble());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"DirectAnsweringReaches\":1.5}", "{\"DirectAnsweringReaches\":\"-0.1\"}",
        "{\"ChitchatReaches\":\"abc\"}", "{\"ClarifyReaches\":\"\"}", "{\"ClarifyReaches\":[0.5]}",
        "{\"ClarifyReaches\":0.9,\"DirectAnsweringReaches\":0.8}", "{\"ClarifyNumber\":0}", "{\"ClarifyNumber\":11}",
        "{\"WelcomeCardEnable\":2}", "{\"ToAgentEnable\":-1}", "{\"ChitchatEnable\":\"on\"}", "{\"WelcomeCardTitle\":\"\"}",
        "{\"WelcomeCardQuestions\":[\"\"]}", "{\"FallbackMsg\":\"  \"}", "{\"LanguageTag\":\"en\"}", "{\"LanguageTag\":\"xx\"}",
        "{\"RobotId\":\"@RBT#none\"}", "{\"ClarifyNumber\":2.5}"})
    void badConfigUpdatesChangeNothing(String body) {
        String before = ok("desc_robot_config", "{}").raw().replaceAll("\"RequestId\":\"[^\"]*\"", "");
        AdminClient.Reply reply = a("update_robot_config", body);
        assertEquals(-7, reply.code(), body + " -> " + reply.raw());
        assertFalse(reply.info().isBlank());
        assertEquals(before, ok("desc_robot_config", "{}").raw().replaceAll("\"RequestId\":\"[^\"]*\"", ""));
    }

    @Test
    void atMostTwentyWelcomeCardQuestions() {
        String robot = newRobot("欢迎卡片");
        List<String> twenty = new ArrayList<>(Collections.nCopies(20, "问题"));
        ok("update_robot_config", Map.of("RobotId", robot, "WelcomeCardQuestions", twenty));
        twenty.add("第二十一个");
        assertEquals(-7, a("update_robot_config", Map.of("RobotId", robot, "WelcomeCardQuestions", twenty)).code());
    }

    @Test
    void languagesAddListConfigureAndDelete() {
        String robot = newRobot("多语言");
        assertEquals(List.of(":1"), languages(robot), "the default language only: empty tag, IsDefault 1");
        ok("robot_add_language", Map.of("RobotId", robot, "LanguageTag", "en"));
        ok("robot_add_language", Map.of("RobotId", robot, "LanguageTag", "en")); // idempotent: a retry succeeds
        ok("robot_add_language", Map.of("RobotId", robot, "LanguageTag", "zh-TW"));
        assertEquals(List.of(":1", "en:0", "zh-TW:0"), languages(robot));
        // each language has its own configuration, starting from translated defaults
        JsonNode en = ok("desc_robot_config", Map.of("RobotId", robot, "LanguageTag", "en")).json();
        assertTrue(en.path("FallbackMsg").asText().startsWith("Sorry"), en.toString());
        ok("update_robot_config", Map.of("RobotId", robot, "LanguageTag", "en", "FallbackMsg", "No idea, sorry."));
        assertEquals("No idea, sorry.", ok("desc_robot_config", Map.of("RobotId", robot, "LanguageTag", "en")).json()
                .path("FallbackMsg").asText());
        assertTrue(ok("desc_robot_config", Map.of("RobotId", robot)).json().path("FallbackMsg").asText().startsWith("抱歉"));
        // questions per language: list_faq without LanguageTag shows the default language only
        long category = ok("add_faq_category", Map.of("RobotId", robot, "Title", "Orders")).json().path("CategoryId").asLong();
        String q = ok("add_faq", Map.of("RobotId", robot, "CategoryId", category, "Question", "Where is my order?",
                "Answer", "See the orders page.", "LanguageTag", "en")).json().path("StandardQuestionId").asText();
        ok("add_faq", Map.of("RobotId", robot, "CategoryId", category, "Question", "我的订单在哪", "Answer", "见订单页。"));
        JsonNode english = ok("list_faq", Map.of("RobotId", robot, "PageIndex", 1, "PageSize", 10, "LanguageTag", "en")).json();
        assertEquals(1, english.path("StandardQuestionCount").asLong());
        assertEquals("Where is my order?", english.path("QuestionList").get(0).path("StandardQuestion").asText());
        JsonNode chinese = ok("list_faq", Map.of("RobotId", robot, "PageIndex", 1, "PageSize", 10)).json();
        assertEquals(1, chinese.path("StandardQuestionCount").asLong());
        assertEquals("我的订单在哪", chinese.path("QuestionList").get(0).path("StandardQuestion").asText());
        // a language with questions cannot go (-50056); disabled ones count, deleted ones do not
        ok("batch_set_faq", Map.of("RobotId", robot, "StandardQuestionIds", List.of(q), "Status", 5));
        assertEquals(-50056, a("robot_del_language", Map.of("RobotId", robot, "LanguageTag", "en")).code());
        ok("batch_set_faq", Map.of("RobotId", robot, "StandardQuestionIds", List.of(q), "Status", 6));
        ok("robot_del_language", Map.of("RobotId", robot, "LanguageTag", "en"));
        assertEquals(List.of(":1", "zh-TW:0"), languages(robot));
        assertEquals(-7, a("desc_robot_config", Map.of("RobotId", robot, "LanguageTag", "en")).code(), "gone with its config");
        assertEquals(-7, a("robot_del_language", Map.of("RobotId", robot, "LanguageTag", "en")).code(), "not a language any more");
        // the default language cannot go
        assertEquals(-50055, a("robot_del_language", Map.of("RobotId", robot, "LanguageTag", "")).code());
        assertEquals(-50055, a("robot_del_language", Map.of("RobotId", robot)).code());
    }

    @Test
    void onlyTheSeedsLanguagesAndAtMostFiveIncludingTheDefault() {
        String robot = newRobot("语言上限");
        for (String bad : List.of("fr", "EN", "zh-tw", "", "chinese")) {
            AdminClient.Reply reply = a("robot_add_language", Map.of("RobotId", robot, "LanguageTag", bad));
            assertEquals(-50051, reply.code(), bad + " -> " + reply.raw());
        }
        assertEquals(-50051, a("robot_add_language", Map.of("RobotId", robot)).code());
        for (String tag : List.of("en", "ja", "id", "vi")) {
            ok("robot_add_language", Map.of("RobotId", robot, "LanguageTag", tag));
        }
        AdminClient.Reply sixth = a("robot_add_language", Map.of("RobotId", robot, "LanguageTag", "fil"));
        assertEquals(-50052, sixth.code(), sixth.raw());
        assertEquals(5, languages(robot).size());
        ok("robot_add_language", Map.of("RobotId", robot, "LanguageTag", "en")); // an existing one is still fine
    }

    @Test
    void robotsAreAddedListedAndDeletedWithTheirKnowledge() {
        String robot = newRobot("售后机器人");
        JsonNode list = ok("desk_get_robot_list", "{}").json();
        assertEquals(list.path("Robots").size(), list.path("Total").asInt());
        JsonNode def = find(list, "@RBT#DeskDefaultRobot");
        assertEquals(1, def.path("IsDefault").asInt());
        JsonNode mine = find(list, robot);
        assertEquals("售后机器人", mine.path("RobotNickName").asText());
        assertEquals(0, mine.path("IsDefault").asInt());
        assertTrue(Math.abs(mine.path("CreateTime").asLong() - System.currentTimeMillis() / 1000) < 120);
        // its own knowledge: preset categories and preset chitchat, separate from the default robot's
        JsonNode cats = ok("desc_chitchat_category", Map.of("RobotId", robot)).json();
        assertEquals(7, cats.path("Total").asInt());
        long category = ok("add_faq_category", Map.of("RobotId", robot, "Title", "售后")).json().path("CategoryId").asLong();
        String q = ok("add_faq", Map.of("RobotId", robot, "CategoryId", category, "Question", "怎么换货", "Answer", "联系售后。"))
                .json().path("StandardQuestionId").asText();
        assertTrue(q.contains(robot), q);
        assertEquals(-7, a("update_faq", Map.of("StandardQuestionId", q, "Answer", "x")).code(),
                "the default robot does not see another robot's question");
        assertEquals(-7, a("add_faq", Map.of("CategoryId", category, "Question", "x", "Answer", "y")).code(),
                "nor its categories");
        // delete it
        ok("desk_del_robot", Map.of("RobotId", robot));
        assertEquals(null, find(ok("desk_get_robot_list", "{}").json(), robot));
        assertEquals(-7, a("desc_faq_category", Map.of("RobotId", robot)).code());
        assertEquals(-7, a("desk_del_robot", Map.of("RobotId", robot)).code(), "already gone");
        assertEquals(-7, a("desk_del_robot", Map.of("RobotId", "@RBT#DeskDefaultRobot")).code(), "never the default robot");
        assertEquals(-7, a("desk_del_robot", "{}").code());
        // app B does not see app A's robots
        String other = newRobot("A 的机器人");
        JsonNode b = client.callB(SVC, "desk_get_robot_list", "{}").json();
        assertEquals(null, find(b, other));
        assertEquals(-7, client.callB(SVC, "desk_del_robot", json(Map.of("RobotId", other))).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"RobotNickName\":\"\"}", "{\"RobotNickName\":[\"x\"]}"})
    void badRobotNames(String body) {
        assertEquals(-7, a("desk_add_robot", body).code(), body);
    }

    @Test
    void nickNamesUpToFiftyCharacters() {
        newRobot("名".repeat(50));
        assertEquals(-7, a("desk_add_robot", Map.of("RobotNickName", "名".repeat(51))).code());
    }

    @Test
    void malformedJsonAnswersTheServicesOwnParseCode() {
        // -7 reads 参数解析失败，请检查请求包是否符合 JSON 规范: the service documents its own code for this
        for (String bad : List.of("{\"LanguageTag\":", "[1,2]", "\"text\"")) {
            AdminClient.Reply reply = a("desc_robot_config", bad);
            assertEquals(-7, reply.code(), bad + " -> " + reply.raw());
        }
    }

    private List<String> languages(String robot) {
        List<String> out = new ArrayList<>();
        ok("robot_get_language_list", Map.of("RobotId", robot)).json().path("Languages")
                .forEach(l -> out.add(l.path("LanguageTag").asText() + ":" + l.path("IsDefault").asInt()));
        return out;
    }

    private static JsonNode find(JsonNode list, String robotId) {
        for (JsonNode r : list.path("Robots")) {
            if (robotId.equals(r.path("RobotId").asText())) {
                return r;
            }
        }
        return null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
