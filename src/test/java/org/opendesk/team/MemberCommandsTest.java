package org.opendesk.team;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opendesk.Desk;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opendesk.team.TeamApi.assertRefused;

/** Members (desk_http_svc add_member, update_member, delete_member, get_member_list, ...), through real HTTP. */
@ServerTest
class MemberCommandsTest {
    private static Desk desk;
    private final TeamApi api;

    MemberCommandsTest(Http1Client http) {
        this.api = new TeamApi(new AdminClient(http));
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    private static String storedHash(long app, String memberId) {
        try (var rows = desk.database().client().execute()
                .createQuery("SELECT password_hash FROM desk_member WHERE sdkappid = ? AND member_id = ?")
                .addParam(app).addParam(memberId).execute()) {
            return rows.map(r -> r.column("password_hash").getString()).findFirst().orElseThrow();
        }
    }

    private static void logsIn(String memberId, String password) {
        TeamService.Login login = desk.team().authenticate(TestDesk.APP_A, memberId, password);
        assertEquals(memberId, login.member().memberId());
    }

    private static void refusedLogin(String memberId, String password, TeamService.LoginRefused.Reason reason) {
        TeamService.LoginRefused e = assertThrows(TeamService.LoginRefused.class,
                () -> desk.team().authenticate(TestDesk.APP_A, memberId, password));
        assertEquals(reason, e.reason());
    }

    @Test
    void addAnswersTheOneTimePasswordOnceAndListsTheMemberWithoutIt() {
        long before = System.currentTimeMillis();
        AdminClient.Reply added = api.okA("add_member", Map.of("MemberId", " Alice@Example.COM ", "NickName", " Alice ",
                "Roles", List.of("staff", "admin")));
        JsonNode a = added.json();
        List<String> fields = new ArrayList<>();
        a.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("ActionStatus", "ErrorInfo", "ErrorCode", "RequestId", "MemberId", "NickName", "Roles", "Password"),
                fields);
        assertEquals("alice@example.com", a.path("MemberId").asText(), "e-mail addresses are kept in lower case");
        assertEquals("Alice", a.path("NickName").asText());
        assertEquals(List.of("admin", "staff"), TeamApi.texts(a.path("Roles")));
        String password = a.path("Password").asText();
        assertTrue(password.matches("[A-Za-z2-9]{16}"), password);

        JsonNode listed = api.members().get("alice@example.com");
        assertEquals("Alice", listed.path("NickName").asText());
        assertEquals(List.of("admin", "staff"), TeamApi.texts(listed.path("Roles")));
        assertEquals("offline", listed.path("Status").asText());
        assertEquals("", listed.path("RestReason").asText());
        assertEquals(0, listed.path("ForcedOffline").asInt());
        assertEquals(0, listed.path("ActiveSessions").asInt());
        assertTrue(listed.path("AgentGroupIds").isArray() && listed.path("AgentGroupIds").isEmpty());
        assertEquals(0, listed.path("LastLoginTime").asLong(), "never logged in");
        long created = listed.path("CreateTime").asLong();
        assertTrue(created >= before && created <= System.currentTimeMillis() + 1, "CreateTime in ms: " + created);
        assertFalse(listed.has("Password"));
        String raw = api.okA("get_member_list", "{}").raw();
        assertFalse(raw.contains(password), "the password is answered once only");
        assertFalse(raw.contains("argon2"), "nor its hash");

        // it logs in with that password (and the login shows in the list), stored only as an Argon2id hash
        logsIn("alice@example.com", password);
        refusedLogin("alice@example.com", password.substring(1), TeamService.LoginRefused.Reason.BAD_CREDENTIALS);
        assertTrue(api.members().get("alice@example.com").path("LastLoginTime").asLong() >= created);
        String hash = storedHash(TestDesk.APP_A, "alice@example.com");
        assertTrue(hash.startsWith("$argon2id$v=19$"), hash);
        assertFalse(hash.contains(password));
    }

