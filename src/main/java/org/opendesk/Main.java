package org.opendesk;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.websocket.WsRouting;
import org.opendesk.agent.AgentApi;
import org.opendesk.agent.Workbench;
import org.opendesk.config.DeskConfig;
import org.opendesk.ops.DatabaseHealth;
import org.opendesk.ops.IndexHealth;
import org.opendesk.ops.OutboxHealth;
import org.opendesk.ops.RealtimeHealth;

import java.time.Clock;
import java.util.function.Function;

/**
 * Entry point. Only wires: configuration, then {@link Desk} (database, tenants, domain,
 * transports), then the web server with its routes and observability features.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        if (args.length > 0 && !"serve".equals(args[0])) {
            System.exit(Cli.run(args));
        }
        DeskConfig config = DeskConfig.load(Config.create(), System.getenv());
        WebServerConfig.Builder builder = WebServer.builder().host(config.host()).port(config.port());
        Desk desk = setup(builder, config, Clock.systemUTC());
        WebServer server = builder.build().start();
        stopInOrderOnSignals(server);
        System.out.println(desk.welcome(server.port()));
    }

    /**
     * SIGTERM and Ctrl-C stop the server in order before the JVM's shutdown hooks run: no new
     * requests, the writes in flight finished and acknowledged, the database closed last. (The hooks
     * run all at once; H2's would close the embedded database under the work still finishing.)
     */
    private static void stopInOrderOnSignals(WebServer server) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    try {
                        server.stop();
                    } finally {
                        System.exit(128 + signal.getNumber());
                    }
                });
            } catch (IllegalArgumentException unavailable) {
                // this platform does not let us handle the signal: the shutdown hooks stop the server
            }
        }
    }

    /** Wires the application onto a server builder; tests call this from {@code @SetUpServer}. */
    public static Desk setup(WebServerConfig.Builder server, DeskConfig config, Clock clock) {
        return setup(server, Desk.start(config, clock), clock);
    }

    /** As {@link #setup(WebServerConfig.Builder, DeskConfig, Clock)} with the workbench the agent API calls. */
    public static Desk setup(WebServerConfig.Builder server, DeskConfig config, Clock clock,
                             Function<Desk, Workbench> workbench) {
        return setup(server, Desk.start(config, clock, workbench), clock);
    }

    private static Desk setup(WebServerConfig.Builder server, Desk desk, Clock clock) {
        server.routing(routing -> routing(routing, desk));
        server.addRouting(WsRouting.builder()
                .endpoint("/im/v1/ws", desk::visitorSocket)
                .endpoint(AgentApi.PATH + "/ws", desk::agentSocket));
        server.addFeature(ObserveFeature.builder()
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .addCheck(new DatabaseHealth(desk.database()), HealthCheckType.READINESS, "database")
                        .addCheck(new IndexHealth(desk.knowledgeIndex(), clock), HealthCheckType.READINESS, "index")
                        .addCheck(new OutboxHealth(desk.outbox()), HealthCheckType.READINESS, "outbox")
                        .addCheck(new RealtimeHealth(desk.hub(), desk.agentHub(), Clock.systemUTC()), HealthCheckType.READINESS,
                                "realtime")
                        .build())
                .addObserver(MetricsObserver.create())
                .build());
        server.addFeature(OpenApiFeature.builder().staticFile("META-INF/openapi.yaml").build());
        return desk;
    }

    static void routing(HttpRouting.Builder routing, Desk desk) {
        routing.register("/v4", desk.adminRest())
                .register(AgentApi.PATH, desk.agentApi())
                .register(desk.lifecycle())
                // liveness without the database; also the benchmark's "framework ceiling" route
                .get("/ping", (req, res) -> res.send("pong"));
    }
}
