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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Standard and similar questions of the FAQ and chitchat libraries (add, update, similar, batch_set, list). */
@ServerTest
class QuestionCommandsTest {
    private static final String SVC = "openim_console_http_svc";
    private final AdminClient client;

    QuestionCommandsTest(Http1Client http) {
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

    /** A fresh FAQ category, so each test sees only its own questions when filtering by it. */
    private long category(String library) {
        return ok("add_" + library + "_category", Map.of("Title", "c-" + UUID.randomUUID().toString().substring(0, 8)))
                .json().path("CategoryId").asLong();
    }

    private String addFaq(long category, String question, String answer, List<String> similar) {
        AdminClient.Reply reply = ok("add_faq", Map.of("CategoryId", category, "Question", question, "Answer", answer,
                "AnswerType", 0, "SimilarQuestions", similar, "LanguageTag", ""));
        String id = reply.json().path("StandardQuestionId").asText();
        assertTrue(id.startsWith(TestDesk.APP_A + "-@RBT#DeskDefaultRobot-"), "the vendor's id shape: " + id);
        return id;
    }

    private JsonNode list(String library, Map<String, Object> filter) {
        AdminClient.Reply reply = ok("list_" + library, filter);
        JsonNode json = reply.json();
        assertTrue(json.path("AllQuestionCount").isNumber() && json.path("StandardQuestionCount").isNumber(), reply.raw());
        return json;
    }

    private JsonNode only(long category) {
        JsonNode page = list("faq", Map.of("PageIndex", 1, "PageSize", 50, "CategoryId", category));
        return page.path("QuestionList");
    }

    @Test
    void addedQuestionsAreListedWithTheirSimilarQuestionsAndCounts() {
        long c = category("faq");
        String id1 = addFaq(c, "如何退货", "在订单页点击申请退货。", List.of("怎么退货", "退货流程是什么"));
        String id2 = addFaq(c, "多久发货", "付款后 48 小时内发货。", List.of());
        JsonNode page = list("faq", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", c));
        assertEquals(2, page.path("StandardQuestionCount").asLong());
        assertEquals(4, page.path("AllQuestionCount").asLong(), "standard plus similar questions");
        JsonNode first = page.path("QuestionList").get(0);
        assertEquals(id1, first.path("StandardQuestionId").asText());
        assertEquals("如何退货", first.path("StandardQuestion").asText());
        assertEquals("在订单页点击申请退货。", first.path("Answer").asText());
        assertEquals(4, first.path("Status").asInt());
        assertEquals(c, first.path("CategoryId").asLong());
        assertEquals(0, first.path("AnswerType").asInt());
        assertEquals(0, first.path("QuestionType").asInt());
        assertEquals(List.of("怎么退货", "退货流程是什么"), strings(first.path("SimilarQuestions")));
        assertEquals(id2, page.path("QuestionList").get(1).path("StandardQuestionId").asText());
        assertEquals(0, page.path("QuestionList").get(1).path("SimilarQuestions").size());
    }

    @Test
    void theSeedsRequestExamplesWork() {
        long c = category("faq");
        // add_faq request example of the seed, with its category id replaced by a real one
        ok("add_faq", "{\"CategoryId\":" + c + ",\"Question\":\"REST_API 添加问题\",\"Answer\":\"REST_API添加回答\","
                + "\"AnswerType\":0,\"SimilarQuestions\":[\"相似问题 1\",\"相似问题 2\"],\"LanguageTag\":\"\"}");
        long cc = category("chitchat");
        ok("add_chitchat", "{\"CategoryId\":" + cc + ",\"Question\":\"REST_API 添加问题\",\"Answer\":\"REST_API添加回答\","
                + "\"AnswerType\":0,\"SimilarQuestions\":[\"相似问题 1\",\"相似问题 2\"]}");
        JsonNode chat = list("chitchat", Map.of("PageIndex", 1, "PageSize", 3, "CategoryId", cc, "Status", 4));
        assertEquals(1, chat.path("StandardQuestionCount").asLong());
        assertEquals(3, chat.path("AllQuestionCount").asLong());
    }

    @Test
    void pagingKeepsCreationOrderAndCountsTheWholeFilter() {
        long c = category("faq");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(addFaq(c, "分页问题 " + i, "答案 " + i, List.of("相似 " + i)));
        }
        JsonNode p1 = list("faq", Map.of("PageIndex", 1, "PageSize", 2, "CategoryId", c));
        JsonNode p3 = list("faq", Map.of("PageIndex", 3, "PageSize", 2, "CategoryId", c));
        JsonNode p4 = list("faq", Map.of("PageIndex", 4, "PageSize", 2, "CategoryId", c));
        assertEquals(5, p1.path("StandardQuestionCount").asLong());
        assertEquals(10, p1.path("AllQuestionCount").asLong());
        assertEquals(List.of(ids.get(0), ids.get(1)), idsOf(p1));
        assertEquals(List.of(ids.get(4)), idsOf(p3));
        assertEquals(List.of(), idsOf(p4), "past the end: an empty page, counts still given");
        assertEquals(5, p4.path("StandardQuestionCount").asLong());
    }

    @Test
    void keywordStatusAndCategoryFilters() {
        long parent = category("faq");
        long child = ok("add_faq_category", Map.of("Title", "子类", "ParentId", parent)).json().path("CategoryId").asLong();
        String a = addFaq(parent, "Invoice for my ORDER", "From the order page.", List.of());
        String b = addFaq(child, "发票怎么开", "在订单页申请。", List.of("开发票"));
        String c = addFaq(child, "100%_退款吗", "是的。", List.of());
        // the parent's filter includes its second-level categories
        assertEquals(3, list("faq", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", parent)).path("StandardQuestionCount").asLong());
        assertEquals(List.of(b, c), idsOf(list("faq", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", child))));
        // keyword: a case-insensitive substring of the standard question; LIKE wildcards are literal
        assertEquals(List.of(a), idsOf(list("faq", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", parent, "Question", "order"))));
        assertEquals(List.of(b), idsOf(list("faq", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", parent, "Question", "发票怎"))));
        assertEquals(List.of(c), idsOf(list("faq", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", parent, "Question", "%_"))));
        assertEquals(List.of(), idsOf(list("faq", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", parent, "Question", "怎_开"))),
                "_ is a character, not a wildcard (unescaped it would match 发票怎么开)");
        // status
        ok("batch_set_faq", Map.of("StandardQuestionIds", List.of(b), "Status", 5));
        assertEquals(List.of(b), idsOf(list("faq", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", parent, "Status", 5))));
        assertEquals(List.of(a, c), idsOf(list("faq", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", parent, "Status", 4))));
        assertEquals(3, idsOf(list("faq", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", parent))).size(),
                "without Status: live and disabled");
        // the "all categories" node lists everything
        long all = allNode("faq");
        JsonNode everything = list("faq", Map.of("PageIndex", 1, "PageSize", 1000, "CategoryId", all));
        assertTrue(idsOf(everything).containsAll(List.of(a, b, c)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"PageIndex\":1}", "{\"PageSize\":10}", "{\"PageIndex\":0,\"PageSize\":10}",
        "{\"PageIndex\":1,\"PageSize\":0}", "{\"PageIndex\":-1,\"PageSize\":10}", "{\"PageIndex\":1,\"PageSize\":10,\"Status\":6}",
        "{\"PageIndex\":1,\"PageSize\":10,\"Status\":1}", "{\"PageIndex\":1,\"PageSize\":1001}",
        "{\"PageIndex\":1,\"PageSize\":10,\"CategoryId\":99999999}", "{\"PageIndex\":1,\"PageSize\":10,\"LanguageTag\":\"en\"}",
        "{\"PageIndex\":\"x\",\"PageSize\":10}"})
    void badListRequests(String body) {
        AdminClient.Reply reply = a("list_faq", body);
        assertEquals(-7, reply.code(), body + " -> " + reply.raw());
        assertFalse(reply.info().isBlank());
    }

    @Test
    void updateChangesOnlyTheFieldsItCarries() {
        long c = category("faq");
        long other = category("faq");
        String id = addFaq(c, "原问题", "原答案", List.of("原相似"));
        ok("update_faq", Map.of("StandardQuestionId", id, "Answer", "<p>新答案</p>", "AnswerType", 2));
        JsonNode q = only(c).get(0);
        assertEquals("原问题", q.path("StandardQuestion").asText());
        assertEquals("<p>新答案</p>", q.path("Answer").asText());
        assertEquals(2, q.path("AnswerType").asInt());
        assertEquals(List.of("原相似"), strings(q.path("SimilarQuestions")));
        // empty strings mean "keep" (the seed: 选填, 不修改…可空); CategoryId moves it
        ok("update_faq", Map.of("StandardQuestionId", id, "Question", "新问题", "Answer", "", "CategoryId", other));
        assertEquals(0, only(c).size());
        JsonNode moved = only(other).get(0);
        assertEquals("新问题", moved.path("StandardQuestion").asText());
        assertEquals("<p>新答案</p>", moved.path("Answer").asText());
        // the seed's example shape
        ok("update_faq", "{\"StandardQuestionId\":\"" + id + "\",\"Answer\":\"这是回答\",\"AnswerType\":2,\"CategoryId\":"
                + other + ",\"Question\":\"测试修改主问题\"}");
        assertEquals("测试修改主问题", only(other).get(0).path("StandardQuestion").asText());
    }

    @Test
    void updateRefusals() {
        long c = category("faq");
        String id = addFaq(c, "要更新的", "答", List.of());
        addFaq(c, "已存在的问题", "答", List.of());
        assertEquals(-7, a("update_faq", Map.of("Answer", "x")).code(), "StandardQuestionId is required");
        assertEquals(-7, a("update_faq", Map.of("StandardQuestionId", "1400000001-@RBT#DeskDefaultRobot-nope")).code());
        assertEquals(-7, a("update_faq", Map.of("StandardQuestionId", id, "AnswerType", 1)).code(), "AnswerType 1 is undefined");
        assertEquals(-7, a("update_faq", Map.of("StandardQuestionId", id, "CategoryId", 424242)).code());
        assertEquals(-7, a("update_faq", Map.of("StandardQuestionId", id, "CategoryId", allNode("faq"))).code());
        AdminClient.Reply dup = a("update_faq", Map.of("StandardQuestionId", id, "Question", "已存在的问题"));
        assertEquals(-7, dup.code());
        assertTrue(dup.info().contains("already has"), dup.info());
        // a FAQ question is not a chitchat question, and app B does not see app A's
        assertEquals(-7, a("update_chitchat", Map.of("StandardQuestionId", id, "Answer", "x")).code());
        assertEquals(-7, client.callB(SVC, "update_faq", json(Map.of("StandardQuestionId", id, "Answer", "x"))).code());
        assertEquals("答", only(c).get(0).path("Answer").asText());
    }

    @Test
    void similarQuestionsAreReplacedAndCleared() {
        long c = category("faq");
        String id = addFaq(c, "怎么修改密码", "在设置里修改。", List.of("改密码", "密码怎么改"));
        ok("update_faq_similar", Map.of("StandardQuestionId", id, "SimilarQuestions", List.of("忘记密码怎么办", " 改密码 ",
                "忘记密码怎么办", "怎么修改密码")));
        assertEquals(List.of("忘记密码怎么办", "改密码"), strings(only(c).get(0).path("SimilarQuestions")),
                "trimmed, without duplicates and without the standard question itself, in the given order");
        ok("update_faq_similar", Map.of("StandardQuestionId", id, "SimilarQuestions", List.of()));
        assertEquals(0, only(c).get(0).path("SimilarQuestions").size(), "an empty array clears them");
        assertEquals(-7, a("update_faq_similar", Map.of("StandardQuestionId", id)).code(),
                "a missing list is refused rather than read as 'clear'");
        assertEquals(-7, a("update_faq_similar", Map.of("StandardQuestionId", id, "SimilarQuestions", List.of(""))).code());
        assertEquals(-7, a("update_faq_similar", "{\"StandardQuestionId\":\"" + id + "\",\"SimilarQuestions\":\"x\"}").code());
    }

    @Test
    void batchSetDisablesEnablesAndDeletesAllOrNothing() {
        long c = category("faq");
        String a1 = addFaq(c, "批量一", "答", List.of("批一"));
        String a2 = addFaq(c, "批量二", "答", List.of());
        ok("batch_set_faq", Map.of("StandardQuestionIds", List.of(a1, a2), "Status", 5));
        assertEquals(List.of(5, 5), statuses(only(c)));
        // one unknown id: nothing changes
        AdminClient.Reply partial = a("batch_set_faq", Map.of("StandardQuestionIds", List.of(a1, "nope"), "Status", 4));
        assertEquals(-7, partial.code());
        assertTrue(partial.info().contains("nope"), partial.info());
        assertEquals(List.of(5, 5), statuses(only(c)));
        ok("batch_set_faq", Map.of("StandardQuestionIds", List.of(a1), "Status", 4));
        assertEquals(List.of(4, 5), statuses(only(c)));
        // deleted questions are gone from lists and counts, and their ids name nothing any more
        ok("batch_set_faq", Map.of("StandardQuestionIds", List.of(a1), "Status", 6));
        JsonNode page = list("faq", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", c));
        assertEquals(List.of(a2), idsOf(page));
        assertEquals(1, page.path("AllQuestionCount").asLong());
        assertEquals(-7, a("update_faq", Map.of("StandardQuestionId", a1, "Answer", "x")).code());
        assertEquals(-7, a("batch_set_faq", Map.of("StandardQuestionIds", List.of(a1), "Status", 4)).code());
        // the text of a deleted question can be used again
        addFaq(c, "批量一", "新答", List.of());
        for (String bad : List.of("{}", "{\"StandardQuestionIds\":[],\"Status\":4}", "{\"StandardQuestionIds\":[\"" + a2 + "\"]}",
                "{\"StandardQuestionIds\":[\"" + a2 + "\"],\"Status\":3}", "{\"StandardQuestionIds\":[\"" + a2 + "\"],\"Status\":7}")) {
            assertEquals(-7, a("batch_set_faq", bad).code(), bad);
        }
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(a2);
        }
        assertEquals(-7, a("batch_set_faq", Map.of("StandardQuestionIds", tooMany, "Status", 4)).code());
    }

    @Test
    void deletingACategoryDeletesItsQuestions() {
        long top = category("faq");
        long child = ok("add_faq_category", Map.of("Title", "子", "ParentId", top)).json().path("CategoryId").asLong();
        String q1 = addFaq(top, "分类删除一", "答", List.of());
        String q2 = addFaq(child, "分类删除二", "答", List.of());
        ok("del_faq_category", Map.of("CategoryId", top));
        long all = allNode("faq");
        List<String> remaining = idsOf(list("faq", Map.of("PageIndex", 1, "PageSize", 1000, "CategoryId", all)));
        assertFalse(remaining.contains(q1) || remaining.contains(q2), remaining.toString());
        assertEquals(-7, a("update_faq", Map.of("StandardQuestionId", q2, "Answer", "x")).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"Question\":\"q\",\"Answer\":\"a\"}", "{\"CategoryId\":%d,\"Answer\":\"a\"}",
        "{\"CategoryId\":%d,\"Question\":\"q\"}", "{\"CategoryId\":%d,\"Question\":\" \",\"Answer\":\"a\"}",
        "{\"CategoryId\":%d,\"Question\":\"q\",\"Answer\":\"a\",\"AnswerType\":1}",
        "{\"CategoryId\":%d,\"Question\":\"q\",\"Answer\":\"a\",\"SimilarQuestions\":[\"\"]}",
        "{\"CategoryId\":%d,\"Question\":\"q\",\"Answer\":\"a\",\"SimilarQuestions\":\"x\"}",
        "{\"CategoryId\":%d,\"Question\":\"q\",\"Answer\":\"a\",\"LanguageTag\":\"en\"}",
        "{\"CategoryId\":%d,\"Question\":\"q\",\"Answer\":\"a\",\"LanguageTag\":\"xx\"}",
        "{\"CategoryId\":%d,\"Question\":\"q\",\"Answer\":\"a\",\"RobotId\":\"@RBT#none\"}",
        "{\"CategoryId\":424242,\"Question\":\"q\",\"Answer\":\"a\"}"})
    void badAddRequests(String template) {
        long c = category("faq");
        String body = template.contains("%d") ? String.format(template, c) : template;
        AdminClient.Reply reply = a("add_faq", body);
        assertEquals(-7, reply.code(), body + " -> " + reply.raw());
        assertEquals(0, only(c).size(), "nothing was added");
    }

    @Test
    void limitsOnLengthsAndCounts() {
        long c = category("faq");
        addFaq(c, "长".repeat(200), "答", List.of("似".repeat(200)));
        assertEquals(-7, a("add_faq", Map.of("CategoryId", c, "Question", "长".repeat(201), "Answer", "a")).code());
        List<String> similar = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            similar.add("相似 " + i);
        }
        assertEquals(-7, a("add_faq", Map.of("CategoryId", c, "Question", "很多相似问", "Answer", "a", "SimilarQuestions", similar)).code());
        assertEquals(-7, a("add_faq", Map.of("CategoryId", allNode("faq"), "Question", "放进全部分类", "Answer", "a")).code());
    }

    @Test
    void duplicateStandardQuestionsAreRefusedWithTheExistingId() {
        long c = category("faq");
        String id = addFaq(c, "重复的问题", "答", List.of());
        AdminClient.Reply dup = a("add_faq", Map.of("CategoryId", c, "Question", "重复的问题", "Answer", "b"));
        assertEquals(-7, dup.code());
        assertTrue(dup.info().contains(id), dup.info());
    }

    @Test
    void chitchatStartsWithThePresetLibraryWhichCanBeEditedAndDisabledButNotDeleted() {
        long presetRoot = 0;
        for (JsonNode cat : ok("desc_chitchat_category", "{}").json().path("List")) {
            if ("系统预设分类".equals(cat.path("Title").asText())) {
                presetRoot = cat.path("CategoryId").asLong();
            }
        }
        // the preset category tree (its root filter includes the five preset categories)
        JsonNode page = list("chitchat", Map.of("PageIndex", 1, "PageSize", 1000, "CategoryId", presetRoot));
        assertTrue(page.path("StandardQuestionCount").asLong() >= 50, "a real preset library: " + page.path("StandardQuestionCount"));
        assertTrue(page.path("AllQuestionCount").asLong() > 3 * page.path("StandardQuestionCount").asLong(),
                "preset questions come with similar questions");
        JsonNode hello = null;
        boolean english = false;
        for (JsonNode q : page.path("QuestionList")) {
            assertEquals(1, q.path("QuestionType").asInt(), "preset: QuestionType 1");
            hello = "你好".equals(q.path("StandardQuestion").asText()) ? q : hello;
            english |= q.path("StandardQuestion").asText().toLowerCase().startsWith("hello");
        }
        assertNotNull(hello, "the preset library greets");
        assertTrue(english, "and greets in English too");
        String id = hello.path("StandardQuestionId").asText();
        ok("update_chitchat", Map.of("StandardQuestionId", id, "Answer", "您好，欢迎光临！"));
        ok("batch_set_chitchat", Map.of("StandardQuestionIds", List.of(id), "Status", 5));
        AdminClient.Reply delete = a("batch_set_chitchat", Map.of("StandardQuestionIds", List.of(id), "Status", 6));
        assertEquals(-50011, delete.code(), delete.raw());
        JsonNode disabled = list("chitchat", Map.of("PageIndex", 1, "PageSize", 10, "Status", 5, "Question", "你好"));
        assertEquals("您好，欢迎光临！", disabled.path("QuestionList").get(0).path("Answer").asText());
        // ...nor moved out of the preset categories (where deleting the category would delete it)
        long custom0 = category("chitchat");
        AdminClient.Reply move = a("update_chitchat", Map.of("StandardQuestionId", id, "CategoryId", custom0));
        assertEquals(-50011, move.code(), move.raw());
        // the chitchat library has no languages: a LanguageTag (which the seed does not define there) is ignored
        assertEquals(disabled.path("StandardQuestionCount").asLong(), list("chitchat", Map.of("PageIndex", 1, "PageSize", 10,
                "Status", 5, "Question", "你好", "LanguageTag", "en")).path("StandardQuestionCount").asLong());
        // a custom chitchat question is ordinary (QuestionType 0)
        long custom = category("chitchat");
        ok("add_chitchat", Map.of("CategoryId", custom, "Question", "今天天气不错", "Answer", "是呀，适合出门走走。"));
        JsonNode mine = list("chitchat", Map.of("PageIndex", 1, "PageSize", 10, "CategoryId", custom));
        assertEquals(0, mine.path("QuestionList").get(0).path("QuestionType").asInt());
    }

    @Test
    void appsDoNotShareQuestions() {
        long c = category("faq");
        String id = addFaq(c, "只属于 A 的问题", "答", List.of());
        AdminClient.Reply b = client.callB(SVC, "list_faq", json(Map.of("PageIndex", 1, "PageSize", 1000, "Question", "只属于")));
        assertEquals(0, b.json().path("StandardQuestionCount").asLong(), b.raw());
        assertEquals(-7, client.callB(SVC, "batch_set_faq", json(Map.of("StandardQuestionIds", List.of(id), "Status", 5))).code());
        assertEquals(4, only(c).get(0).path("Status").asInt());
    }

    private long allNode(String library) {
        for (JsonNode cat : ok("desc_" + library + "_category", "{}").json().path("List")) {
            if (cat.path("MenuType").asInt() == 1) {
                return cat.path("CategoryId").asLong();
            }
        }
        throw new AssertionError("no all node");
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("QuestionList").forEach(q -> ids.add(q.path("StandardQuestionId").asText()));
        return ids;
    }

    private static List<Integer> statuses(JsonNode list) {
        List<Integer> out = new ArrayList<>();
        list.forEach(q -> out.add(q.path("Status").asInt()));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
