package org.opendesk.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.CallbackReceiver;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A robot-phase session without messages for DESK_ROBOT_IDLE_SECONDS ends: src 20 to the user, SessionEnd to the app. */
@ServerTest
class IdleSessionTest {
    private static final MutableClock CLOCK = new MutableClock();
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();
    private static Desk desk;
    private final AdminClient client;
    private final int port;

    IdleSessionTest(Http1Client http, WebServer server) {
        this.client = new AdminClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, CLOCK, Map.of("DESK_RATE_LIMITS", "off", "DESK_ROBOT_IDLE_SECONDS", "600"));
    }

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    @Test
    void anIdleRobotSessionEnds() {
        client.okA("desk_http_svc", "update_callback_settings", Map.of("CallbackUrl", RECEIVER.url(), "CallbackEnable", 1));
        var tenant = desk.tenants().find(TestDesk.APP_A).orElseThrow();
        try (Visitor v = Visitor.a(port, "idle-user")) {
            v.custom(Bodies.START);
            v.await(Visitor.textFrom(Visitor.CS), "welcome");
            JsonNode state = client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", "idle-user",
                    "CustomerServiceId", Visitor.CS)).json();
            String session = state.path("SessionId").asText();

            CLOCK.advance(Duration.ofSeconds(599));
            assertEquals(0, desk.conversations().endIdle(tenant), "not idle long enough");
            CLOCK.advance(Duration.ofSeconds(2));
            assertEquals(1, desk.conversations().endIdle(tenant));
            v.await(Visitor.src("20"), "src 20 ended by timeout");
            assertEquals("NotInSession", client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", "idle-user",
                    "CustomerServiceId", Visitor.CS)).json().path("CurrentState").asText());
            RECEIVER.await(CallbackReceiver.event(session, "SessionEnd"), "SessionEnd");
            assertEquals(List.of("SessionBegin", "ChatBot.UserSendMsg", "ChatBot.RobotSendMsg", "SessionEnd"),
                    RECEIVER.eventNames(session));
            assertEquals(0, desk.conversations().endIdle(tenant), "an ended session ends once");
        }
    }
}
