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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FAQ and chitchat category commands of openim_console_http_svc, through real HTTP. */
@ServerTest
class CategoryCommandsTest {
    private static final String SVC = "openim_console_http_svc";
    private final AdminClient client;

    CategoryCommandsTest(Http1Client http) {
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    private AdminClient.Reply a(String command, String body) {
        return client.callA(SVC, command, body);
    }

    private JsonNode list(String library) {
        AdminClient.Reply reply = a("desc_" + library + "_category", "{}");
        assertTrue(reply.ok(), reply.raw());
        assertEquals(reply.json().path("List").size(), reply.json().path("Total").asInt(), "Total counts List");
        assertTrue(reply.json().path("Total").isNumber(), "Total is a number, as in the seed's examples");
        return reply.json().path("List");
    }

    private static JsonNode byTitle(JsonNode list, String title) {
        for (JsonNode item : list) {
            if (title.equals(item.path("Title").asText())) {
                return item;
            }
        }
        return null;
    }

    private long add(String library, String title, long parent) {
        AdminClient.Reply reply = a("add_" + library + "_category",
                "{\"Title\":\"" + title + "\"" + (parent == 0 ? "" : ",\"ParentId\":" + parent) + "}");
        assertTrue(reply.ok(), reply.raw());
        long id = reply.json().path("CategoryId").asLong();
        assertTrue(id > 0, reply.raw());
        return id;
    }

    @Test
    void everyAppStartsWithTheSeedsPresetCategories() {
        JsonNode faq = list("faq");
        assertEquals(1, byTitle(faq, "全部分类").path("MenuType").asInt());
        assertEquals(0, byTitle(faq, "预设问答库").path("MenuType").asInt(), "the seed's example: MenuType 0");
        JsonNode chat = list("chitchat");
        JsonNode root = byTitle(chat, "系统预设分类");
        assertEquals(2, root.path("MenuType").asInt());
        assertEquals(0, root.path("ParentId").asLong());
        assertEquals(1, byTitle(chat, "全部分类").path("MenuType").asInt());
        for (String preset : List.of("日常问候", "询问机器人信息", "情绪表达", "兴趣爱好", "客服场景问答")) {
            JsonNode item = byTitle(chat, preset);
            assertEquals(2, item.path("MenuType").asInt(), preset);
            assertEquals(root.path("CategoryId").asLong(), item.path("ParentId").asLong(), preset);
            assertEquals(1, item.path("Status").asInt());
        }
        // app B has its own presets, with its own ids
        AdminClient.Reply b = client.callB(SVC, "desc_chitchat_category", "{}");
        assertEquals(7, b.json().path("Total").asInt(), b.raw());
    }

    @Test
    void addTwoLevelsAndDescribe() {
        long top = add("faq", "物流问题", 0);
        long child = add("faq", "退货", top);
        JsonNode faq = list("faq");
        assertEquals(0, byTitle(faq, "物流问题").path("ParentId").asLong());
        assertEquals(top, byTitle(faq, "退货").path("ParentId").asLong());
        assertEquals(0, byTitle(faq, "退货").path("MenuType").asInt());
        assertTrue(child > top);
        // a third level is refused
        AdminClient.Reply third = a("add_faq_category", "{\"Title\":\"too deep\",\"ParentId\":" + child + "}");
        assertEquals(-7, third.code(), third.raw());
        assertTrue(third.info().contains("two levels"), third.info());
    }

    @Test
    void systemCategoriesTakeNoChildren() {
        JsonNode chat = list("chitchat");
        for (String system : List.of("系统预设分类", "全部分类", "日常问候")) {
            long id = byTitle(chat, system).path("CategoryId").asLong();
            assertEquals(-7, a("add_chitchat_category", "{\"Title\":\"x\",\"ParentId\":" + id + "}").code(), system);
        }
    }

    @Test
    void parentsMustBelongToTheSameLibraryAndRobot() {
        long faqTop = add("faq", "只属于问答库", 0);
        // a FAQ category id is unknown to the chitchat commands (no dedicated code exists: -7)
        AdminClient.Reply cross = a("add_chitchat_category", "{\"Title\":\"x\",\"ParentId\":" + faqTop + "}");
        assertEquals(-7, cross.code(), cross.raw());
        assertTrue(cross.info().contains(Long.toString(faqTop)), cross.info());
        assertEquals(-7, a("add_faq_category", "{\"Title\":\"x\",\"ParentId\":987654321}").code());
        // ...and app B does not see app A's category
        assertEquals(-7, client.callB(SVC, "add_faq_category", "{\"Title\":\"x\",\"ParentId\":" + faqTop + "}").code());
        assertEquals(-7, client.callB(SVC, "update_faq_category", "{\"CategoryId\":" + faqTop + ",\"Title\":\"x\"}").code());
        assertEquals(-7, client.callB(SVC, "del_faq_category", "{\"CategoryId\":" + faqTop + "}").code());
        assertTrue(byTitle(list("faq"), "只属于问答库") != null, "still there for app A");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"Title\":\"\"}", "{\"Title\":\"   \"}", "{\"Title\":[\"x\"]}", "{\"Title\":{}}",
        "{\"Title\":\"x\",\"ParentId\":\"abc\"}", "{\"Title\":\"x\",\"ParentId\":1.5}"})
    void badAddRequests(String body) {
        // Scalars are read leniently ("Title":7 is the title "7", "ParentId":"12" is 12), as loosely
        // typed clients send them; arrays, objects and non-numbers where a number belongs are refused.
        AdminClient.Reply reply = a("add_faq_category", body);
        assertEquals(-7, reply.code(), reply.raw());
        assertFalse(reply.info().isBlank());
    }

