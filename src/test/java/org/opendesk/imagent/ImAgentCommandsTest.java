package org.opendesk.imagent;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Customer-service accounts (desk_http_svc *_im_agent), through real HTTP. */
@ServerTest
class ImAgentCommandsTest {
    private static final String SVC = "desk_http_svc";
    /**
     * The seed's add_im_agent request example 1, without its IMAgentUserID; its AgentGroupId 1234 is replaced with a
     * real agent group of the app by {@link #example1()}.
     */
    private static final String EXAMPLE_1 = "{\"IMAgentNick\":\"衣服官方旗舰店\",\"IMAgentAvatarUrl\":\"your avatar\","
            + "\"WelcomeMessage\":\"欢迎咨询衣服官方旗舰店，很高兴为您服务！\",\"ChatbotDisabled\":0,\"AgentGroupId\":1234,"
            + "\"TransferToHumanPrompt\":\"正在为您转接，请稍候\",\"TransferToHumanSuccessPrompt\":\"转接人工成功，客服${StaffNickName}为您服务\","
            + "\"TransferToHumanFailPrompt\":\"抱歉，当前无客服在线，请稍后再试\",\"QueueingPrompt\":\"您目前排在第${QueuePosition}位，"
            + "前面还有${WaitNo}人\",\"UserTimeout\":600,\"EndPrompt\":\"本次服务已结束，感谢您的支持\",\"TimeoutEndPrompt\":"
            + "\"由于您长时间未回复，本次服务已自动结束，感谢您的支持\",\"WorkTimeConfig\":{\"Type\":0},\"NotWorkTimePrompt\":"
            + "\"当前无客服在线，请您于工作时间咨询\",\"AssignmentStrategy\":0}";
    private final AdminClient client;

