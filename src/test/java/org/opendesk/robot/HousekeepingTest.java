package org.opendesk.robot;

import io.helidon.dbclient.DbClient;
import org.junit.jupiter.api.Test;
import org.opendesk.storage.Database;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDb;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Old unanswered questions and old tombstones of deleted questions are purged; nothing else is. */
class HousekeepingTest {
    private static final String UNANSWERED = "INSERT INTO robot_unanswered (sdkappid, robot_id, language_tag, question, "
            + "reply_type, best_question, best_similarity, source, created_at) VALUES (1400000009, '@RBT#DeskDefaultRobot', '', "
            + ":q, 'Fallback', '', 0, 'session', :at)";
    private static final String QUESTION = "INSERT INTO kb_question (sdkappid, question_id, robot_id, library, category_id, "
            + "question, answer, status, created_at, updated_at) VALUES (1400000009, :id, '@RBT#DeskDefaultRobot', 1, 10001, "
            + ":id, 'a', :status, :at, :at)";
    private static final String SIMILAR = "INSERT INTO kb_similar (sdkappid, question_id, ordinal, similar_text) "
            + "VALUES (1400000009, :id, 0, 's')";

    @Test
    void unansweredQuestionsOlderThanThirtyDaysGo() {
        MutableClock clock = new MutableClock();
        try (Database database = Database.open(TestDb.fresh())) {
            DbClient db = database.client();
            long now = clock.millis();
            db.execute().createDmlStatement(UNANSWERED).addParam("q", "old").addParam("at", now - Duration.ofDays(31).toMillis()).execute();
            db.execute().createDmlStatement(UNANSWERED).addParam("q", "recent").addParam("at", now - Duration.ofDays(29).toMillis()).execute();
            Housekeeping housekeeping = new Housekeeping(db, clock);
            assertEquals(1, housekeeping.purgeUnanswered());
            assertEquals(0, housekeeping.purgeUnanswered());
            clock.advance(Duration.ofDays(2));
            assertEquals(1, housekeeping.purgeUnanswered(), "the recent one ages out too");
        }
    }

    @Test
    void tombstonesOlderThanAnHourGoWithTheirSimilarQuestions() {
        MutableClock clock = new MutableClock();
        try (Database database = Database.open(TestDb.fresh())) {
            DbClient db = database.client();
            long twoHoursAgo = clock.millis() - Duration.ofHours(2).toMillis();
            insert(db, "old-deleted", 6, twoHoursAgo);
            insert(db, "new-deleted", 6, clock.millis());
            insert(db, "old-live", 4, twoHoursAgo);
            insert(db, "old-disabled", 5, twoHoursAgo);
            assertEquals(1, new Housekeeping(db, clock).purgeTombstones());
            assertEquals(3, count(db, "SELECT COUNT(*) AS n FROM kb_question"));
            assertEquals(3, count(db, "SELECT COUNT(*) AS n FROM kb_similar"), "only the purged question's similar question went");
        }
    }

    private static void insert(DbClient db, String id, int status, long at) {
        db.execute().createDmlStatement(QUESTION).addParam("id", id).addParam("status", status).addParam("at", at).execute();
        db.execute().createDmlStatement(SIMILAR).addParam("id", id).execute();
    }

    private static long count(DbClient db, String sql) {
        return db.execute().createQuery(sql).execute().findFirst().orElseThrow().column("n").get(Long.class);
    }
}
