package org.opendesk.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.Test;
import org.opendesk.Main;
import org.opendesk.config.DeskConfig;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;

import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two nodes on one database: a message stored through one node reaches a visitor connected to
 * the other (each node tails the store), and the robot's answer too, whichever node makes it.
 */
class TwoNodesTest {
    private record Node(WebServer server, AdminClient client) implements AutoCloseable {
        static Node start(DeskConfig config) {
            WebServerConfig.Builder builder = WebServer.builder().host("127.0.0.1").port(0);
            Main.setup(builder, config, Clock.systemUTC());
            WebServer server = builder.build().start();
            return new Node(server, new AdminClient(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build()));
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    @Test
    void aVisitorOnOneNodeGetsWhatTheOtherNodeStores() {
        DeskConfig config = TestDesk.config(TestDb.fresh(), Map.of("DESK_RATE_LIMITS", "off"));
        try (Node a = Node.start(config); Node b = Node.start(config); Visitor v = Visitor.a(b.server().port(), "two-nodes")) {
            a.client().okA("im_open_login_svc", "account_import", Map.of("UserID", "two-nodes-peer"));
            a.client().okA("openim", "sendmsg", Map.of("From_Account", "two-nodes-peer", "To_Account", "two-nodes",
                    "MsgRandom", 1, "MsgBody", Bodies.text("stored on node A")));
            JsonNode m = v.await(Visitor.textFrom("two-nodes-peer"), "the message stored on node A").path("Msg");
            assertEquals("stored on node A", Bodies.text(m.path("MsgBody")));

            // the user's question goes in through node A's REST API; node A's robot answers; node B pushes it
            a.client().okA("openim", "sendmsg", Map.of("From_Account", "two-nodes", "To_Account", Visitor.CS,
                    "MsgRandom", 2, "MsgBody", Bodies.custom(Bodies.START)));
            JsonNode welcome = v.await(Visitor.textFrom(Visitor.CS), "the welcome made on node A").path("Msg");
            assertEquals("您好，欢迎咨询，很高兴为您服务！", Bodies.text(welcome.path("MsgBody")));
        }
    }
}
