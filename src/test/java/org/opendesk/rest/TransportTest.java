package org.opendesk.rest;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opendesk.testing.TestDesk.ADMIN;
import static org.opendesk.testing.TestDesk.APP_A;

/** Transport-level failures: each answers HTTP 200 with the vendor's envelope and code. */
@ServerTest
class TransportTest {
    private static final String CHECK = "{\"CheckItem\":[{\"UserID\":\"@customer_service_account\"}]}";
    private final Http1Client http;
    private final AdminClient client;

    TransportTest(Http1Client http) {
        this.http = http;
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_MAX_BODY_BYTES", "65536"));
    }

    private static Map<String, String> query() {
        return AdminClient.query(APP_A, ADMIN, TestDesk.sigA(ADMIN));
    }

    private static void assertFail(AdminClient.Reply reply, int code, String infoMentions) {
        assertEquals(200, reply.status(), reply.raw());
        assertEquals("FAIL", reply.json().path("ActionStatus").asText(), reply.raw());
        assertEquals(code, reply.code(), reply.raw());
        assertTrue(reply.info().contains(infoMentions), "ErrorInfo should mention " + infoMentions + ": " + reply.info());
        assertFalse(reply.raw().contains("Exception"), "no stack traces: " + reply.raw());
    }

    @Test
    void unknownServiceAndCommand() {
        assertFail(client.call("no_such_svc", "account_check", query(), CHECK), 60009, "no_such_svc");
        assertFail(client.call("im_open_login_svc", "account_frobnicate", query(), CHECK), 60009, "account_check");
        assertFail(client.raw(Method.POST, "/v4/im_open_login_svc", query(), CHECK, Map.of()), 60009, "unknown");
        assertFail(client.raw(Method.POST, "/v4/a/b/c", query(), CHECK, Map.of()), 60009, "unknown");
    }

