package org.opendesk.message;

import io.helidon.dbclient.DbRow;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.List;
import java.util.Optional;

/** SQL of im_message, beside its row mapper. */
final class MessageRepository {
    private static final String COLUMNS = "SELECT msg_seq, change_seq, msg_key, from_account, to_account, msg_random, msg_time, "
            + "body, cloud_custom_data, session_id, role, online_only FROM im_message ";
    private static final String INSERT = "INSERT INTO im_message (sdkappid, msg_seq, change_seq, msg_key, from_account, "
            + "to_account, msg_random, msg_time, body, cloud_custom_data, session_id, role, online_only, exclude_from_timeout) "
            + "VALUES (:sdkappid, :seq, :seq, :key, :from, :to, :random, :time, :body, :ccd, :session, :role, :online, :exclude)";
    private static final String PENDING_INSERT = "INSERT INTO im_message_pending (sdkappid, msg_seq, session_id, created_at) "
            + "VALUES (:sdkappid, :seq, :session, :time)";
    private static final String DUPLICATE = COLUMNS + "WHERE sdkappid = :sdkappid AND from_account = :from "
            + "AND to_account = :to AND msg_random = :random AND msg_time >= :since ORDER BY msg_seq DESC LIMIT 1";
    private static final String BY_SEQ = COLUMNS + "WHERE sdkappid = :sdkappid AND msg_seq = :seq";
    private static final String EDIT = "UPDATE im_message SET body = :body, cloud_custom_data = :ccd, change_seq = :change "
            + "WHERE sdkappid = :sdkappid AND msg_seq = :seq";
    private static final String CLAIM = "DELETE FROM im_message_pending WHERE sdkappid = :sdkappid AND msg_seq = :seq";
    private static final String TAIL = COLUMNS + "WHERE sdkappid = :sdkappid AND change_seq > :after "
            + "ORDER BY change_seq LIMIT :limit";
    private static final String TO_USER = COLUMNS + "WHERE sdkappid = :sdkappid AND to_account = :user AND change_seq > :after "
            + "AND online_only = 0 ORDER BY change_seq LIMIT :limit";
    private static final String FROM_USER = COLUMNS + "WHERE sdkappid = :sdkappid AND from_account = :user "
            + "AND change_seq > :after AND online_only = 0 ORDER BY change_seq LIMIT :limit";
    private static final String PAIR = COLUMNS + "WHERE sdkappid = :sdkappid AND ((from_account = :a AND to_account = :b) "
            + "OR (from_account = :b AND to_account = :a)) AND msg_time >= :min AND msg_time < :max AND msg_seq < :before "
            + "AND online_only = 0 ORDER BY msg_seq DESC LIMIT :limit";
    private static final String SESSION_ASC = COLUMNS + "WHERE sdkappid = :sdkappid AND session_id = :session "
            + "AND online_only = 0 ORDER BY msg_seq LIMIT :limit OFFSET :offset";
    private static final String SESSION_DESC = COLUMNS + "WHERE sdkappid = :sdkappid AND session_id = :session "
            + "AND online_only = 0 ORDER BY msg_seq DESC LIMIT :limit OFFSET :offset";
    private static final String SESSION_COUNTED = COLUMNS + "WHERE sdkappid = :sdkappid AND session_id = :session "
            + "AND online_only = 0 AND exclude_from_timeout = 0 ORDER BY msg_seq DESC LIMIT :limit";
    private static final String SESSION_COUNT = "SELECT COUNT(*) AS n FROM im_message WHERE sdkappid = :sdkappid "
            + "AND session_id = :session AND online_only = 0";
    private static final String PENDING_OF_SESSION = "SELECT msg_seq FROM im_message_pending WHERE sdkappid = :sdkappid "
            + "AND session_id = :session ORDER BY msg_seq";
    private static final String HAS_PENDING = "SELECT msg_seq FROM im_message_pending WHERE sdkappid = :sdkappid "
            + "AND session_id = :session LIMIT 1";
    private static final String PENDING = "SELECT DISTINCT session_id FROM im_message_pending WHERE sdkappid = :sdkappid "
            + "AND created_at < :before LIMIT :limit";
    private static final String LAST_SEQ = "SELECT COALESCE(MAX(change_seq), 0) AS n FROM im_message WHERE sdkappid = :sdkappid";

    void insert(TenantDb tx, Message m, boolean excludeFromTimeout, boolean pending) {
        tx.dml("message-insert", INSERT, Params.of("seq", m.seq(), "key", m.key(), "from", m.from()).put("to", m.to())
                .put("random", m.random()).put("time", m.time()).put("body", m.body()).put("ccd", m.cloudCustomData())
                .put("session", m.sessionId()).put("role", m.role().code()).put("online", m.onlineOnly() ? 1 : 0)
                .put("exclude", excludeFromTimeout ? 1 : 0));
        if (pending) {
            tx.dml("message-pending-insert", PENDING_INSERT, Params.of("seq", m.seq(), "session", m.sessionId())
                    .put("time", m.time()));
        }
    }

