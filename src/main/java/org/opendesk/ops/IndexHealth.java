package org.opendesk.ops;

import io.helidon.health.HealthCheckResponse;
import org.opendesk.robot.KnowledgeIndex;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Readiness of the matching indexes: how many questions they hold and how long ago they last
 * caught up with the database. Down when the change feed has not been read successfully for
 * {@value #STALE_MILLIS} ms (answers would miss recent knowledge changes).
 */
public final class IndexHealth implements Supplier<HealthCheckResponse> {
    static final long STALE_MILLIS = 30_000;
    private final KnowledgeIndex index;
    private final Clock clock;

    public IndexHealth(KnowledgeIndex index, Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse get() {
        long age = clock.millis() - index.lastSyncMillis();
        return HealthCheckResponse.builder()
                .status(age <= STALE_MILLIS)
                .detail("questions", index.size())
                .detail("lastSyncAgeMillis", age)
                .build();
    }
}
