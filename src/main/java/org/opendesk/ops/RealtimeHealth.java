package org.opendesk.ops;

import io.helidon.health.HealthCheckResponse;
import org.opendesk.agent.AgentHub;
import org.opendesk.realtime.MessageHub;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * The tails behind the sockets: the message tail of the visitor sockets and the agent event tail
 * of the agent sockets, their open sockets and the age of their last pass (down after 10 s
 * without one: pushes would be late).
 */
public final class RealtimeHealth implements Supplier<HealthCheckResponse> {
    static final long STALE_MILLIS = 10_000;
    private final MessageHub hub;
    private final AgentHub agents;
    private final Clock clock;

    public RealtimeHealth(MessageHub hub, AgentHub agents, Clock clock) {
        this.hub = hub;
        this.agents = agents;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse get() {
        long age = clock.millis() - hub.lastPassMillis();
        long agentAge = clock.millis() - agents.lastPassMillis();
        return HealthCheckResponse.builder().status(age < STALE_MILLIS && agentAge < STALE_MILLIS)
                .detail("connections", hub.connectionCount())
                .detail("lastPassAgeMillis", age)
                .detail("agentConnections", agents.connectionCount())
                .detail("agentLastPassAgeMillis", agentAge)
                .build();
    }
}
