package org.opendesk.ops;

import io.helidon.health.HealthCheckResponse;
import org.opendesk.storage.Database;

import java.util.function.Supplier;

/** Readiness of the database: a trivial statement must succeed, with its latency reported. */
public final class DatabaseHealth implements Supplier<HealthCheckResponse> {
    private final Database database;

    public DatabaseHealth(Database database) {
        this.database = database;
    }

    @Override
    public HealthCheckResponse get() {
        long start = System.nanoTime();
        HealthCheckResponse.Builder response = HealthCheckResponse.builder()
                .detail("url", database.settings().describe());
        try {
            boolean ok = database.ping();
            return response.status(ok)
                    .detail("latencyMillis", (System.nanoTime() - start) / 1_000_000.0)
                    .build();
        } catch (RuntimeException e) {
            return response.status(false).detail("error", String.valueOf(e.getMessage())).build();
        }
    }
}