    ImAgentCommandsTest(Http1Client http) {
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    private AdminClient.Reply a(String command, Object body) {
        return client.callA(SVC, command, body);
    }

    private static String with(String json, String extra) {
        return json.substring(0, json.length() - 1) + "," + extra + "}";
    }

    /** The id of the app's agent group with this name, added when it does not exist yet. */
    private long group(String name) {
        for (JsonNode g : client.okA(SVC, "get_agent_group_list", "{}").json().path("AgentGroups")) {
            if (name.equals(g.path("Name").asText())) {
                return g.path("AgentGroupId").asLong();
            }
        }
        return client.okA(SVC, "add_agent_group", Map.of("Name", name)).json().path("AgentGroupId").asLong();
    }

    /** The seed's example 1 with a real agent group in AgentGroupId. */
    private String example1() {
        return EXAMPLE_1.replace("\"AgentGroupId\":1234", "\"AgentGroupId\":" + group("衣服售前"));
    }

    private JsonNode find(String userId) {
        JsonNode list = client.okA(SVC, "get_im_agent_list", "{}").json().path("Data");
        for (JsonNode item : list) {
            if (userId.equals(item.path("IMAgentUserID").asText())) {
                return item;
            }
        }
        return null;
    }

    @Test
    void everyAppHasTheDefaultAccountWhichCannotBeDeleted() {
        JsonNode def = find("@customer_service_account");
        assertNotNull(def);
        assertEquals(1, def.path("IsDefault").asInt());
        assertEquals(0, def.path("ChatbotDisabled").asInt());
        assertFalse(def.path("WelcomeMessage").asText().isBlank());
        assertEquals(0, def.path("WorkTimeConfig").path("Type").asInt());
        AdminClient.Reply delete = a("delete_im_agent", Map.of("IMAgentUserID", "@customer_service_account"));
        assertEquals(141004, delete.code(), delete.raw());
        assertTrue(delete.info().contains("default"), delete.info());
        // ...but it can be configured
        client.okA(SVC, "update_im_agent", Map.of("IMAgentUserID", "@customer_service_account", "WelcomeMessage", "你好！"));
        assertEquals("你好！", find("@customer_service_account").path("WelcomeMessage").asText());
    }

    @Test
    void addWithTheSeedsExampleGeneratesAUserIdAndListsEveryField() {
        AdminClient.Reply added = client.okA(SVC, "add_im_agent", example1());
        String id = added.json().path("IMAgentUserID").asText();
        assertEquals(32, id.length(), "a generated UserID like the seed's example: " + id);
        JsonNode item = find(id);
        assertEquals(0, item.path("IsDefault").asInt());
        assertEquals("衣服官方旗舰店", item.path("IMAgentNick").asText());
        assertEquals("your avatar", item.path("IMAgentAvatarUrl").asText());
        assertEquals(group("衣服售前"), item.path("AgentGroupId").asLong());
        assertEquals(600, item.path("UserTimeout").asInt());
        assertEquals("转接人工成功，客服${StaffNickName}为您服务", item.path("TransferToHumanSuccessPrompt").asText());
        assertEquals(0, item.path("AssignmentStrategy").asInt());
        // it is an IM account users can write to, and account_delete leaves it to delete_im_agent
        AdminClient.Reply check = client.callA("im_open_login_svc", "account_check", "{\"CheckItem\":[{\"UserID\":\"" + id + "\"}]}");
        assertEquals("Imported", check.json().path("ResultItem").get(0).path("AccountStatus").asText(), check.raw());
        AdminClient.Reply imDelete = client.callA("im_open_login_svc", "account_delete", "{\"DeleteItem\":[{\"UserID\":\"" + id + "\"}]}");
        assertEquals(70402, imDelete.json().path("ResultItem").get(0).path("ResultCode").asInt(), imDelete.raw());
        // deleted with delete_im_agent, gone from the list and from the IM accounts
        client.okA(SVC, "delete_im_agent", Map.of("IMAgentUserID", id));
        assertNull(find(id));
        AdminClient.Reply after = client.callA("im_open_login_svc", "account_check", "{\"CheckItem\":[{\"UserID\":\"" + id + "\"}]}");
        assertEquals("NotImported", after.json().path("ResultItem").get(0).path("AccountStatus").asText());
        assertEquals(141004, a("delete_im_agent", Map.of("IMAgentUserID", id)).code(), "already gone");
    }

    @Test
    void workingHoursGroupChoicesMultilingualPromptsAndRobotBinding() {
        String robot = client.okA("openim_console_http_svc", "desk_add_robot", Map.of("RobotNickName", "售前")).json()
                .path("RobotId").asText();
        String choices = group("g1") + "," + group("g2") + "," + group("g3") + "," + group("g4");
        String body = with(example1().replace("\"WorkTimeConfig\":{\"Type\":0}", "\"WorkTimeConfig\":{\"Type\":1,\"Periods\":["
                + "{\"Day\":\"Monday\",\"PeriodsWithinOneDay\":[{\"Start\":\"09:00\",\"End\":\"11:30\"},{\"Start\":\"14:00\",\"End\":\"18:00\"}]},"
                + "{\"Day\":\"Friday\",\"PeriodsWithinOneDay\":[{\"Start\":\"09:00\",\"End\":\"12:00\"}]}]}")
                .replace("\"AssignmentStrategy\":0", "\"AssignmentStrategy\":1"),
                "\"IMAgentUserID\":\"shop_presales\",\"ChooseSkillGroupPrompt\":\"请选择分组\",\"DisplayGroupsChoices\":[" + choices + "],"
                + "\"RobotId\":\"" + robot + "\",\"WelcomeMessageMultilingual\":{\"en\":\"Welcome!\",\"zh-TW\":\"歡迎！\"}");
        assertEquals("shop_presales", client.okA(SVC, "add_im_agent", body).json().path("IMAgentUserID").asText());
        JsonNode item = find("shop_presales");
        assertEquals(1, item.path("WorkTimeConfig").path("Type").asInt());
        assertEquals("14:00", item.path("WorkTimeConfig").path("Periods").get(0).path("PeriodsWithinOneDay").get(1).path("Start").asText());
        assertEquals(4, item.path("DisplayGroupsChoices").size());
        assertEquals(robot, item.path("RobotId").asText());
        assertEquals("Welcome!", item.path("WelcomeMessageMultilingual").path("en").asText());
        // update: the fields present change, the others stay; the other spelling of the id works too
        client.okA(SVC, "update_im_agent", Map.of("IMAgentUserId", "shop_presales", "AssignmentStrategy", 2,
                "AssignedByWebhookURL", "https://biz.example.com/desk/assign", "ChatbotDisabled", 1));
        JsonNode updated = find("shop_presales");
        assertEquals(2, updated.path("AssignmentStrategy").asInt());
        assertEquals("https://biz.example.com/desk/assign", updated.path("AssignedByWebhookURL").asText());
        assertEquals(1, updated.path("ChatbotDisabled").asInt());
        assertEquals("衣服官方旗舰店", updated.path("IMAgentNick").asText());
        assertEquals(1, updated.path("WorkTimeConfig").path("Type").asInt());
        // back to "the user chooses" and then to the webhook again: the stored choices and URL satisfy the rules
        client.okA(SVC, "update_im_agent", Map.of("IMAgentUserID", "shop_presales", "AssignmentStrategy", 1));
        client.okA(SVC, "update_im_agent", Map.of("IMAgentUserID", "shop_presales", "AssignmentStrategy", 2));
        // the id is taken now
        assertEquals(141004, a("add_im_agent", with(example1(), "\"IMAgentUserID\":\"shop_presales\"")).code());
        // a robot that answers for an account cannot be deleted until the account is bound elsewhere
        AdminClient.Reply inUse = client.callA("openim_console_http_svc", "desk_del_robot", Map.of("RobotId", robot));
        assertEquals(-7, inUse.code(), inUse.raw());
        assertTrue(inUse.info().contains("shop_presales"), inUse.info());
        client.okA(SVC, "update_im_agent", Map.of("IMAgentUserID", "shop_presales", "RobotId", "@RBT#DeskDefaultRobot"));
        client.okA("openim_console_http_svc", "desk_del_robot", Map.of("RobotId", robot));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"IMAgentNick\":\"\"", "\"ChatbotDisabled\":2", "\"AgentGroupId\":-1", "\"UserTimeout\":0", "\"AssignmentStrategy\":3",
        "\"AssignmentStrategy\":1", "\"AssignmentStrategy\":2", "\"AssignmentStrategy\":2,\"AssignedByWebhookURL\":\"ftp://x\"",
        "\"WorkTimeConfig\":{\"Type\":1}", "\"WorkTimeConfig\":{\"Type\":2}",
        "\"WorkTimeConfig\":{\"Type\":1,\"Periods\":[{\"Day\":\"Funday\",\"PeriodsWithinOneDay\":[{\"Start\":\"09:00\",\"End\":\"10:00\"}]}]}",
        "\"WorkTimeConfig\":{\"Type\":3,\"Periods\":[{\"Day\":\"Monday\",\"PeriodsWithinOneDay\":[{\"Start\":\"09:00\",\"End\":\"10:00\"}]}]}",
        "\"WorkTimeConfig\":{\"Type\":1,\"Periods\":[{\"Day\":\"Monday\",\"PeriodsWithinOneDay\":[{\"Start\":\"10:00\",\"End\":\"10:00\"}]}]}",
        "\"WorkTimeConfig\":{\"Type\":1,\"Periods\":[{\"Day\":\"Monday\",\"PeriodsWithinOneDay\":[{\"Start\":\"22:00\",\"End\":\"06:00\"}]},"
            + "{\"Day\":\"Tuesday\",\"PeriodsWithinOneDay\":[{\"Start\":\"05:00\",\"End\":\"09:00\"}]}]}",
        "\"WorkTimeConfig\":{\"Type\":2,\"Periods\":[{\"Day\":\"Sunday\",\"PeriodsWithinOneDay\":[{\"Start\":\"23:00\",\"End\":\"02:00\"}]},"
            + "{\"Day\":\"Monday\",\"PeriodsWithinOneDay\":[{\"Start\":\"01:00\",\"End\":\"03:00\"}]}]}",
        "\"WorkTimeConfig\":{\"Type\":1,\"Periods\":[{\"Day\":\"Monday\",\"PeriodsWithinOneDay\":[{\"Start\":\"24:00\",\"End\":\"03:00\"}]}]}",
        "\"WorkTimeConfig\":{\"Type\":1,\"Periods\":[{\"Day\":\"Monday\",\"PeriodsWithinOneDay\":[{\"Start\":\"9am\",\"End\":\"10:00\"}]}]}",
        "\"WorkTimeConfig\":{\"Type\":1,\"Periods\":[{\"Day\":\"Monday\",\"PeriodsWithinOneDay\":[{\"Start\":\"09:00\",\"End\":\"12:00\"},"
            + "{\"Start\":\"11:00\",\"End\":\"13:00\"}]}]}",
        "\"RobotId\":\"@RBT#none\"", "\"WelcomeMessageMultilingual\":{\"fr\":\"Bonjour\"}", "\"WelcomeMessageMultilingual\":{\"en\":\"\"}",
        "\"IMAgentUserID\":\"@RBT#robotlike\"", "\"IMAgentUserID\":\"this-user-id-is-much-longer-than-32-bytes\"",
        "\"UserTimeout\":\"soon\""})
    void badAddRequestsAnswer141004AndAddNothing(String field) {
        int before = client.okA(SVC, "get_im_agent_list", "{}").json().path("Data").size();
        String body = example1();
        String key = field.substring(1, field.indexOf('"', 1));
        body = body.replaceAll("\"" + key + "\":(\\{[^}]*\\}|\"[^\"]*\"|[0-9-]+),?", "");
        body = with(body.replace(",}", "}"), field);
        AdminClient.Reply reply = a("add_im_agent", body);
        assertEquals(141004, reply.code(), body + " -> " + reply.raw());
        assertFalse(reply.info().isBlank());
        assertEquals(before, client.okA(SVC, "get_im_agent_list", "{}").json().path("Data").size());
    }

