package org.opendesk.robot;

import io.helidon.dbclient.DbClient;
import org.apache.lucene.store.AlreadyClosedException;
import org.opendesk.matching.Candidate;
import org.opendesk.matching.Embedder;
import org.opendesk.matching.Entry;
import org.opendesk.matching.MatchIndex;
import org.opendesk.matching.Suggestion;
import org.opendesk.matching.Vectors;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantRegistry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * The matching indexes of every app, robot, language and library, kept in step with the
 * database by tailing the knowledge change feed: at start-up from the beginning (the index
 * is rebuilt from the database), then every half second on every node, and at once after a
 * write on this node. The database is the only truth; an index is a cache of it that any
 * node can rebuild.
 */
public final class KnowledgeIndex implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KnowledgeIndex.class.getName());
    /** Changes are re-read this far back, so a transaction that committed late is not missed. */
    static final long OVERLAP_MILLIS = 15_000;
    private static final int PAGE = 1_000;

    /** Which index a question belongs to. */
    record Scope(long sdkAppId, String robotId, String languageTag, Library library) {
    }

    private final KnowledgeFeed feed;
    private final TenantRegistry tenants;
    private final Embedder embedder;
    private final QuestionRepository questions = new QuestionRepository();
    private final Map<Scope, MatchIndex> indexes = new ConcurrentHashMap<>();
    /** Per scope, the updated_at of each indexed question: what reconciliation compares with the database. */
    private final Map<Scope, Map<String, Long>> versions = new ConcurrentHashMap<>();
    private final Map<String, Long> applied = new HashMap<>();
    private KnowledgeFeed.Position position = KnowledgeFeed.Position.START;
    /** One sync at a time (a lock rather than a monitor: callers are virtual threads). */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    private volatile long lastSyncMillis;

    private final Clock clock;

    public KnowledgeIndex(DbClient db, TenantRegistry tenants, Embedder embedder, Clock clock) {
        this.feed = new KnowledgeFeed(db);
        this.tenants = tenants;
        this.embedder = embedder;
        this.clock = clock;
    }

    /** The best candidates of one library for an analysed question, most similar first. */
    public List<Candidate> match(Tenant tenant, String robotId, String languageTag, Library library, MatchIndex.Query query,
                                 int topN) {
        MatchIndex index = indexes.get(new Scope(tenant.sdkAppId(), robotId, languageTag, library));
        try {
            return index == null ? List.of() : index.search(query, topN);
        } catch (AlreadyClosedException e) {
            return List.of(); // closed by the sync that just emptied it
        }
    }

    /** Standard questions of one library containing what the user typed (see {@link MatchIndex#suggest}). */
    public List<Suggestion> suggest(Tenant tenant, String robotId, String languageTag, Library library, String typed,
                                    int limit) {
        MatchIndex index = indexes.get(new Scope(tenant.sdkAppId(), robotId, languageTag, library));
        return index == null ? List.of() : index.suggest(typed, limit);
    }

    /** A question analysed for matching (words, grams, embedding); frequent questions come from a small cache. */
    public MatchIndex.Query analyse(String question) {
        synchronized (analysed) {
            MatchIndex.Query known = analysed.get(question);
            if (known != null) {
                return known;
            }
        }
        MatchIndex.Query query = MatchIndex.Query.of(question, embedder);
        synchronized (analysed) {
            analysed.put(question, query);
        }
        return query;
    }

    private static final int ANALYSED = 5_000;
    private final Map<String, MatchIndex.Query> analysed = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MatchIndex.Query> eldest) {
            return size() > ANALYSED;
        }
    };

    /** When the change feed was last read to its end (epoch milliseconds). */
    public long lastSyncMillis() {
        return lastSyncMillis;
    }

    /** Number of questions indexed (for health and benchmarks). */
    public int size() {
        return indexes.values().stream().mapToInt(MatchIndex::size).sum();
    }

    /**
     * Applies every change since the last sync (all of them on the first call: the rebuild).
     * Answers the number of questions applied.
     */
    public int sync() {
        lock.lock();
        try {
            return syncLocked();
        } finally {
            lock.unlock();
        }
    }

    private int syncLocked() {
        if (closed) {
            return 0;
        }
        KnowledgeFeed.Position from = position == KnowledgeFeed.Position.START ? position
                : new KnowledgeFeed.Position(position.updatedAt() - OVERLAP_MILLIS, -1);
        Set<MatchIndex> touched = new HashSet<>();
        int count = 0;
        while (true) {
            List<KnowledgeFeed.Change> changes = feed.after(from, PAGE);
            List<KnowledgeFeed.Change> fresh = changes.stream()
                    .filter(c -> !Long.valueOf(c.updatedAt()).equals(applied.get(key(c.sdkAppId(), c.questionId()))))
                    .toList();
            count += apply(fresh, touched);
            for (KnowledgeFeed.Change c : changes) {
                applied.put(key(c.sdkAppId(), c.questionId()), c.updatedAt());
                if (c.updatedAt() > position.updatedAt() || (c.updatedAt() == position.updatedAt() && c.seq() > position.seq())) {
                    position = c.position();
                }
            }
            if (changes.size() < PAGE) {
                break;
            }
            from = changes.get(changes.size() - 1).position();
        }
        touched.forEach(MatchIndex::refresh);
        // an index left empty (its robot or language deleted, its last question gone) is closed
        indexes.entrySet().removeIf(e -> {
            if (touched.contains(e.getValue()) && e.getValue().size() == 0) {
                e.getValue().close();
                versions.remove(e.getKey());
                return true;
            }
            return false;
        });
        lastSyncMillis = clock.millis();
        long horizon = position.updatedAt() - OVERLAP_MILLIS;
        applied.values().removeIf(t -> t < horizon);
        return count;
    }

    /** Syncs, logging rather than throwing: for the background poll and after writes. */
    public void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            LOG.warning("knowledge index sync failed (will retry): " + e);
        }
    }

    private int apply(List<KnowledgeFeed.Change> changes, Set<MatchIndex> touched) {
        Map<Long, List<Long>> byApp = new LinkedHashMap<>();
        changes.forEach(c -> byApp.computeIfAbsent(c.sdkAppId(), k -> new ArrayList<>()).add(c.seq()));
        int count = 0;
        for (Map.Entry<Long, List<Long>> app : byApp.entrySet()) {
            Optional<Tenant> tenant = tenant(app.getKey());
            if (tenant.isEmpty()) {
                LOG.warning("knowledge changes of unknown app " + app.getKey() + " skipped");
                continue;
            }
            count += applySeqs(tenant.get(), app.getValue(), touched);
        }
        return count;
    }

    private Optional<Tenant> tenant(long sdkAppId) {
        Optional<Tenant> tenant = tenants.find(sdkAppId);
        if (tenant.isEmpty()) {
            tenants.refresh(); // an app created moments ago (by another node or the CLI): not in the cache yet
            tenant = tenants.find(sdkAppId);
        }
        return tenant;
    }

    /** Applies the questions at these feed positions of one app: live ones are (re)indexed, the others removed. */
    private int applySeqs(Tenant tenant, List<Long> seqs, Set<MatchIndex> touched) {
        List<QuestionRepository.Stored> found = questions.forIndex(tenant.db(), seqs);
        Map<String, float[]> embedded = embed(found.stream().filter(st -> st.question().status() == Question.LIVE).toList());
        for (QuestionRepository.Stored stored : found) {
            Question q = stored.question();
            Scope scope = new Scope(tenant.sdkAppId(), q.robotId(), q.languageTag(), q.library());
            if (q.status() == Question.LIVE) {
                MatchIndex index = indexes.computeIfAbsent(scope, s -> new MatchIndex());
                index.upsert(entry(q, embedded));
                versions.computeIfAbsent(scope, s -> new ConcurrentHashMap<>()).put(q.questionId(), stored.updatedAt());
                touched.add(index);
            } else {
                MatchIndex index = indexes.get(scope);
                if (index != null) {
                    index.delete(q.questionId());
                    touched.add(index);
                }
                Map<String, Long> live = versions.get(scope);
                if (live != null) {
                    live.remove(q.questionId());
                }
            }
        }
        return found.size();
    }

    /**
     * The safety net under the feed: compares, per index scope, the count and the sum of
     * updated_at of the live questions in the database with what the index holds, and rebuilds
     * every scope that differs (a change the feed missed, for example one committed later than
     * the overlap window). Runs every few minutes; answers the number of scopes rebuilt.
     */
    public int reconcile() {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            Set<Scope> differing = new HashSet<>();
            Set<Scope> inDatabase = new HashSet<>();
            for (KnowledgeFeed.ScopeSum sum : feed.liveSums()) {
                Scope scope = new Scope(sum.sdkAppId(), sum.robotId(), sum.languageTag(), sum.library());
                inDatabase.add(scope);
                Map<String, Long> live = versions.getOrDefault(scope, Map.of());
                long indexedSum = live.values().stream().mapToLong(Long::longValue).sum();
                if (live.size() != sum.count() || indexedSum != sum.sum()) {
                    differing.add(scope);
                }
            }
            versions.forEach((scope, live) -> {
                if (!live.isEmpty() && !inDatabase.contains(scope)) {
                    differing.add(scope);
                }
            });
            for (Scope scope : differing) {
                rebuild(scope);
            }
            if (!differing.isEmpty()) {
                LOG.warning("knowledge index reconciliation rebuilt " + differing.size() + " index(es) that had missed changes");
            }
            return differing.size();
        } finally {
            lock.unlock();
        }
    }

    private void rebuild(Scope scope) {
        MatchIndex old = indexes.remove(scope);
        versions.remove(scope);
        if (old != null) {
            old.close();
        }
        Optional<Tenant> tenant = tenant(scope.sdkAppId());
        if (tenant.isEmpty()) {
            return;
        }
        List<Long> seqs = questions.liveSeqs(tenant.get().db(), scope.robotId(), scope.languageTag(), scope.library());
        Set<MatchIndex> touched = new HashSet<>();
        for (int from = 0; from < seqs.size(); from += PAGE) {
            applySeqs(tenant.get(), seqs.subList(from, Math.min(seqs.size(), from + PAGE)), touched);
        }
        touched.forEach(MatchIndex::refresh);
    }

    private static Entry entry(Question q, Map<String, float[]> embedded) {
        List<Entry.Text> texts = new ArrayList<>();
        for (String text : q.texts()) {
            Embedder.Space space = Embedder.spaceOf(text);
            texts.add(new Entry.Text(text, space, embedded.get(space + ":" + text)));
        }
        return new Entry(q.questionId(), q.question(), q.answer(), q.answerType(), texts);
    }

    /**
     * The embeddings of every text of these questions, keyed by space and text: the stored
     * ones where they decode for the current models, the rest computed (in batches per model).
     */
    private Map<String, float[]> embed(List<QuestionRepository.Stored> live) {
        Map<String, float[]> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (QuestionRepository.Stored st : live) {
            Map<String, byte[]> ofQuestion = st.embeddings();
            for (String text : st.question().texts()) {
                Embedder.Space space = Embedder.spaceOf(text);
                String key = space + ":" + text;
                if (out.containsKey(key)) {
                    continue;
                }
                float[] v = Vectors.decode(space, ofQuestion.get(text));
                out.put(key, v);
                if (v == null) {
                    missing.add(text);
                }
            }
        }
        List<float[]> computed = embedder.embedAll(missing);
        for (int i = 0; i < missing.size(); i++) {
            out.put(Embedder.spaceOf(missing.get(i)) + ":" + missing.get(i), computed.get(i));
        }
        return out;
    }

    private static String key(long sdkAppId, String questionId) {
        return sdkAppId + "/" + questionId;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            indexes.values().forEach(MatchIndex::close);
            indexes.clear();
        } finally {
            lock.unlock();
        }
    }
}
