package org.opendesk.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** im_open_login_svc through the real HTTP stack, with the public docs' fields and limits. */
@ServerTest
class AccountCommandsTest {
    private static final String SVC = "im_open_login_svc";
    private final AdminClient client;

    AccountCommandsTest(Http1Client http) {
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    private Map<String, String> status(String... ids) {
        String items = java.util.Arrays.stream(ids).map(id -> "{\"UserID\":\"" + id + "\"}").collect(Collectors.joining(","));
        AdminClient.Reply reply = client.callA(SVC, "account_check", "{\"CheckItem\":[" + items + "]}");
        assertTrue(reply.ok(), reply.raw());
        Map<String, String> out = new HashMap<>();
        for (JsonNode item : reply.json().path("ResultItem")) {
            out.put(item.path("UserID").asText(), item.path("AccountStatus").asText());
        }
        assertEquals(ids.length, reply.json().path("ResultItem").size(), "one result per item");
        return out;
    }

    private static String jsonIds(String field, int n, String prefix) {
        return "{\"" + field + "\":[" + IntStream.range(0, n).mapToObj(i -> "{\"UserID\":\"" + prefix + i + "\"}")
                .collect(Collectors.joining(",")) + "]}";
    }

    @Test
    void everyAppStartsWithTheDefaultCustomerServiceAccountAndItsAdmins() {
        Map<String, String> s = status("@customer_service_account", "administrator", "nobody_yet");
        assertEquals("Imported", s.get("@customer_service_account"));
        assertEquals("Imported", s.get("administrator"));
        assertEquals("NotImported", s.get("nobody_yet"));
        assertTrue(client.callB(SVC, "account_check", "{\"CheckItem\":[{\"UserID\":\"@customer_service_account\"}]}")
                .raw().contains("\"Imported\""));
    }

    @Test
    void importOneThenReimport() {
        AdminClient.Reply reply = client.callA(SVC, "account_import", "{\"UserID\":\"alice\",\"Nick\":\"Alice\",\"FaceUrl\":\"https://x/a.png\"}");
        assertTrue(reply.ok(), reply.raw());
        assertTrue(client.callA(SVC, "account_import", "{\"UserID\":\"alice\",\"Nick\":\"爱丽丝 😀\"}").ok());
        assertEquals("Imported", status("alice").get("alice"));
        // the older field name
        assertTrue(client.callA(SVC, "account_import", "{\"Identifier\":\"legacy_user\"}").ok());
        assertEquals("Imported", status("legacy_user").get("legacy_user"));
    }

    @Test
    void userIdsAreCaseSensitive() {
        assertTrue(client.callA(SVC, "account_import", "{\"UserID\":\"CaseUser\"}").ok());
        Map<String, String> s = status("CaseUser", "caseuser", "CASEUSER");
        assertEquals("Imported", s.get("CaseUser"));
        assertEquals("NotImported", s.get("caseuser"));
        assertEquals("NotImported", s.get("CASEUSER"));
        assertTrue(client.callA(SVC, "account_import", "{\"UserID\":\"caseuser\"}").ok(), "a different account");
    }

    @Test
    void importRefusesBadUserIds() {
        assertEquals(70402, client.callA(SVC, "account_import", "{}").code());
        assertEquals(70402, client.callA(SVC, "account_import", "{\"UserID\":\"\"}").code());
        assertEquals(70402, client.callA(SVC, "account_import", "{\"UserID\":\"" + "x".repeat(33) + "\"}").code());
        // 32 bytes is the limit, counted in UTF-8: 11 Chinese characters are 33 bytes
        assertTrue(client.callA(SVC, "account_import", "{\"UserID\":\"" + "x".repeat(32) + "\"}").ok());
        assertEquals(70402, client.callA(SVC, "account_import", "{\"UserID\":\"" + "客".repeat(11) + "\"}").code());
        assertEquals(70402, client.callA(SVC, "account_import", "{\"UserID\":\"@RBT#fake_robot\"}").code());
        assertEquals(70402, client.callA(SVC, "account_import", "{\"UserID\":\"u\",\"Nick\":\"" + "n".repeat(501) + "\"}").code());
    }

    @Test
    void multiImportBothFormsAndFailures() {
        AdminClient.Reply reply = client.callA(SVC, "multiaccount_import",
                "{\"Accounts\":[\"m_1\",\"m_2\",\"" + "y".repeat(40) + "\"],"
                        + "\"AccountList\":[{\"UserID\":\"m_3\",\"Nick\":\"三\"},{\"UserID\":\"@RBT#x\"}]}");
        assertTrue(reply.ok(), reply.raw());
        JsonNode failed = reply.json().path("FailAccounts");
        assertEquals(2, failed.size(), reply.raw());
        assertEquals("y".repeat(40), failed.get(0).asText());
        assertEquals("@RBT#x", failed.get(1).asText());
        Map<String, String> s = status("m_1", "m_2", "m_3");
        assertTrue(s.values().stream().allMatch("Imported"::equals), s.toString());
        AdminClient.Reply clean = client.callA(SVC, "multiaccount_import", "{\"Accounts\":[\"m_4\"]}");
        assertEquals(0, clean.json().path("FailAccounts").size(), "FailAccounts is [] when all imported");
    }

    @Test
    void batchesOfAHundredPassAndLargerAreRefused() {
        String hundred = "{\"Accounts\":[" + IntStream.range(0, 100).mapToObj(i -> "\"b_" + i + "\"")
                .collect(Collectors.joining(",")) + "]}";
        assertTrue(client.callA(SVC, "multiaccount_import", hundred).ok());
        String over = "{\"Accounts\":[" + IntStream.range(0, 101).mapToObj(i -> "\"c_" + i + "\"")
                .collect(Collectors.joining(",")) + "]}";
        AdminClient.Reply refused = client.callA(SVC, "multiaccount_import", over);
        assertEquals(70402, refused.code());
        assertTrue(refused.info().contains("100"), refused.info());
        assertEquals("NotImported", status("c_0").get("c_0"), "nothing of a refused batch is imported");

        AdminClient.Reply check100 = client.callA(SVC, "account_check", jsonIds("CheckItem", 100, "b_"));
        assertTrue(check100.ok());
        assertEquals(100, check100.json().path("ResultItem").size());
        check100.json().path("ResultItem").forEach(i -> assertEquals("Imported", i.path("AccountStatus").asText()));
        assertEquals(70402, client.callA(SVC, "account_check", jsonIds("CheckItem", 101, "b_")).code());
        assertEquals(70402, client.callA(SVC, "account_delete", jsonIds("DeleteItem", 101, "b_")).code());
        assertEquals(70402, client.callA(SVC, "account_check", "{\"CheckItem\":[]}").code());
        assertEquals(70402, client.callA(SVC, "account_delete", "{}").code());
        assertEquals(70402, client.callA(SVC, "multiaccount_import", "{\"Accounts\":[]}").code());
    }

    @Test
    void checkReportsMalformedIdsPerItem() {
        AdminClient.Reply reply = client.callA(SVC, "account_check",
                "{\"CheckItem\":[{\"UserID\":\"" + "z".repeat(40) + "\"},{\"UserID\":\"administrator\"}]}");
        assertTrue(reply.ok(), reply.raw());
        assertEquals(70402, reply.json().path("ResultItem").get(0).path("ResultCode").asInt());
        assertEquals(0, reply.json().path("ResultItem").get(1).path("ResultCode").asInt());
        assertEquals(70402, client.callA(SVC, "account_check", "{\"CheckItem\":[{}]}").code());
    }

    @Test
    void deleteWithPerItemResults() {
        assertTrue(client.callA(SVC, "multiaccount_import", "{\"Accounts\":[\"d_1\",\"d_2\"]}").ok());
        AdminClient.Reply reply = client.callA(SVC, "account_delete", "{\"DeleteItem\":[{\"UserID\":\"d_1\"},"
                + "{\"UserID\":\"d_missing\"},{\"UserID\":\"administrator\"},{\"UserID\":\"@customer_service_account\"}]}");
        assertTrue(reply.ok(), reply.raw());
        JsonNode items = reply.json().path("ResultItem");
        assertEquals(4, items.size());
        assertEquals("d_1", items.get(0).path("UserID").asText());
        assertEquals(0, items.get(0).path("ResultCode").asInt());
        assertEquals(70107, items.get(1).path("ResultCode").asInt());
        assertEquals("Err_TLS_PT_Open_Login_Account_Not_Exist", items.get(1).path("ResultInfo").asText());
        assertEquals(70402, items.get(2).path("ResultCode").asInt());
        assertEquals(70402, items.get(3).path("ResultCode").asInt());
        Map<String, String> s = status("d_1", "d_2", "administrator", "@customer_service_account");
        assertEquals("NotImported", s.get("d_1"));
        assertEquals("Imported", s.get("d_2"));
        assertEquals("Imported", s.get("administrator"));
        assertEquals("Imported", s.get("@customer_service_account"));
        // a deleted account can be imported again
        assertTrue(client.callA(SVC, "account_import", "{\"UserID\":\"d_1\"}").ok());
        assertEquals("Imported", status("d_1").get("d_1"));
    }
}