    @Test
    void aMemberIsAddedOnce() {
        api.addMember("bob@example.com", "Bob", "staff");
        assertRefused(api.a("add_member", Map.of("MemberId", "BOB@example.com", "NickName", "Bob 2", "Roles",
                List.of("admin"))), "bob@example.com", "already");
        JsonNode bob = api.members().get("bob@example.com");
        assertEquals("Bob", bob.path("NickName").asText(), "the first one stays as it was");
        assertEquals(List.of("staff"), TeamApi.texts(bob.path("Roles")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"NickName\":\"N\",\"Roles\":[\"staff\"]}|MemberId",
        "{\"MemberId\":\"\",\"NickName\":\"N\",\"Roles\":[\"staff\"]}|MemberId",
        "{\"MemberId\":\"not-an-email\",\"NickName\":\"N\",\"Roles\":[\"staff\"]}|MemberId,not-an-email",
        "{\"MemberId\":\"a@b\",\"NickName\":\"N\",\"Roles\":[\"staff\"]}|MemberId,a@b",
        "{\"MemberId\":\"a b@example.com\",\"NickName\":\"N\",\"Roles\":[\"staff\"]}|MemberId",
        "{\"MemberId\":\"a@@example.com\",\"NickName\":\"N\",\"Roles\":[\"staff\"]}|MemberId",
        "{\"MemberId\":\"a..b@example.com\",\"NickName\":\"N\",\"Roles\":[\"staff\"]}|MemberId",
        "{\"MemberId\":123,\"NickName\":\"N\",\"Roles\":[\"staff\"]}|MemberId,string",
        "{\"MemberId\":[\"x@example.com\"],\"NickName\":\"N\",\"Roles\":[\"staff\"]}|MemberId,string",
        "{\"MemberId\":\"x@example.com\",\"Roles\":[\"staff\"]}|NickName",
        "{\"MemberId\":\"x@example.com\",\"NickName\":\"  \",\"Roles\":[\"staff\"]}|NickName",
        "{\"MemberId\":\"x@example.com\",\"NickName\":5,\"Roles\":[\"staff\"]}|NickName,string",
        "{\"MemberId\":\"x@example.com\",\"NickName\":\"two\\nlines\",\"Roles\":[\"staff\"]}|NickName,control",
        "{\"MemberId\":\"x@example.com\",\"NickName\":\"N\"}|Roles",
        "{\"MemberId\":\"x@example.com\",\"NickName\":\"N\",\"Roles\":[]}|Roles",
        "{\"MemberId\":\"x@example.com\",\"NickName\":\"N\",\"Roles\":[\"owner\"]}|Roles,owner",
        "{\"MemberId\":\"x@example.com\",\"NickName\":\"N\",\"Roles\":\"staff\"}|Roles,array",
        "{\"MemberId\":\"x@example.com\",\"NickName\":\"N\",\"Roles\":[1]}|Roles[0],string",
        "{\"MemberId\":\"x@example.com\",\"NickName\":\"N\",\"Roles\":{\"staff\":1}}|Roles,array"})
    void badAddRequestsAnswer141004NamingTheFieldAndAddNothing(String body, String words) {
        Set<String> before = api.members().keySet();
        assertRefused(api.a("add_member", body), words.split(","));
        assertEquals(before, api.members().keySet());
    }

    @Test
    void longValuesAreRefused() {
        String nick = "n".repeat(TeamService.MAX_NICK_CHARS + 1);
        assertRefused(api.a("add_member", Map.of("MemberId", "long@example.com", "NickName", nick, "Roles", List.of("staff"))),
                "NickName", "64");
        String id = "m".repeat(120) + "@example.com";
        assertRefused(api.a("add_member", Map.of("MemberId", id, "NickName", "N", "Roles", List.of("staff"))), "MemberId",
                "128");
        // 64 characters of any script fit
        api.addMember("long@example.com", "客".repeat(TeamService.MAX_NICK_CHARS), "staff");
    }

    @Test
    void updateChangesTheFieldsGivenAndAnswersTheMember() {
        api.addMember("carol@example.com", "Carol", "staff");
        JsonNode m = api.okA("update_member", Map.of("MemberId", "Carol@Example.com", "NickName", "Carol C.")).json()
                .path("Member");
        assertEquals("carol@example.com", m.path("MemberId").asText());
        assertEquals("Carol C.", m.path("NickName").asText());
        assertEquals(List.of("staff"), TeamApi.texts(m.path("Roles")), "absent Roles keep their value");
        assertEquals("offline", m.path("Status").asText());
        assertTrue(m.has("AgentGroupIds") && m.has("CreateTime") && m.has("LastLoginTime") && m.has("ForcedOffline"));
        m = api.okA("update_member", Map.of("MemberId", "carol@example.com", "Roles", List.of("admin"))).json().path("Member");
        assertEquals("Carol C.", m.path("NickName").asText(), "absent NickName keeps its value");
        assertEquals(List.of("admin"), TeamApi.texts(m.path("Roles")));
        assertEquals(List.of("admin"), TeamApi.texts(api.members().get("carol@example.com").path("Roles")));
        // an online administrator only (no staff role) cannot use the workbench
        String password = api.okA("reset_member_password", Map.of("MemberId", "carol@example.com")).json().path("Password")
                .asText();
        refusedLogin("carol@example.com", password, TeamService.LoginRefused.Reason.NOT_AN_AGENT);

        assertRefused(api.a("update_member", Map.of("MemberId", "nobody@example.com", "NickName", "X")), "nobody@example.com");
        assertRefused(api.a("update_member", Map.of("NickName", "X")), "MemberId");
        assertRefused(api.a("update_member", Map.of("MemberId", "carol@example.com", "Roles", List.of())), "Roles");
        assertRefused(api.a("update_member", Map.of("MemberId", "carol@example.com", "Roles", List.of("root"))), "root");
        assertRefused(api.a("update_member", Map.of("MemberId", "carol@example.com", "Roles", List.of("super_admin"))),
                "super administrator");
        assertRefused(api.a("update_member", Map.of("MemberId", "carol@example.com", "NickName", "")), "NickName");
        assertRefused(api.a("update_member", "{\"MemberId\":\"carol@example.com\",\"NickName\":true}"), "NickName", "string");
        assertEquals("Carol C.", api.members().get("carol@example.com").path("NickName").asText());
    }

    @Test
    void resetGivesANewPasswordAndTheOldOneStopsWorking() {
        String first = api.addMember("dave@example.com", "Dave", "staff").json().path("Password").asText();
        logsIn("dave@example.com", first);
        AdminClient.Reply reset = api.okA("reset_member_password", Map.of("MemberId", "DAVE@example.com"));
        List<String> fields = new ArrayList<>();
        reset.json().fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("ActionStatus", "ErrorInfo", "ErrorCode", "RequestId", "Password"), fields);
        String second = reset.json().path("Password").asText();
        assertTrue(second.matches("[A-Za-z2-9]{16}"), second);
        assertNotEquals(first, second);
        refusedLogin("dave@example.com", first, TeamService.LoginRefused.Reason.BAD_CREDENTIALS);
        logsIn("dave@example.com", second);
        assertFalse(storedHash(TestDesk.APP_A, "dave@example.com").contains(second));
        assertRefused(api.a("reset_member_password", Map.of("MemberId", "nobody@example.com")), "nobody@example.com");
        assertRefused(api.a("reset_member_password", Map.of()), "MemberId");
    }

