package org.opendesk.rest;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-app, per-command token buckets: a command limited to N calls per second lets an
 * app make a burst of N and then N per second. Off entirely when the operator says so
 * ({@code DESK_RATE_LIMITS=off}).
 */
public final class RateLimiter {
    private final Clock clock;
    private final boolean enabled;
    private final Map<Key, Bucket> buckets = new ConcurrentHashMap<>();

    private record Key(long sdkAppId, Command<?> command) {
    }

    private static final class Bucket {
        private final double ratePerMilli;
        private final double capacity;
        private double tokens;
        private long last;

        Bucket(int perSecond, long now) {
            this.ratePerMilli = perSecond / 1000.0;
            this.capacity = perSecond;
            this.tokens = perSecond;
            this.last = now;
        }

        synchronized boolean tryTake(long now) {
            if (now > last) {
                tokens = Math.min(capacity, tokens + (now - last) * ratePerMilli);
                last = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    public RateLimiter(Clock clock, boolean enabled) {
        this.clock = clock;
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** True when the call may proceed. */
    public boolean tryAcquire(long sdkAppId, Command<?> command) {
        if (!enabled || command.ratePerSecond() <= 0) {
            return true;
        }
        long now = clock.millis();
        return buckets.computeIfAbsent(new Key(sdkAppId, command), k -> new Bucket(command.ratePerSecond(), now))
                .tryTake(now);
    }
}
