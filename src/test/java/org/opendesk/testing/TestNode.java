package org.opendesk.testing;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.opendesk.Desk;
import org.opendesk.Main;
import org.opendesk.config.DeskConfig;

import java.time.Clock;

/** One node of a cluster in this JVM: the real server on a random port over a database other nodes share. */
public record TestNode(WebServer server, Desk desk, AdminClient client) implements AutoCloseable {
    public static TestNode start(DeskConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static TestNode start(DeskConfig config, Clock clock) {
        WebServerConfig.Builder builder = WebServer.builder().host("127.0.0.1").port(0);
        Desk desk = Main.setup(builder, config, clock);
        WebServer server = builder.build().start();
        return new TestNode(server, desk, new AdminClient(http(server.port())));
    }

    /** A client of a port; no keep-alive: Helidon 4.1's client may misread a reused connection under many concurrent callers. */
    public static Http1Client http(int port) {
        return Http1Client.builder().baseUri("http://127.0.0.1:" + port).shareConnectionCache(false).keepAlive(false).build();
    }

    public int port() {
        return server.port();
    }

    public AgentClient agents() {
        return new AgentClient(http(server.port()));
    }

    @Override
    public void close() {
        server.stop();
        desk.close();
    }
}
