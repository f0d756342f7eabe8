package org.opendesk.robot;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import org.opendesk.storage.Sql;

import java.util.List;
import java.util.stream.Stream;

/**
 * The change feed of the knowledge base across all apps: questions whose row changed
 * (added, edited, re-categorised, disabled, deleted; deletions are tombstones) in the order
 * of their {@code updated_at}. This is the one reader of knowledge that is not bound to a
 * tenant: it yields only (SDKAppID, question id) pairs, and every question is then read
 * through its own tenant's {@link org.opendesk.tenant.TenantDb}. The same goes for the per-scope
 * checksums that reconciliation compares with the indexes.
 */
final class KnowledgeFeed {
    private static final String CHANGES = "SELECT sdkappid, question_id, updated_at, seq FROM kb_question "
            + "WHERE updated_at > :t OR (updated_at = :t AND seq > :s) ORDER BY updated_at, seq LIMIT :limit";

    /** A position in the feed: (updated_at, seq) of the last change read. */
    record Position(long updatedAt, long seq) {
        static final Position START = new Position(-1, -1);
    }

    record Change(long sdkAppId, String questionId, long updatedAt, long seq) {
        Position position() {
            return new Position(updatedAt, seq);
        }
    }

    private static final String LIVE_SUMS = "SELECT sdkappid, robot_id, language_tag, library, COUNT(*) AS n, "
            + "SUM(updated_at) AS s FROM kb_question WHERE status = 4 GROUP BY sdkappid, robot_id, language_tag, library";

    /** What the database holds live for one index scope: how many questions and the sum of their updated_at. */
    record ScopeSum(long sdkAppId, String robotId, String languageTag, Library library, long count, long sum) {
    }

    private final DbClient db;

    KnowledgeFeed(DbClient db) {
        this.db = db;
    }

    /** Per index scope, the count and checksum of its live questions (for reconciliation). */
    List<ScopeSum> liveSums() {
        try (Stream<DbRow> rows = db.execute().createNamedQuery("knowledge-live-sums", LIVE_SUMS).execute()) {
            return rows.map(r -> new ScopeSum(Sql.longValue(r, "sdkappid"), Sql.string(r, "robot_id"),
                    Sql.string(r, "language_tag"), Library.of(Sql.intValue(r, "library")), Sql.longValue(r, "n"),
                    Sql.longValue(r, "s"))).toList();
        }
    }

    /** Up to {@code limit} changes after {@code from}, oldest first. */
    List<Change> after(Position from, int limit) {
        try (Stream<DbRow> rows = db.execute().createNamedQuery("knowledge-feed", CHANGES)
                .addParam("t", from.updatedAt()).addParam("s", from.seq()).addParam("limit", limit).execute()) {
            return rows.map(r -> new Change(Sql.longValue(r, "sdkappid"), Sql.string(r, "question_id"),
                    Sql.longValue(r, "updated_at"), Sql.longValue(r, "seq"))).toList();
        }
    }
}