    @Test
    void addRequiresTheSeedsRequiredFieldsAndNamesTheMissingOnes() {
        AdminClient.Reply reply = a("add_im_agent", Map.of("IMAgentNick", "x"));
        assertEquals(141004, reply.code());
        assertTrue(reply.info().contains("WelcomeMessage") && reply.info().contains("WorkTimeConfig"), reply.info());
        assertEquals(141004, a("update_im_agent", Map.of("WelcomeMessage", "x")).code(), "IMAgentUserID is required");
        assertEquals(141004, a("update_im_agent", Map.of("IMAgentUserID", "nobody", "WelcomeMessage", "x")).code());
        assertEquals(141004, a("update_im_agent", "{\"IMAgentUserID\":\"@customer_service_account\",\"AssignmentStrategy\":1}")
                .code(), "cross-field rules apply to the merged settings");
    }

    @Test
    void appsDoNotShareAccounts() {
        String id = client.okA(SVC, "add_im_agent", with(example1(), "\"IMAgentUserID\":\"only_in_a\"")).json()
                .path("IMAgentUserID").asText();
        JsonNode b = client.callB(SVC, "get_im_agent_list", "{}").json().path("Data");
        for (JsonNode item : b) {
            assertFalse(id.equals(item.path("IMAgentUserID").asText()));
        }
        assertEquals(141004, client.callB(SVC, "delete_im_agent", "{\"IMAgentUserID\":\"only_in_a\"}").code());
        Map<String, Object> body = new HashMap<>();
        body.put("IMAgentUserID", "only_in_a");
        body.put("WelcomeMessage", "B was here");
        assertEquals(141004, client.callB(SVC, "update_im_agent", AdminClient.json(body)).code());
        assertEquals(List.of("欢迎咨询衣服官方旗舰店，很高兴为您服务！"), List.of(find("only_in_a").path("WelcomeMessage").asText()));
    }

