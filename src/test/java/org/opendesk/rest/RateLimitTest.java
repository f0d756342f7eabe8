package org.opendesk.rest;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDesk;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vendor's per-app, per-command limits (100/s for the account commands) with a stopped
 * clock, so the count is exact: 100 pass, the 101st answers 60007, a second later it passes.
 */
@ServerTest
class RateLimitTest {
    private static final MutableClock CLOCK = new MutableClock();
    private static final String CHECK = "{\"CheckItem\":[{\"UserID\":\"x\"}]}";
    private final AdminClient client;

    RateLimitTest(Http1Client http) {
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, CLOCK, Map.of("DESK_RATE_LIMITS", "on"));
    }

    @Test
    void hundredPerSecondPerAppPerCommand() {
        for (int i = 0; i < 100; i++) {
            AdminClient.Reply reply = client.callA("im_open_login_svc", "account_check", CHECK);
            assertTrue(reply.ok(), "call " + i + ": " + reply.raw());
        }
        AdminClient.Reply limited = client.callA("im_open_login_svc", "account_check", CHECK);
        assertEquals(60007, limited.code(), limited.raw());
        assertTrue(limited.info().contains("100"), limited.info());
        // other commands and other apps have their own budgets
        assertTrue(client.callA("im_open_login_svc", "account_import", "{\"UserID\":\"rl\"}").ok());
        assertTrue(client.callB("im_open_login_svc", "account_check", CHECK).ok());
        CLOCK.advance(Duration.ofSeconds(1));
        assertTrue(client.callA("im_open_login_svc", "account_check", CHECK).ok());
    }

    @Test
    void knowledgeCommandsAllowFivePerSecondAnswering14() {
        for (int i = 0; i < 5; i++) {
            assertTrue(client.callA("openim_console_http_svc", "desc_chitchat_category", "{}").ok(), "call " + i);
        }
        AdminClient.Reply limited = client.callA("openim_console_http_svc", "desc_chitchat_category", "{}");
        assertEquals(-14, limited.code(), limited.raw());
        assertTrue(client.callA("openim_console_http_svc", "desc_faq_category", "{}").ok(), "its own budget");
    }
}