    @Test
    void aForcedOfflineMemberCannotLogInUntilRestored() {
        String password = api.addMember("erin@example.com", "Erin", "staff").json().path("Password").asText();
        api.okA("force_member_offline", Map.of("MemberId", "erin@example.com"));
        JsonNode erin = api.members().get("erin@example.com");
        assertEquals(1, erin.path("ForcedOffline").asInt());
        assertEquals("offline", erin.path("Status").asText());
        refusedLogin("erin@example.com", password, TeamService.LoginRefused.Reason.FORCED_OFFLINE);
        api.okA("force_member_offline", Map.of("MemberId", "erin@example.com")); // again: no error
        api.okA("restore_member", Map.of("MemberId", "erin@example.com"));
        assertEquals(0, api.members().get("erin@example.com").path("ForcedOffline").asInt());
        logsIn("erin@example.com", password);
        api.okA("restore_member", Map.of("MemberId", "erin@example.com")); // again: no error
        assertRefused(api.a("force_member_offline", Map.of("MemberId", "nobody@example.com")), "nobody@example.com");
        assertRefused(api.a("restore_member", Map.of("MemberId", "nobody@example.com")), "nobody@example.com");
        assertRefused(api.a("force_member_offline", "{\"MemberId\":7}"), "MemberId", "string");
    }

