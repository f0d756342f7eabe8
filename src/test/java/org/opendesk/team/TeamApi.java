package org.opendesk.team;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendesk.testing.AdminClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The team's commands of desk_http_svc as the tests call them, over real HTTP through {@link AdminClient}. */
final class TeamApi {
    static final String SVC = "desk_http_svc";
    private final AdminClient client;

    TeamApi(AdminClient client) {
        this.client = client;
    }

    AdminClient.Reply a(String command, Object body) {
        return client.callA(SVC, command, body);
    }

    AdminClient.Reply okA(String command, Object body) {
        return client.okA(SVC, command, body);
    }

    AdminClient.Reply b(String command, Object body) {
        return client.callB(SVC, command, AdminClient.json(body));
    }

    /** add_member in app A, answering the reply (with the one-time password). */
    AdminClient.Reply addMember(String id, String nick, String... roles) {
        return okA("add_member", Map.of("MemberId", id, "NickName", nick, "Roles", List.of(roles)));
    }

    long addGroup(String name, String... memberIds) {
        return okA("add_agent_group", Map.of("Name", name, "MemberIds", List.of(memberIds))).json().path("AgentGroupId")
                .asLong();
    }

    /** get_member_list of app A by MemberId, in the order answered. */
    Map<String, JsonNode> members() {
        return byKey(okA("get_member_list", "{}").json().path("Members"), "MemberId");
    }

    Map<String, JsonNode> membersB() {
        AdminClient.Reply reply = b("get_member_list", Map.of());
        assertTrue(reply.ok(), reply.raw());
        return byKey(reply.json().path("Members"), "MemberId");
    }

    /** get_agent_group_list of app A by AgentGroupId. */
    Map<String, JsonNode> groups() {
        return byKey(okA("get_agent_group_list", "{}").json().path("AgentGroups"), "AgentGroupId");
    }

    static Map<String, JsonNode> byKey(JsonNode items, String key) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        items.forEach(item -> out.put(item.path(key).asText(), item));
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    /**
     * A refusal as a caller must see it: 141004, ActionStatus FAIL, an ErrorInfo naming every given word (the field,
     * the value), and nothing of the server's insides (no exception, class or package names) and no payload.
     */
    static void assertRefused(AdminClient.Reply reply, String... words) {
        assertEquals(200, reply.status());
        assertEquals(141004, reply.code(), reply.raw());
        assertEquals("FAIL", reply.json().path("ActionStatus").asText());
        String info = reply.info();
        for (String word : words) {
            assertTrue(info.contains(word), "ErrorInfo should name " + word + ": " + info);
        }
        assertFalse(info.matches("(?s).*(Exception|org\\.opendesk|com\\.fasterxml|java\\.|\\$|\\tat ).*"), info);
        List<String> fields = new ArrayList<>();
        reply.json().fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("ActionStatus", "ErrorInfo", "ErrorCode", "RequestId"), fields, reply.raw());
    }
}
