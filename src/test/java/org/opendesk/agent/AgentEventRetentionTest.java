package org.opendesk.agent;

import io.helidon.dbclient.DbClient;
import org.junit.jupiter.api.Test;
import org.opendesk.storage.Database;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDb;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Agent events older than 24 hours are purged, of every app; younger ones stay. */
class AgentEventRetentionTest {
    private static final String EVENT = "INSERT INTO desk_agent_event (sdkappid, seq, member_id, type, session_id, payload, "
            + "created_at) VALUES (:app, :seq, 'a@example.com', 'Message', '', '{}', :at)";

    @Test
    void eventsOlderThanADayGo() {
        MutableClock clock = new MutableClock();
        try (Database database = Database.open(TestDb.fresh())) {
            DbClient db = database.client();
            long now = clock.millis();
            insert(db, 1_400_000_001L, 1, now - Duration.ofHours(25).toMillis());
            insert(db, 1_400_000_002L, 1, now - Duration.ofHours(25).toMillis());
            insert(db, 1_400_000_001L, 2, now - Duration.ofHours(23).toMillis());
            AgentEventRetention retention = new AgentEventRetention(db, clock);
            assertEquals(2, retention.purge());
            assertEquals(0, retention.purge());
            clock.advance(Duration.ofHours(2));
            assertEquals(1, retention.purge(), "the younger one ages out too");
        }
    }

    private static void insert(DbClient db, long app, long seq, long at) {
        db.execute().createDmlStatement(EVENT).addParam("app", app).addParam("seq", seq).addParam("at", at).execute();
    }
}