    @Test
    void agentGroupsMustBeGroupsOfTheApp() {
        int before = client.okA(SVC, "get_im_agent_list", "{}").json().path("Data").size();
        long real = group("真实分组");
        AdminClient.Reply unknown = a("add_im_agent", EXAMPLE_1.replace("\"AgentGroupId\":1234", "\"AgentGroupId\":999999"));
        assertEquals(141004, unknown.code(), unknown.raw());
        assertTrue(unknown.info().contains("AgentGroupId 999999") && unknown.info().contains("add_agent_group"),
                unknown.info());
        AdminClient.Reply choices = a("add_im_agent", with(example1(), "\"AssignmentStrategy\":1,"
                + "\"DisplayGroupsChoices\":[" + real + ",999998,999997]").replace("\"AssignmentStrategy\":0,", ""));
        assertEquals(141004, choices.code(), choices.raw());
        assertTrue(choices.info().contains("DisplayGroupsChoices") && choices.info().contains("999997, 999998")
                && !choices.info().contains(Long.toString(real)), choices.info());
        AdminClient.Reply twice = a("add_im_agent", with(example1(), "\"DisplayGroupsChoices\":[" + real + "," + real + "]"));
        assertEquals(141004, twice.code(), twice.raw());
        assertTrue(twice.info().contains("twice"), twice.info());
        AdminClient.Reply zero = a("add_im_agent", with(example1(), "\"DisplayGroupsChoices\":[0]"));
        assertEquals(141004, zero.code(), zero.raw());
        assertTrue(zero.info().contains("DisplayGroupsChoices"), zero.info());
        // app B's groups are not app A's
        // (ids are per app: add groups in B until one has an id that no group of A has)
        java.util.Set<Long> idsOfA = new java.util.HashSet<>();
        client.okA(SVC, "get_agent_group_list", "{}").json().path("AgentGroups")
                .forEach(g -> idsOfA.add(g.path("AgentGroupId").asLong()));
        long groupOfB;
        int n = 0;
        do {
            AdminClient.Reply inB = client.callB(SVC, "add_agent_group", "{\"Name\":\"B 的分组 " + n++ + "\"}");
            assertTrue(inB.ok(), inB.raw());
            groupOfB = inB.json().path("AgentGroupId").asLong();
        } while (idsOfA.contains(groupOfB));
        assertEquals(141004, a("add_im_agent", EXAMPLE_1.replace("\"AgentGroupId\":1234", "\"AgentGroupId\":" + groupOfB))
                .code());
        assertEquals(before, client.okA(SVC, "get_im_agent_list", "{}").json().path("Data").size(), "nothing added");

        // 0 = no group: any member may serve
        client.okA(SVC, "add_im_agent", with(EXAMPLE_1.replace("\"AgentGroupId\":1234", "\"AgentGroupId\":0"),
                "\"IMAgentUserID\":\"no_group\""));
        assertEquals(0, find("no_group").path("AgentGroupId").asLong());
        AdminClient.Reply update = a("update_im_agent", Map.of("IMAgentUserID", "no_group", "AgentGroupId", 999999));
        assertEquals(141004, update.code(), update.raw());
        assertTrue(update.info().contains("999999"), update.info());
        assertEquals(141004, a("update_im_agent", Map.of("IMAgentUserID", "no_group", "DisplayGroupsChoices",
                List.of(real, 999999))).code());
        assertEquals(0, find("no_group").path("AgentGroupId").asLong(), "unchanged");
        client.okA(SVC, "update_im_agent", Map.of("IMAgentUserID", "no_group", "AgentGroupId", real, "DisplayGroupsChoices",
                List.of(real)));
        assertEquals(real, find("no_group").path("AgentGroupId").asLong());
        assertEquals(List.of(real), List.of(find("no_group").path("DisplayGroupsChoices").get(0).asLong()));
        // the default account may name a group too
        client.okA(SVC, "update_im_agent", Map.of("IMAgentUserID", "@customer_service_account", "AgentGroupId", real));
        client.okA(SVC, "update_im_agent", Map.of("IMAgentUserID", "@customer_service_account", "AgentGroupId", 0));
    }
}
