package org.opendesk.ops;

import io.helidon.health.HealthCheckResponse;
import org.opendesk.realtime.MessageHub;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * The message tail behind the visitor sockets: open sockets, and the age of the last pass over
 * the store (down after 10 s without one: pushes would be late).
 */
public final class RealtimeHealth implements Supplier<HealthCheckResponse> {
    static final long STALE_MILLIS = 10_000;
    private final MessageHub hub;
    private final Clock clock;

    public RealtimeHealth(MessageHub hub, Clock clock) {
        this.hub = hub;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse get() {
        long age = clock.millis() - hub.lastPassMillis();
        return HealthCheckResponse.builder().status(age < STALE_MILLIS)
                .detail("connections", hub.connectionCount())
                .detail("lastPassAgeMillis", age)
                .build();
    }
}
