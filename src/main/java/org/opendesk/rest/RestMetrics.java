package org.opendesk.rest;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-command request counts and latencies ({@code desk_rest_requests}, a timer tagged
 * with service and command) and failures by vendor code ({@code desk_rest_failures}),
 * exported in Prometheus format at /observe/metrics.
 */
final class RestMetrics {
    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry = Metrics.globalRegistry();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    RestMetrics(Map<String, ServiceTable> tables) {
        tables.values().forEach(t -> t.commands().forEach(c -> timer(c.service(), c.name())));
    }

    void record(Command<?> command, long nanos, int errorCode) {
        String service = command == null ? UNKNOWN : command.service();
        String name = command == null ? UNKNOWN : command.name();
        timer(service, name).record(nanos, TimeUnit.NANOSECONDS);
        if (errorCode != 0) {
            failures.computeIfAbsent(service + '/' + name + '/' + errorCode, k -> registry.getOrCreate(
                    Counter.builder("desk_rest_failures")
                            .description("Admin REST calls answered with ActionStatus FAIL, by vendor error code")
                            .tags(List.of(Tag.create("service", service), Tag.create("command", name),
                                    Tag.create("code", Integer.toString(errorCode))))))
                    .increment();
        }
    }

    private Timer timer(String service, String command) {
        return timers.computeIfAbsent(service + '/' + command, k -> registry.getOrCreate(
                Timer.builder("desk_rest_requests")
                        .description("Admin REST calls by command: count and latency")
                        .tags(List.of(Tag.create("service", service), Tag.create("command", command)))));
    }
}
