package org.opendesk.robot;

import io.helidon.dbclient.DbClient;

import java.time.Clock;
import java.time.Duration;

/**
 * Keeps the record of unanswered questions (robot_unanswered) to the period knowledge-base
 * optimisation looks at: the seed's 问答优化 clusters the questions of the last 30 days.
 * A maintenance statement over every app, like the knowledge feed: it reads nothing.
 */
public final class UnansweredRetention {
    static final Duration KEEP = Duration.ofDays(30);
    private static final String PURGE = "DELETE FROM robot_unanswered WHERE created_at < :cutoff";

    private final DbClient db;
    private final Clock clock;

    public UnansweredRetention(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Deletes what is older than the retention period; answers how many rows went. */
    public long purge() {
        return db.execute().createNamedDmlStatement("unanswered-purge", PURGE)
                .addParam("cutoff", clock.millis() - KEEP.toMillis()).execute();
    }
}
