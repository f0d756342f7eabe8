package org.opendesk.robot;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;

import java.time.Clock;
import java.time.Duration;

/**
 * Maintenance statements over every app, like the knowledge feed (they read nothing):
 * <ul>
 *   <li>unanswered questions (robot_unanswered) are kept for the period knowledge-base
 *       optimisation looks at, the seed's 问答优化 clusters of the last 30 days;</li>
 *   <li>deleted questions stay as tombstones only as long as the nodes' feeds need them to
 *       drop those questions from their indexes (a node that starts later rebuilds from the
 *       live questions, and reconciliation repairs the rest): an hour.</li>
 * </ul>
 */
public final class Housekeeping {
    static final Duration KEEP_UNANSWERED = Duration.ofDays(30);
    static final Duration KEEP_TOMBSTONES = Duration.ofHours(1);
    private static final String PURGE_UNANSWERED = "DELETE FROM robot_unanswered WHERE created_at < :cutoff";
    private static final String PURGE_TOMBSTONE_SIMILAR = "DELETE FROM kb_similar WHERE EXISTS (SELECT 1 FROM kb_question q "
            + "WHERE q.sdkappid = kb_similar.sdkappid AND q.question_id = kb_similar.question_id AND q.status = 6 "
            + "AND q.updated_at < :cutoff)";
    private static final String PURGE_TOMBSTONES = "DELETE FROM kb_question WHERE status = 6 AND updated_at < :cutoff";

    private final DbClient db;
    private final Clock clock;

    public Housekeeping(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Deletes unanswered questions older than 30 days; answers how many rows went. */
    public long purgeUnanswered() {
        return db.execute().createNamedDmlStatement("unanswered-purge", PURGE_UNANSWERED)
                .addParam("cutoff", clock.millis() - KEEP_UNANSWERED.toMillis()).execute();
    }

    /** Deletes deleted questions (and their similar questions) older than an hour; answers how many questions went. */
    public long purgeTombstones() {
        long cutoff = clock.millis() - KEEP_TOMBSTONES.toMillis();
        DbTransaction tx = db.transaction();
        try {
            tx.createNamedDmlStatement("tombstone-similar-purge", PURGE_TOMBSTONE_SIMILAR).addParam("cutoff", cutoff).execute();
            long purged = tx.createNamedDmlStatement("tombstone-purge", PURGE_TOMBSTONES).addParam("cutoff", cutoff).execute();
            tx.commit();
            return purged;
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }
}
