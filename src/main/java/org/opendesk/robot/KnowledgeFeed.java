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
 * through its own tenant's {@link org.opendesk.tenant.TenantDb}.
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

    private final DbClient db;

    KnowledgeFeed(DbClient db) {
        this.db = db;
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
