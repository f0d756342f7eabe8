package org.opendesk.ops;

import io.helidon.health.HealthCheckResponse;
import org.opendesk.callback.OutboxDelivery;

import java.util.function.Supplier;

/** The callback outbox: how many events wait to be delivered (up; a backlog is information, not a failure). */
public final class OutboxHealth implements Supplier<HealthCheckResponse> {
    private final OutboxDelivery outbox;

    public OutboxHealth(OutboxDelivery outbox) {
        this.outbox = outbox;
    }

    @Override
    public HealthCheckResponse get() {
        try {
            return HealthCheckResponse.builder().status(true).detail("backlog", outbox.backlog()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.builder().status(false).detail("error", String.valueOf(e.getMessage())).build();
        }
    }
}