    @Test
    void fractionsWhereIntegersBelongNameTheField() {
        AdminClient.Reply reply = a("add_faq_category", "{\"Title\":\"x\",\"ParentId\":1.5}");
        assertEquals(-7, reply.code(), reply.raw());
        assertTrue(reply.info().contains("ParentId") && reply.info().contains("integer"), reply.info());
    }

    @Test
    void titleLengthIsBounded() {
        add("chitchat", "长".repeat(100), 0);
        assertEquals(-7, a("add_chitchat_category", "{\"Title\":\"" + "长".repeat(101) + "\"}").code());
    }

    @Test
    void renameAnsweringTheCategoryId() {
        long id = add("chitchat", "旧标题", 0);
        AdminClient.Reply reply = a("update_chitchat_category", "{\"CategoryId\":" + id + ",\"Title\":\"新标题\"}");
        assertTrue(reply.ok(), reply.raw());
        // the seed's chitchat example returns CategoryId; we return it for both libraries
        assertEquals(id, reply.json().path("CategoryId").asLong());
        assertEquals(id, byTitle(list("chitchat"), "新标题").path("CategoryId").asLong());
        assertEquals(-7, a("update_chitchat_category", "{\"Title\":\"x\"}").code(), "CategoryId is required");
        assertEquals(-7, a("update_chitchat_category", "{\"CategoryId\":" + id + "}").code(), "Title is required");
    }

    @Test
    void systemCategoriesCannotBeRenamedOrDeleted() {
        // -50011 is listed for update_* too (the seed copies it there); we read it as
        // "system preset categories and the all node cannot be changed", which a client survives.
        JsonNode chat = list("chitchat");
        JsonNode faq = list("faq");
        List<String[]> system = new ArrayList<>();
        system.add(new String[] {"chitchat", byTitle(chat, "系统预设分类").path("CategoryId").asText()});
        system.add(new String[] {"chitchat", byTitle(chat, "日常问候").path("CategoryId").asText()});
        system.add(new String[] {"chitchat", byTitle(chat, "全部分类").path("CategoryId").asText()});
        system.add(new String[] {"faq", byTitle(faq, "全部分类").path("CategoryId").asText()});
        for (String[] s : system) {
            AdminClient.Reply del = a("del_" + s[0] + "_category", "{\"CategoryId\":" + s[1] + "}");
            assertEquals(-50011, del.code(), del.raw());
            assertEquals(-50011, a("update_" + s[0] + "_category", "{\"CategoryId\":" + s[1] + ",\"Title\":\"x\"}").code());
        }
        assertEquals(7, list("chitchat").size() - customCount(list("chitchat")));
    }

    private static int customCount(JsonNode list) {
        int n = 0;
        for (JsonNode item : list) {
            if (item.path("MenuType").asInt() == 0) {
                n++;
            }
        }
        return n;
    }

    @Test
    void deletingACategoryDeletesItsChildren() {
        long top = add("faq", "要删除的", 0);
        add("faq", "子分类一", top);
        add("faq", "子分类二", top);
        long keep = add("faq", "保留的", 0);
        AdminClient.Reply reply = a("del_faq_category", "{\"CategoryId\":" + top + "}");
        assertTrue(reply.ok(), reply.raw());
        JsonNode faq = list("faq");
        assertEquals(null, byTitle(faq, "要删除的"));
        assertEquals(null, byTitle(faq, "子分类一"));
        assertEquals(null, byTitle(faq, "子分类二"));
        assertEquals(keep, byTitle(faq, "保留的").path("CategoryId").asLong());
        assertEquals(-7, a("del_faq_category", "{\"CategoryId\":" + top + "}").code(), "gone");
        assertEquals(-7, a("del_faq_category", "{}").code(), "CategoryId is required");
    }

    @Test
    void robotIdDefaultsToTheDefaultRobotAndUnknownOnesAreRefused() {
        AdminClient.Reply explicit = a("desc_faq_category", "{\"RobotId\":\"@RBT#DeskDefaultRobot\"}");
        assertTrue(explicit.ok(), explicit.raw());
        AdminClient.Reply unknown = a("desc_faq_category", "{\"RobotId\":\"@RBT#NoSuchRobot\"}");
        assertEquals(-7, unknown.code());
        assertTrue(unknown.info().contains("@RBT#NoSuchRobot"), unknown.info());
    }

    @Test
    void nonAdminsGetTheServicesOwnCode() {
        AdminClient.Reply reply = client.call(SVC, "desc_faq_category",
                AdminClient.query(TestDesk.APP_A, "alice", TestDesk.sig(TestDesk.APP_A, TestDesk.KEY_A, "alice", 600)), "{}");
        assertEquals(-20, reply.code(), reply.raw());
    }
}
