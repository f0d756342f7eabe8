package org.opendesk.agent;

import io.helidon.dbclient.DbClient;

import java.time.Clock;
import java.time.Duration;

/**
 * Agent events are kept a day: long enough for an agent to resume its socket after a night
 * offline (with {@code since}), short enough that the log stays small. Runs over every app, like
 * the robot's housekeeping.
 */
public final class AgentEventRetention {
    static final Duration KEEP = Duration.ofHours(24);
    private static final String PURGE = "DELETE FROM desk_agent_event WHERE created_at < :cutoff";

    private final DbClient db;
    private final Clock clock;

    public AgentEventRetention(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Deletes the events older than 24 hours; answers how many went. */
    public long purge() {
        return db.execute().createNamedDmlStatement("agent-events-purge", PURGE)
                .addParam("cutoff", clock.millis() - KEEP.toMillis()).execute();
    }
}
