package org.opendesk.agent;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.Main;
import org.opendesk.config.DeskConfig;
import org.opendesk.testing.AgentClient;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.WsClient;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two nodes on one database: a token issued by one node works on the other (the key comes from the
 * app's secret key), and an event appended through node A reaches the member's socket on node B.
 */
class AgentTwoNodesTest {
    private record Node(WebServer server, Desk desk) implements AutoCloseable {
        static Node start(DeskConfig config) {
            WebServerConfig.Builder builder = WebServer.builder().host("127.0.0.1").port(0);
            Desk desk = Main.setup(builder, config, Clock.systemUTC());
            return new Node(builder.build().start(), desk);
        }

        AgentClient agent() {
            return new AgentClient(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build());
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    @Test
    void anEventAppendedThroughOneNodeReachesASocketOnTheOther() {
        DeskConfig config = TestDesk.config(TestDb.fresh(), Map.of());
        try (Node a = Node.start(config); Node b = Node.start(config)) {
            AgentClient.member(a.desk(), TestDesk.APP_A, "yan@example.com");
            String token = a.agent().token("yan@example.com");
            assertEquals(200, b.agent().get("/me", token).status(), "node A's token works on node B");
            try (WsClient socket = AgentClient.socket(b.server().port(), token, null)) {
                List<Long> seqs = AgentSocketTest.append(a.desk(), "yan@example.com", "SessionAssigned", "from node A");
                assertEquals(seqs.get(0), socket.await(f -> "from node A".equals(f.path("Text").asText()), "the event")
                        .path("Seq").asLong());
            }
        }
    }
}