    @Test
    void wrongMethod() {
        assertFail(client.raw(Method.GET, "/v4/im_open_login_svc/account_check", query(), null, Map.of()), 60008, "POST");
        assertFail(client.raw(Method.PUT, "/v4/im_open_login_svc/account_check", query(), CHECK, Map.of()), 60008, "POST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "4294967296", "abc", "", "12345678901", "1.5"})
    void randomMustBeUnsigned32(String random) {
        Map<String, String> q = new LinkedHashMap<>(query());
        q.put("random", random);
        assertFail(client.call("im_open_login_svc", "account_check", q, CHECK), 60002, "random");
    }

    @Test
    void randomBoundsAreInclusive() {
        for (String random : new String[] {"0", "4294967295"}) {
            Map<String, String> q = new LinkedHashMap<>(query());
            q.put("random", random);
            assertTrue(client.call("im_open_login_svc", "account_check", q, CHECK).ok());
        }
        Map<String, String> q = new LinkedHashMap<>(query());
        q.remove("random");
        assertFail(client.call("im_open_login_svc", "account_check", q, CHECK), 60002, "random");
    }

    @Test
    void contentTypeMustBeJson() {
        Map<String, String> q = new LinkedHashMap<>(query());
        q.put("contenttype", "xml");
        assertFail(client.call("im_open_login_svc", "account_check", q, CHECK), 60002, "contenttype");
        q.remove("contenttype");
        assertFail(client.call("im_open_login_svc", "account_check", q, CHECK), 60002, "contenttype");
    }

    @Test
    void malformedJson() {
        assertFail(client.call("im_open_login_svc", "account_check", query(), "{\"CheckItem\":[{\"UserID\":"), 60003, "JSON");
        assertFail(client.call("im_open_login_svc", "account_check", query(), "{'CheckItem':1}"), 60003, "JSON");
        assertFail(client.call("im_open_login_svc", "account_check", query(), "{\"a\":1,\"a\":2}"), 60003, "JSON");
    }

    @Test
    void jsonThatIsNotAnObject() {
        assertFail(client.call("im_open_login_svc", "account_check", query(), "[1,2]"), 60003, "object");
        assertFail(client.call("im_open_login_svc", "account_check", query(), "\"text\""), 60003, "object");
        assertFail(client.call("im_open_login_svc", "account_check", query(), "42"), 60003, "object");
    }

    @Test
    void fieldsOfTheWrongTypeNameTheField() {
        assertFail(client.call("im_open_login_svc", "account_check", query(), "{\"CheckItem\":\"x\"}"), 70402, "CheckItem");
        assertFail(client.call("im_open_login_svc", "account_check", query(), "{\"CheckItem\":[{\"UserID\":{}}]}"),
                70402, "UserID");
    }

    @Test
    void emptyBodyIsAnEmptyObject() {
        // {} is the vendor's body for commands without fields; an empty body reads the same.
        assertFail(client.call("im_open_login_svc", "account_check", query(), ""), 70402, "CheckItem");
    }

    @Test
    void oversizeBodyIsRefusedAndTheServerCarriesOn() {
        String big = "{\"CheckItem\":[{\"UserID\":\"" + "x".repeat(70_000) + "\"}]}";
        assertFail(client.call("im_open_login_svc", "account_check", query(), big), 60008, "larger");
        assertTrue(client.call("im_open_login_svc", "account_check", query(), CHECK).ok());
    }

    @Test
    void requestIdInBodyHeaderAndFromClient() {
        AdminClient.Reply ok = client.call("im_open_login_svc", "account_check", query(), CHECK);
        assertNotNull(ok.requestIdHeader());
        assertEquals(ok.requestIdHeader(), ok.json().path("RequestId").asText());
        AdminClient.Reply fail = client.call("nope", "nope", query(), CHECK);
        assertEquals(fail.requestIdHeader(), fail.json().path("RequestId").asText());
        assertFalse(ok.requestIdHeader().equals(fail.requestIdHeader()));
        AdminClient.Reply traced = client.raw(Method.POST, "/v4/im_open_login_svc/account_check", query(), CHECK,
                Map.of("X-Request-Id", "trace-42"));
        assertEquals("trace-42", traced.json().path("RequestId").asText());
    }

    @Test
    void envelopeFieldsComeFirst() {
        String raw = client.call("im_open_login_svc", "account_check", query(), CHECK).raw();
        assertTrue(raw.startsWith("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0,\"RequestId\":"), raw);
    }

    @Test
    void healthReportsTheDatabaseAndTheMatchingIndex() {
        try (Http1ClientResponse res = http.get("/observe/health").request()) {
            assertEquals(200, res.status().code());
            String body = res.as(String.class);
            assertTrue(body.contains("\"database\"") && body.contains("UP"), body);
            // the index holds at least the preset chitchat library of the app's default robot, fresh from the feed
            assertTrue(body.contains("\"index\"") && body.contains("\"questions\"") && body.contains("lastSyncAgeMillis"), body);
            assertTrue(body.contains("\"outbox\"") && body.contains("\"backlog\""), body);
            assertTrue(body.contains("\"realtime\"") && body.contains("\"connections\"") && body.contains("lastPassAgeMillis"),
                    body);
        }
    }

    @Test
    void metricsCountCommands() {
        client.call("im_open_login_svc", "account_check", query(), CHECK);
        client.call("im_open_login_svc", "account_check", query(), "[]");
        try (Http1ClientResponse res = http.get("/observe/metrics").header(io.helidon.http.HeaderNames.ACCEPT, "text/plain")
                .request()) {
            String body = res.as(String.class);
            assertTrue(body.contains("desk_rest_requests_seconds_count{command=\"account_check\""), body);
            assertTrue(body.contains("desk_rest_failures_total{code=\"60003\",command=\"account_check\""), body);
        }
    }

    @Test
    void openApiIsServed() {
        try (Http1ClientResponse res = http.get("/openapi").request()) {
            assertEquals(200, res.status().code());
            assertTrue(res.as(String.class).contains("account_check"));
        }
    }
}
