package org.opendesk.message;

import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * The message store: every message of an app gets the next value of the app's message sequence
 * (its MsgSeq) and a MsgKey {@code <MsgSeq>_<MsgRandom>_<unix seconds>}. The sequence row stays
 * locked until the writing transaction commits, so sequences commit in increasing order and a
 * reader that has seen sequence n has seen everything before it: the realtime layer tails the
 * store without gaps, on any node. Any transaction that writes messages must therefore write its
 * first message (or call {@link #lock}) before it locks other rows.
 */
public final class MessageStore {
    /** A sender's retry (same receiver, MsgRandom, body and CloudCustomData) within this window is the same message. */
    public static final long DEDUP_WINDOW_MILLIS = 300_000;
    private static final String SEQUENCE = "msg";

    private final MessageRepository repository = new MessageRepository();
    private final Clock clock;
    private final List<LongConsumer> committed = new CopyOnWriteArrayList<>();

    public MessageStore(Clock clock) {
        this.clock = clock;
    }

    /** The outcome of storing: the message, and whether it was a retry of one already stored. */
    public record Stored(Message message, boolean duplicate) {
    }

    /**
     * Takes the app's message lock for this transaction and answers a fresh sequence value. Values
     * are reserved from the database in growing blocks per transaction (1, 2, 4, ... 64), so a
     * transaction that stores many messages (a group commit) reads the sequence a few times only;
     * values left unused leave gaps, which MsgSeq allows (it increases, it need not be dense).
     */
    public long lock(TenantDb tx) {
        return tx.inTransaction(t -> t.transactionState(this, Reserved::new).next(t));
    }

    /** The sequence values this transaction holds and has not used yet. */
    private static final class Reserved {
        private long next;
        private long end; // exclusive
        private int block;

        long next(TenantDb tx) {
            if (next == end) {
                block = block == 0 ? 1 : Math.min(64, block * 2);
                next = tx.reserve(SEQUENCE, 1, block);
                end = next + block;
            }
            return next++;
        }
    }

    public Stored store(TenantDb tx, NewMessage m) {
        return store(tx, m, lock(tx));
    }

    /** Stores with a sequence value this transaction took with {@link #lock} and has not used yet. */
    public Stored store(TenantDb tx, NewMessage m, long seq) {
        long now = clock.millis();
        if (m.dedup()) {
            // a retry repeats the message; another message that happens to reuse the MsgRandom is stored
            Optional<Message> earlier = repository.duplicate(tx, m.from(), m.to(), m.random(), now - DEDUP_WINDOW_MILLIS)
                    .filter(e -> e.body().equals(m.body()) && e.cloudCustomData().equals(m.cloudCustomData()));
            if (earlier.isPresent()) {
                return new Stored(earlier.get(), true);
            }
        }
        Message message = new Message(seq, seq, seq + "_" + m.random() + "_" + now / 1000, m.from(), m.to(), m.random(), now,
                m.body(), m.cloudCustomData(), m.sessionId(), m.role(), m.onlineOnly());
        repository.insert(tx, message, m.excludeFromTimeout(), m.pending());
        return new Stored(message, false);
    }

    /** Replaces a message's body and CloudCustomData; the edit gets a new change sequence. */
    public Message edit(TenantDb tx, Message m, String body, String cloudCustomData) {
        long change = lock(tx);
        repository.edit(tx, m.seq(), body, cloudCustomData, change);
        return new Message(m.seq(), change, m.key(), m.from(), m.to(), m.random(), m.time(), body, cloudCustomData,
                m.sessionId(), m.role(), m.onlineOnly());
    }

    /** Takes a pending user message for handling; false when another worker (or node) already did. */
    public boolean claim(TenantDb tx, Message m) {
        return repository.claim(tx, m.seq());
    }

    public Optional<Message> byKey(TenantDb db, String key) {
        return repository.byKey(db, key);
    }

    /** Messages and edits after a change sequence, in order (the realtime tail). */
    public List<Message> changesAfter(TenantDb db, long after, int limit) {
        return repository.tail(db, after, limit);
    }

    public long lastChange(TenantDb db) {
        return repository.lastChangeSeq(db);
    }

    /** What a user missed after a sequence: messages to or from the user, and later edits, in change order. */
    public List<Message> missedBy(TenantDb db, String user, long after, int limit) {
        List<Message> all = new ArrayList<>(repository.toUser(db, user, after, limit));
        for (Message m : repository.fromUser(db, user, after, limit)) {
            if (!m.to().equals(user)) {
                all.add(m);
            }
        }
        all.sort(Comparator.comparingLong(Message::changeSeq));
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    /** History between two accounts, newest first, in [minMillis, maxMillis), older than beforeSeq. */
    public List<Message> between(TenantDb db, String a, String b, long minMillis, long maxMillis, long beforeSeq, int limit) {
        return repository.pair(db, a, b, minMillis, maxMillis, beforeSeq, limit);
    }

    public List<Message> ofSession(TenantDb db, String sessionId, boolean newestFirst, int offset, int limit) {
        return repository.session(db, sessionId, newestFirst, offset, limit);
    }

    /** A session's stored messages that count for the user reply timeout (not excluded, not online-only), newest first. */
    public List<Message> countedOfSession(TenantDb db, String sessionId, int limit) {
        return repository.countedNewestFirst(db, sessionId, limit);
    }

    public long countOfSession(TenantDb db, String sessionId) {
        return repository.countSession(db, sessionId);
    }

    /** Whether user messages of the session wait for the conversation engine. */
    public boolean hasPending(TenantDb db, String sessionId) {
        return repository.hasPending(db, sessionId);
    }

    public List<Message> pendingOfSession(TenantDb db, String sessionId) {
        return repository.pendingOfSession(db, sessionId);
    }

    public List<String> sessionsWithPending(TenantDb db, long before, int limit) {
        return repository.sessionsWithPending(db, before, limit);
    }

    /** Called with the SDKAppID after a transaction that wrote messages has committed. */
    public void onCommitted(LongConsumer listener) {
        committed.add(listener);
    }

    /** Tells listeners (the realtime layer) that the app has new messages; call after commit. */
    public void committed(Tenant tenant) {
        for (LongConsumer l : committed) {
            l.accept(tenant.sdkAppId());
        }
    }
}
