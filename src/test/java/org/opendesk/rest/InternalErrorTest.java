package org.opendesk.rest;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the database goes away mid-flight: the vendor's internal-error envelope, never HTTP 500. */
@ServerTest
class InternalErrorTest {
    private static Desk desk;
    private final Http1Client http;
    private final AdminClient client;

    InternalErrorTest(Http1Client http) {
        this.http = http;
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, Clock.systemUTC(), Map.of());
    }

    @Test
    void databaseFailureAnswersTheServiceInternalCodeWithTheRequestId() {
        AdminClient.Reply before = client.callA("im_open_login_svc", "account_check", "{\"CheckItem\":[{\"UserID\":\"a\"}]}");
        assertTrue(before.ok(), before.raw());
        desk.database().client().close();
        AdminClient.Reply reply = client.callA("im_open_login_svc", "account_check", "{\"CheckItem\":[{\"UserID\":\"a\"}]}");
        assertEquals(200, reply.status());
        assertEquals(70500, reply.code(), reply.raw());
        assertTrue(reply.info().contains(reply.requestIdHeader()), "ErrorInfo carries the RequestId to quote: " + reply.info());
        assertFalse(reply.raw().contains("Exception") || reply.raw().contains("at org."), "no stack trace: " + reply.raw());
        try (Http1ClientResponse health = http.get("/observe/health").request()) {
            assertEquals(503, health.status().code(), "health reports the database down");
        }
    }
}
