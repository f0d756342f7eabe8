package org.opendesk.team;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opendesk.team.TeamApi.assertRefused;

/** Agent groups (desk_http_svc add_agent_group, update_agent_group, delete_agent_group, get_agent_group_list). */
@ServerTest
class TeamGroupCommandsTest {
    /** A customer-service account with every field add_im_agent requires; the group fields are added per test. */
    private static final String ACCOUNT = "{\"IMAgentNick\":\"售前\",\"IMAgentAvatarUrl\":\"\",\"WelcomeMessage\":\"你好\","
            + "\"ChatbotDisabled\":0,\"TransferToHumanPrompt\":\"转接中\",\"TransferToHumanSuccessPrompt\":\"转接成功\","
            + "\"TransferToHumanFailPrompt\":\"无客服\",\"QueueingPrompt\":\"排队中\",\"UserTimeout\":600,\"EndPrompt\":\"结束\","
            + "\"TimeoutEndPrompt\":\"超时结束\",\"WorkTimeConfig\":{\"Type\":0},\"NotWorkTimePrompt\":\"非工作时间\"";
    private final TeamApi api;
    private final AdminClient client;

    TeamGroupCommandsTest(Http1Client http) {
        this.client = new AdminClient(http);
        this.api = new TeamApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    @Test
    void addUpdateListAndDeleteAGroup() {
        api.addMember("g1@example.com", "G1", "staff");
        api.addMember("g2@example.com", "G2", "staff");
        api.addMember("g3@example.com", "G3", "staff", "admin");
        AdminClient.Reply added = api.okA("add_agent_group", Map.of("Name", " 售前 ", "MemberIds",
                List.of("G2@example.com", "g1@example.com", "g2@example.com")));
        long id = added.json().path("AgentGroupId").asLong();
        assertTrue(id >= 1_001, "ids start at 1001: " + id);
        JsonNode group = api.groups().get(Long.toString(id));
        assertEquals("售前", group.path("Name").asText(), "trimmed");
        assertEquals(List.of("g1@example.com", "g2@example.com"), TeamApi.texts(group.path("MemberIds")),
                "lower case, once each, in order");
        assertEquals(List.of(id), TeamApi.longs(api.members().get("g1@example.com").path("AgentGroupIds")));
        assertEquals(List.of(), TeamApi.longs(api.members().get("g3@example.com").path("AgentGroupIds")));

        // the name only: the members stay
        JsonNode updated = api.okA("update_agent_group", Map.of("AgentGroupId", id, "Name", "Presales")).json()
                .path("AgentGroup");
        assertEquals(id, updated.path("AgentGroupId").asLong());
        assertEquals("Presales", updated.path("Name").asText());
        assertEquals(List.of("g1@example.com", "g2@example.com"), TeamApi.texts(updated.path("MemberIds")));
        // the members only: the whole new list
        updated = api.okA("update_agent_group", Map.of("AgentGroupId", id, "MemberIds", List.of("g3@example.com"))).json()
                .path("AgentGroup");
        assertEquals("Presales", updated.path("Name").asText());
        assertEquals(List.of("g3@example.com"), TeamApi.texts(updated.path("MemberIds")));
        assertEquals(List.of(), TeamApi.longs(api.members().get("g1@example.com").path("AgentGroupIds")));
        assertEquals(List.of(id), TeamApi.longs(api.members().get("g3@example.com").path("AgentGroupIds")));
        // a member in two groups lists both
        long second = api.addGroup("Aftersales", "g3@example.com");
        assertEquals(List.of(id, second), TeamApi.longs(api.members().get("g3@example.com").path("AgentGroupIds")));
        // keeping its own name is no clash; [] empties the group
        api.okA("update_agent_group", Map.of("AgentGroupId", id, "Name", "Presales", "MemberIds", List.of()));
        assertTrue(api.groups().get(Long.toString(id)).path("MemberIds").isEmpty());

        api.okA("delete_agent_group", Map.of("AgentGroupId", id));
        assertFalse(api.groups().containsKey(Long.toString(id)));
        assertEquals(List.of(second), TeamApi.longs(api.members().get("g3@example.com").path("AgentGroupIds")));
        assertRefused(api.a("delete_agent_group", Map.of("AgentGroupId", id)), Long.toString(id));
        assertRefused(api.a("update_agent_group", Map.of("AgentGroupId", id, "Name", "Back")), Long.toString(id));
        // the name is free again; a new group gets a new id
        long again = api.addGroup("Presales");
        assertTrue(again > second, again + " after " + second);
    }

    @Test
    void aGroupWithoutMembersAndAnEmptyBody() {
        long id = api.okA("add_agent_group", Map.of("Name", "Nobody yet")).json().path("AgentGroupId").asLong();
        assertTrue(api.groups().get(Long.toString(id)).path("MemberIds").isEmpty());
        assertTrue(api.okA("get_agent_group_list", "").json().path("AgentGroups").isArray(), "an empty body counts as {}");
    }

    @Test
    void groupNamesAreUniqueInAnApp() {
        long first = api.addGroup("VIP");
        assertRefused(api.a("add_agent_group", Map.of("Name", "VIP")), "VIP", Long.toString(first), "already");
        assertRefused(api.a("add_agent_group", Map.of("Name", " VIP ")), "VIP", "already");
        long other = api.addGroup("vip");  // names compare case-sensitively
        assertRefused(api.a("update_agent_group", Map.of("AgentGroupId", other, "Name", "VIP")), "VIP", "already");
        assertEquals("vip", api.groups().get(Long.toString(other)).path("Name").asText());
        // app B has names of its own
        AdminClient.Reply inB = api.b("add_agent_group", Map.of("Name", "VIP"));
        assertTrue(inB.ok(), inB.raw());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "add_agent_group|{}|Name",
        "add_agent_group|{\"Name\":\"\"}|Name",
        "add_agent_group|{\"Name\":12}|Name,string",
        "add_agent_group|{\"Name\":\"a\\tb\"}|Name,control",
        "add_agent_group|{\"Name\":\"X\",\"MemberIds\":[\"ghost@example.com\"]}|MemberIds,ghost@example.com,add_member",
        "add_agent_group|{\"Name\":\"X\",\"MemberIds\":[\"not-an-email\"]}|MemberIds[0],not-an-email",
        "add_agent_group|{\"Name\":\"X\",\"MemberIds\":\"ghost@example.com\"}|MemberIds,array",
        "add_agent_group|{\"Name\":\"X\",\"MemberIds\":[7]}|MemberIds[0],string",
        "update_agent_group|{\"Name\":\"X\"}|AgentGroupId",
        "update_agent_group|{\"AgentGroupId\":999999,\"Name\":\"X\"}|AgentGroupId,999999",
        "update_agent_group|{\"AgentGroupId\":0,\"Name\":\"X\"}|AgentGroupId",
        "update_agent_group|{\"AgentGroupId\":-5,\"Name\":\"X\"}|AgentGroupId",
        "update_agent_group|{\"AgentGroupId\":\"1001\",\"Name\":\"X\"}|AgentGroupId,integer",
        "update_agent_group|{\"AgentGroupId\":1001.5,\"Name\":\"X\"}|AgentGroupId,integer",
        "update_agent_group|{\"AgentGroupId\":123456789012345678901234567890}|AgentGroupId,integer",
        "delete_agent_group|{}|AgentGroupId",
        "delete_agent_group|{\"AgentGroupId\":999999}|AgentGroupId,999999",
        "delete_agent_group|{\"AgentGroupId\":[1001]}|AgentGroupId,integer"})
    void badRequestsAnswer141004NamingTheField(String command, String body, String words) {
        long id = api.addGroup("Kept " + System.nanoTime(), ensureMember());
        Map<String, JsonNode> before = api.groups();
        String bound = body.replace("1001", Long.toString(id));
        assertRefused(api.a(command, bound), words.replace("1001", Long.toString(id)).split(","));
        assertEquals(before.toString(), api.groups().toString(), "nothing changed");
    }