    boolean hasPending(TenantDb db, String sessionId) {
        return db.one("message-has-pending", HAS_PENDING, Params.of("session", sessionId), r -> Boolean.TRUE).isPresent();
    }

    Optional<Message> duplicate(TenantDb tx, String from, String to, long random, long since) {
        return tx.one("message-duplicate", DUPLICATE, Params.of("from", from, "to", to, "random", random).put("since", since),
                MessageRepository::map);
    }

    /** A MsgKey starts with its MsgSeq: found through the primary key, then compared whole. */
    Optional<Message> byKey(TenantDb db, String key) {
        int cut = key.indexOf('_');
        long seq;
        try {
            seq = Long.parseLong(cut < 0 ? key : key.substring(0, cut));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return bySeq(db, seq).filter(m -> m.key().equals(key));
    }

    Optional<Message> bySeq(TenantDb db, long seq) {
        return db.one("message-by-seq", BY_SEQ, Params.of("seq", seq), MessageRepository::map);
    }

    void edit(TenantDb tx, long seq, String body, String ccd, long changeSeq) {
        tx.dml("message-edit", EDIT, Params.of("seq", seq, "body", body, "ccd", ccd).put("change", changeSeq));
    }

    boolean claim(TenantDb tx, long seq) {
        return tx.dml("message-claim", CLAIM, Params.of("seq", seq)) == 1;
    }

    List<Message> tail(TenantDb db, long after, int limit) {
        return db.list("message-tail", TAIL, Params.of("after", after, "limit", limit), MessageRepository::map);
    }

    List<Message> toUser(TenantDb db, String user, long after, int limit) {
        return db.list("message-to-user", TO_USER, Params.of("user", user, "after", after, "limit", limit),
                MessageRepository::map);
    }

    List<Message> fromUser(TenantDb db, String user, long after, int limit) {
        return db.list("message-from-user", FROM_USER, Params.of("user", user, "after", after, "limit", limit),
                MessageRepository::map);
    }

    List<Message> pair(TenantDb db, String a, String b, long minMillis, long maxMillis, long beforeSeq, int limit) {
        return db.list("message-pair", PAIR, Params.of("a", a, "b", b, "min", minMillis).put("max", maxMillis)
                .put("before", beforeSeq).put("limit", limit), MessageRepository::map);
    }

    List<Message> session(TenantDb db, String sessionId, boolean newestFirst, int offset, int limit) {
        return db.list(newestFirst ? "message-session-desc" : "message-session-asc", newestFirst ? SESSION_DESC : SESSION_ASC,
                Params.of("session", sessionId, "offset", offset, "limit", limit), MessageRepository::map);
    }

    List<Message> countedNewestFirst(TenantDb db, String sessionId, int limit) {
        return db.list("message-session-counted", SESSION_COUNTED, Params.of("session", sessionId, "limit", limit),
                MessageRepository::map);
    }

    long countSession(TenantDb db, String sessionId) {
        return db.one("message-session-count", SESSION_COUNT, Params.of("session", sessionId), r -> Sql.longValue(r, "n"))
                .orElse(0L);
    }

    /** The session's pending messages in order: their sequences from the small pending table, then each by key. */
    List<Message> pendingOfSession(TenantDb db, String sessionId) {
        List<Long> seqs = db.list("message-pending-session", PENDING_OF_SESSION, Params.of("session", sessionId),
                r -> Sql.longValue(r, "msg_seq"));
        List<Message> pending = new java.util.ArrayList<>(seqs.size());
        for (long seq : seqs) {
            bySeq(db, seq).ifPresent(pending::add);
        }
        return pending;
    }

    List<String> sessionsWithPending(TenantDb db, long before, int limit) {
        return db.list("message-pending", PENDING, Params.of("before", before, "limit", limit),
                r -> Sql.string(r, "session_id"));
    }

    long lastChangeSeq(TenantDb db) {
        return db.one("message-last-seq", LAST_SEQ, Params.of(), r -> Sql.longValue(r, "n")).orElse(0L);
    }

    private static Message map(DbRow r) {
        return new Message(Sql.longValue(r, "msg_seq"), Sql.longValue(r, "change_seq"), Sql.string(r, "msg_key"),
                Sql.string(r, "from_account"), Sql.string(r, "to_account"), Sql.longValue(r, "msg_random"),
                Sql.longValue(r, "msg_time"), Sql.string(r, "body"), Sql.string(r, "cloud_custom_data"),
                Sql.string(r, "session_id"), Message.Role.of(Sql.intValue(r, "role")), Sql.longValue(r, "online_only") == 1);
    }
}