    @Test
    void deleteRemovesTheMemberFromTheListTheGroupsAndTheLogins() {
        String password = api.addMember("frank@example.com", "Frank", "staff").json().path("Password").asText();
        api.addMember("grace@example.com", "Grace", "staff");
        long group = api.addGroup("Frank and Grace", "frank@example.com", "grace@example.com");
        assertEquals(List.of(group), TeamApi.longs(api.members().get("frank@example.com").path("AgentGroupIds")));
        api.okA("delete_member", Map.of("MemberId", "Frank@example.com"));
        assertFalse(api.members().containsKey("frank@example.com"));
        assertEquals(List.of("grace@example.com"), TeamApi.texts(api.groups().get(Long.toString(group)).path("MemberIds")));
        refusedLogin("frank@example.com", password, TeamService.LoginRefused.Reason.BAD_CREDENTIALS);
        assertRefused(api.a("delete_member", Map.of("MemberId", "frank@example.com")), "frank@example.com");
        assertRefused(api.a("delete_member", "{}"), "MemberId");
    }

    @Test
    void theSuperAdministratorIsOneNeitherChangedNorDeleted() {
        // in app B: app A's other tests need not know about it
        AdminClient.Reply added = api.b("add_member", Map.of("MemberId", "owner@example.com", "NickName", "Owner", "Roles",
                List.of("super_admin")));
        assertTrue(added.ok(), added.raw());
        assertEquals(List.of("super_admin"), TeamApi.texts(added.json().path("Roles")));
        assertRefused(api.b("add_member", Map.of("MemberId", "owner2@example.com", "NickName", "Owner 2", "Roles",
                List.of("super_admin", "staff"))), "super administrator", "owner@example.com");
        assertRefused(api.b("update_member", Map.of("MemberId", "owner@example.com", "NickName", "Boss")), "super administrator");
        assertRefused(api.b("update_member", Map.of("MemberId", "owner@example.com", "Roles", List.of("staff"))),
                "super administrator");
        assertRefused(api.b("delete_member", Map.of("MemberId", "owner@example.com")), "super administrator");
        assertTrue(api.b("add_member", Map.of("MemberId", "helper@example.com", "NickName", "Helper", "Roles",
                List.of("admin"))).ok());
        assertRefused(api.b("update_member", Map.of("MemberId", "helper@example.com", "Roles", List.of("admin", "super_admin"))),
                "super administrator");
        // the super administrator can still get a new password, be forced offline and be restored
        assertTrue(api.b("reset_member_password", Map.of("MemberId", "owner@example.com")).ok());
        assertTrue(api.b("force_member_offline", Map.of("MemberId", "owner@example.com")).ok());
        assertTrue(api.b("restore_member", Map.of("MemberId", "owner@example.com")).ok());
        JsonNode owner = api.membersB().get("owner@example.com");
        assertEquals("Owner", owner.path("NickName").asText());
        assertEquals(List.of("super_admin"), TeamApi.texts(owner.path("Roles")));
        assertEquals(List.of("admin"), TeamApi.texts(api.membersB().get("helper@example.com").path("Roles")));
    }

    @Test
    void appsDoNotShareMembers() {
        api.addMember("only-in-a@example.com", "Only in A", "staff");
        assertFalse(api.membersB().containsKey("only-in-a@example.com"));
        assertRefused(api.b("update_member", Map.of("MemberId", "only-in-a@example.com", "NickName", "B was here")),
                "only-in-a@example.com");
        assertRefused(api.b("delete_member", Map.of("MemberId", "only-in-a@example.com")), "only-in-a@example.com");
        assertRefused(api.b("reset_member_password", Map.of("MemberId", "only-in-a@example.com")), "only-in-a@example.com");
        assertRefused(api.b("force_member_offline", Map.of("MemberId", "only-in-a@example.com")), "only-in-a@example.com");
        assertRefused(api.b("add_agent_group", Map.of("Name", "B's", "MemberIds", List.of("only-in-a@example.com"))),
                "MemberIds", "only-in-a@example.com");
        // the same e-mail may be a member of both apps, each with its own name and password
        AdminClient.Reply inB = api.b("add_member", Map.of("MemberId", "only-in-a@example.com", "NickName", "Also in B",
                "Roles", List.of("admin")));
        assertTrue(inB.ok(), inB.raw());
        JsonNode a = api.members().get("only-in-a@example.com");
        assertEquals("Only in A", a.path("NickName").asText());
        assertEquals(List.of("staff"), TeamApi.texts(a.path("Roles")));
        assertEquals("Also in B", api.membersB().get("only-in-a@example.com").path("NickName").asText());
        api.okA("delete_member", Map.of("MemberId", "only-in-a@example.com"));
        assertTrue(api.membersB().containsKey("only-in-a@example.com"), "deleting in A leaves B's member");
    }
}