    private String ensureMember() {
        if (!api.members().containsKey("kept@example.com")) {
            api.addMember("kept@example.com", "Kept", "staff");
        }
        return "kept@example.com";
    }

    @Test
    void updateWithABadMemberListChangesNothing() {
        api.addMember("u1@example.com", "U1", "staff");
        long id = api.addGroup("Stays", "u1@example.com");
        assertRefused(api.a("update_agent_group", Map.of("AgentGroupId", id, "Name", "Renamed", "MemberIds",
                List.of("u1@example.com", "ghost@example.com"))), "ghost@example.com");
        JsonNode group = api.groups().get(Long.toString(id));
        assertEquals("Stays", group.path("Name").asText(), "all or nothing: the name did not change either");
        assertEquals(List.of("u1@example.com"), TeamApi.texts(group.path("MemberIds")));
    }

    @Test
    void aGroupThatACustomerServiceAccountUsesCannotBeDeleted() {
        long sales = api.addGroup("Sales desk");
        long support = api.addGroup("Support desk");
        client.okA(TeamApi.SVC, "add_im_agent", ACCOUNT + ",\"IMAgentUserID\":\"uses_sales\",\"AgentGroupId\":" + sales + "}");
        client.okA(TeamApi.SVC, "add_im_agent", ACCOUNT + ",\"IMAgentUserID\":\"offers_support\",\"AgentGroupId\":0,"
                + "\"AssignmentStrategy\":1,\"DisplayGroupsChoices\":[" + sales + "," + support + "]}");
        assertRefused(api.a("delete_agent_group", Map.of("AgentGroupId", sales)), Long.toString(sales), "uses_sales",
                "AgentGroupId", "update_im_agent");
        client.okA(TeamApi.SVC, "update_im_agent", Map.of("IMAgentUserID", "uses_sales", "AgentGroupId", 0));
        assertRefused(api.a("delete_agent_group", Map.of("AgentGroupId", sales)), "offers_support", "DisplayGroupsChoices");
        assertRefused(api.a("delete_agent_group", Map.of("AgentGroupId", support)), "offers_support", "DisplayGroupsChoices");
        client.okA(TeamApi.SVC, "update_im_agent", Map.of("IMAgentUserID", "offers_support", "DisplayGroupsChoices",
                List.of(support)));
        api.okA("delete_agent_group", Map.of("AgentGroupId", sales));
        assertFalse(api.groups().containsKey(Long.toString(sales)));
        // renaming a group in use is fine; deleting the account frees the group
        api.okA("update_agent_group", Map.of("AgentGroupId", support, "Name", "Support"));
        client.okA(TeamApi.SVC, "delete_im_agent", Map.of("IMAgentUserID", "offers_support"));
        api.okA("delete_agent_group", Map.of("AgentGroupId", support));
    }

    @Test
    void appsDoNotShareGroups() {
        api.addMember("in-a@example.com", "In A", "staff");
        long id = api.addGroup("A only", "in-a@example.com");
        AdminClient.Reply listB = api.b("get_agent_group_list", Map.of());
        assertTrue(listB.ok(), listB.raw());
        assertFalse(TeamApi.byKey(listB.json().path("AgentGroups"), "AgentGroupId").containsKey(Long.toString(id)));
        assertRefused(api.b("update_agent_group", Map.of("AgentGroupId", id, "Name", "B was here")), Long.toString(id));
        assertRefused(api.b("delete_agent_group", Map.of("AgentGroupId", id)), Long.toString(id));
        // nor can app B's customer-service accounts name it
        AdminClient.Reply account = client.callB(TeamApi.SVC, "add_im_agent", ACCOUNT + ",\"AgentGroupId\":" + id + "}");
        assertRefused(account, "AgentGroupId", Long.toString(id));
        assertEquals("A only", api.groups().get(Long.toString(id)).path("Name").asText());
    }
}
