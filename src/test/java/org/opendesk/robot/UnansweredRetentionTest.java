package org.opendesk.robot;

import io.helidon.dbclient.DbClient;
import org.junit.jupiter.api.Test;
import org.opendesk.storage.Database;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDb;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unanswered questions are kept for the 30 days knowledge-base optimisation looks at, then purged. */
class UnansweredRetentionTest {
    private static final String INSERT = "INSERT INTO robot_unanswered (sdkappid, robot_id, language_tag, question, reply_type, "
            + "best_question, best_similarity, source, created_at) VALUES (1400000009, '@RBT#DeskDefaultRobot', '', :q, "
            + "'Fallback', '', 0, 'session', :at)";

    @Test
    void rowsOlderThanThirtyDaysGo() {
        MutableClock clock = new MutableClock();
        try (Database database = Database.open(TestDb.fresh())) {
            DbClient db = database.client();
            long now = clock.millis();
            db.execute().createDmlStatement(INSERT).addParam("q", "old").addParam("at", now - Duration.ofDays(31).toMillis()).execute();
            db.execute().createDmlStatement(INSERT).addParam("q", "recent").addParam("at", now - Duration.ofDays(29).toMillis()).execute();
            UnansweredRetention retention = new UnansweredRetention(db, clock);
            assertEquals(1, retention.purge());
            assertEquals(0, retention.purge());
            clock.advance(Duration.ofDays(2));
            assertEquals(1, retention.purge(), "the recent one ages out too");
        }
    }
}
