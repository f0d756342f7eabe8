package org.opendesk.rest;

import org.junit.jupiter.api.Test;
import org.opendesk.testing.MutableClock;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {
    private static final Command<Object> FIVE = new Command<>("svc", "cmd", Object.class, c -> null, 5, false, null);
    private static final Command<Object> FREE = new Command<>("svc", "free", Object.class, c -> null, 0, false, null);

    @Test
    void burstThenRefill() {
        MutableClock clock = new MutableClock();
        RateLimiter limiter = new RateLimiter(clock, true);
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.tryAcquire(1, FIVE));
        }
        assertFalse(limiter.tryAcquire(1, FIVE));
        assertTrue(limiter.tryAcquire(2, FIVE), "another app");
        clock.advance(Duration.ofMillis(200));
        assertTrue(limiter.tryAcquire(1, FIVE), "one token per 200 ms at 5/s");
        assertFalse(limiter.tryAcquire(1, FIVE));
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.tryAcquire(1, FREE), "commands without a limit");
        }
    }

    @Test
    void switchedOff() {
        RateLimiter limiter = new RateLimiter(new MutableClock(), false);
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.tryAcquire(1, FIVE));
        }
    }
}
