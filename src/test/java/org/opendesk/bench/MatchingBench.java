package org.opendesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.opendesk.Desk;
import org.opendesk.auth.UserSig;
import org.opendesk.config.DeskConfig;
import org.opendesk.json.Json;
import org.opendesk.matching.Candidate;
import org.opendesk.matching.Embedder;
import org.opendesk.matching.MatchIndex;
import org.opendesk.matching.Vectors;
import org.opendesk.rest.RestRequest;
import org.opendesk.rest.RestResponse;
import org.opendesk.robot.KnowledgeIndex;
import org.opendesk.robot.Library;
import org.opendesk.robot.RobotService;
import org.opendesk.tenant.Tenant;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Benchmark of FAQ matching at the scale of the issue: N standard questions (default 10,000)
 * with 3 similar questions each, about 70% Chinese, in the default robot's FAQ library.
 * Measures the index build from the database (time and heap), warm matching latency (query
 * embedding included) single-threaded and with 2 threads, and the full decision through the
 * in-process REST command path (robot_test_answer). A program that prints figures, not a test:
 * run it with {@code bench/matching-bench.sh} (see bench/README.md).
 *
 * <p>Settings (system properties): bench.questions (10000), bench.similar (3), bench.zhShare (0.7),
 * bench.queries (2000: half unseen paraphrases, half out of scope), bench.warmup (1000),
 * bench.measured (5000), bench.threads (2), bench.decisions (2000), bench.decisionWarmup (500),
 * bench.embedBatch (400 texts), bench.txQuestions (2500 questions per insert transaction),
 * bench.seed (42), bench.clearEmbedderCache (true), bench.sample (true: stack sampling of the
 * build and of matching), bench.keep (false: keep the data directory).
 */
public final class MatchingBench {
    static final long APP = 1_400_000_001L;
    static final String KEY = "b3nchb3nchb3nch0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String ADMIN = "administrator";
    static final String ROBOT = RobotService.DEFAULT_ROBOT;
    static final double TARGET_P99_MS = 10;
    static final double TARGET_BUILD_S = 60;
    static final double TARGET_HEAP_MB = 400;
    static final double DIRECT_ANSWER = 0.8; // RobotConfig.defaults: DirectAnsweringReaches

    private static final int N = Integer.getInteger("bench.questions", 10_000);
    private static final int SIMILAR = Integer.getInteger("bench.similar", 3);
    private static final double ZH_SHARE = Double.parseDouble(System.getProperty("bench.zhShare", "0.7"));
    private static final int QUERIES = Integer.getInteger("bench.queries", 2_000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 1_000);
    private static final int MEASURED = Integer.getInteger("bench.measured", 5_000);
    private static final int THREADS = Integer.getInteger("bench.threads", 2);
    private static final int DECISIONS = Integer.getInteger("bench.decisions", 2_000);
    private static final int DECISION_WARMUP = Integer.getInteger("bench.decisionWarmup", 500);
    private static final int EMBED_BATCH = Integer.getInteger("bench.embedBatch", 400);
    private static final int TX_QUESTIONS = Integer.getInteger("bench.txQuestions", 2_500);
    private static final long SEED = Long.getLong("bench.seed", 42L);
    private static final boolean CLEAR_CACHE = Boolean.parseBoolean(System.getProperty("bench.clearEmbedderCache", "true"));
    private static final boolean SAMPLE = Boolean.parseBoolean(System.getProperty("bench.sample", "true"));
    private static final boolean KEEP = Boolean.getBoolean("bench.keep");

    private static final List<String[]> SUMMARY = new ArrayList<>();

    private MatchingBench() {
    }

    public static void main(String[] args) throws Exception {
        if (N < 1 || SIMILAR < 0 || QUERIES < 2 || MEASURED < 1 || THREADS < 1) {
            throw new IllegalArgumentException("bench.questions, bench.queries, bench.measured, bench.threads must be positive");
        }
        long t0 = System.nanoTime();
        Locale.setDefault(Locale.ROOT);
        Path dir = Files.createTempDirectory("desk-matching-bench");
        System.out.printf("Desk matching benchmark: %,d standard questions x %d similar, %.0f%% Chinese; data dir %s%n",
                N, SIMILAR, ZH_SHARE * 100, dir);
        System.out.printf("JVM: %s %s, %d CPUs, max heap %d MB; args %s%n", System.getProperty("java.vm.name"),
                Runtime.version(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getRuntimeMXBean().getInputArguments());

        Map<String, String> env = new HashMap<>();
        env.put("DESK_PORT", "0");
        env.put("DESK_SDKAPPID", Long.toString(APP));
        env.put("DESK_SECRET_KEY", KEY);
        env.put("DESK_ADMIN", ADMIN);
        env.put("DESK_DATA_DIR", dir.toString());
        env.put("DESK_RATE_LIMITS", "off");
        DeskConfig config = DeskConfig.load(Config.just(ConfigSources.classpath("application.yaml")), env);

        long started = System.nanoTime();
        Desk desk = Desk.start(config, Clock.systemUTC());
        section("a. Desk started in-process (database " + config.db().describe() + ")");
        System.out.printf("  start-up (migrations, seed, first sync of %d preset questions, models loaded): %.1f s%n",
                desk.knowledgeIndex().size(), secondsSince(started));
        Tenant tenant = desk.tenants().find(APP).orElseThrow();
        try {
            run(desk, tenant, config);
        } finally {
            desk.close();
            if (!KEEP) {
                deleteTree(dir);
            }
        }
        System.out.printf("%ntotal run time: %.1f s%n", secondsSince(t0));
        System.exit(0); // no lingering non-daemon threads (Hikari, ONNX) keep the JVM up
    }

    private static void run(Desk desk, Tenant tenant, DeskConfig config) throws Exception {
        // ---------------------------------------------------------------- b. populate
        section("b. Populating the FAQ of " + ROBOT);
        Texts texts = new Texts(new Random(SEED));
        List<Texts.Faq> faqs = texts.knowledgeBase(N, SIMILAR, ZH_SHARE);
        long zh = faqs.stream().filter(f -> Embedder.spaceOf(f.standard()) == Embedder.Space.ZH).count();
        System.out.printf("  generated %,d standard questions (%,d Chinese, %,d English), %,d texts in all; e.g.%n",
                faqs.size(), zh, faqs.size() - zh, faqs.size() * (1L + SIMILAR));
        for (Texts.Faq f : List.of(faqs.get(0), faqs.get(faqs.size() - 1))) {
            System.out.println("    " + f.standard() + " | " + String.join(" | ", f.similar()));
        }
        Populated db = populate(config, tenant, faqs);
        long started;

        // ---------------------------------------------------------------- c. build
        section("c. Building a KnowledgeIndex from the database (new KnowledgeIndex(...).sync())");
        if (CLEAR_CACHE) {
            int dropped = clearEmbedderCache();
            System.out.printf("  cleared the Embedder's text cache (%,d entries), as in a freshly started process%n", dropped);
        }
        long heapBefore = usedHeapAfterGc();
        KnowledgeIndex index = new KnowledgeIndex(desk.database().client(), desk.tenants(), Embedder.shared(), Clock.systemUTC());
        Sampler buildSampler = SAMPLE ? Sampler.start(Thread.currentThread(),
                t -> t.getName().startsWith("Lucene Merge Thread")) : null;
        Load load = Load.now();
        started = System.nanoTime();
        int applied = index.sync();
        double buildSeconds = secondsSince(started);
        String buildLoad = load.since();
        Map<String, Integer> buildProfile = buildSampler == null ? null : buildSampler.stop();
        long heapAfter = usedHeapAfterGc();
        double heapMb = (heapAfter - heapBefore) / 1048576.0;
        System.out.printf("  build: %.1f s (%s)%n", buildSeconds, buildLoad);
        System.out.printf("  questions applied: %,d; questions indexed: %,d (%,d FAQ + preset chitchat)%n",
                applied, index.size(), faqs.size());
        System.out.printf("  used heap after GC: before %,.0f MB, after %,.0f MB: +%,.0f MB for the index%n",
                heapBefore / 1048576.0, heapAfter / 1048576.0, heapMb);
        System.out.printf("  process RSS: %s (peak %s)%n", procStatus("VmRSS"), procStatus("VmHWM"));
        System.out.println("  " + describeSegments(index));
        if (buildProfile != null) {
            printProfile("  where the build's time goes (stack samples every 10 ms of the syncing thread + Lucene merge threads):",
                    buildProfile);
        }
        SUMMARY.add(new String[] {"index build from the database", String.format("%.1f s", buildSeconds),
                "< " + (int) TARGET_BUILD_S + " s", verdict(buildSeconds < TARGET_BUILD_S)});
        SUMMARY.add(new String[] {"extra heap for the index", String.format("%.0f MB", heapMb),
                "< " + (int) TARGET_HEAP_MB + " MB", verdict(heapMb < TARGET_HEAP_MB)});

        incrementalSync(config, index, db.idByStandard().values().iterator().next());

        // ---------------------------------------------------------------- d. warm matching
        section("d. Warm matching on that index (analyse + match FAQ top 5 + match chitchat top 5)");
        List<Texts.Probe> probes = texts.queries(faqs, QUERIES);
        System.out.printf("  query set: %,d (%,d unseen paraphrases, %,d out of scope; %,d Chinese); e.g. \"%s\", \"%s\"%n",
                probes.size(), probes.stream().filter(p -> p.expectedStandard() != null).count(),
                probes.stream().filter(p -> p.expectedStandard() == null).count(),
                probes.stream().filter(p -> Embedder.spaceOf(p.text()) == Embedder.Space.ZH).count(),
                probes.stream().filter(p -> p.expectedStandard() != null).findFirst().map(Texts.Probe::text).orElse(""),
                probes.stream().filter(p -> p.expectedStandard() == null).findFirst().map(Texts.Probe::text).orElse(""));
        Map<String, String> idByStandard = db.idByStandard();
        warmMatching(index, tenant, probes, idByStandard);
        index.close();
        index = null; // the Desk's own index answers the REST calls of section e

        // ---------------------------------------------------------------- e. full decision
        section("e. Full decision through the command path: dispatcher.dispatch(robot_test_answer), in-process");
        if (CLEAR_CACHE) {
            clearEmbedderCache();
        }
        started = System.nanoTime();
        int synced = desk.knowledgeIndex().sync();
        System.out.printf("  the Desk's own index synced with the new questions first: %,d applied in %.1f s%n",
                synced, secondsSince(started));
        fullDecision(desk, probes);

        // ---------------------------------------------------------------- f. summary
        section("f. Summary (targets from the issue)");
        System.out.printf("  %-58s %12s %10s  %s%n", "figure", "measured", "target", "");
        for (String[] row : SUMMARY) {
            System.out.printf("  %-58s %12s %10s  %s%n", row[0], row[1], row[2], row[3]);
        }
        System.out.printf("  process RSS at the end: %s (peak %s); heap used now %,d MB%n", procStatus("VmRSS"),
                procStatus("VmHWM"), usedHeap() >> 20);
    }

    // ==================================================================== b. populate

    record Populated(Map<String, String> idByStandard) {
    }

    private static final String INSERT_QUESTION = "INSERT INTO kb_question (sdkappid, question_id, robot_id, library, "
            + "language_tag, category_id, question, answer, answer_type, question_type, status, embedding, created_at, "
            + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_SIMILAR = "INSERT INTO kb_similar (sdkappid, question_id, ordinal, similar_text, "
            + "embedding) VALUES (?, ?, ?, ?, ?)";

    /** Embeds every text (timed on its own) and inserts the rows as QuestionRepository writes them. */
    private static Populated populate(DeskConfig config, Tenant tenant, List<Texts.Faq> faqs) throws SQLException {
        List<String> all = new ArrayList<>(faqs.size() * (1 + SIMILAR));
        for (Texts.Faq f : faqs) {
            all.add(f.standard());
            all.addAll(f.similar());
        }
        Embedder embedder = Embedder.shared();
        Load load = Load.now();
        long started = System.nanoTime();
        List<byte[]> encoded = new ArrayList<>(all.size());
        int[] dims = new int[Embedder.Space.values().length];
        for (int from = 0; from < all.size(); from += EMBED_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + EMBED_BATCH));
            List<float[]> vectors = embedder.embedAll(batch);
            for (int i = 0; i < batch.size(); i++) {
                Embedder.Space space = Embedder.spaceOf(batch.get(i));
                dims[space.ordinal()] = vectors.get(i).length;
                encoded.add(Vectors.encode(space, vectors.get(i)));
            }
            if ((from / EMBED_BATCH) % 25 == 24) {
                System.out.printf("    embedded %,d / %,d texts (%.0f s)%n", from + batch.size(), all.size(), secondsSince(started));
            }
        }
        double embedSeconds = secondsSince(started);
        System.out.printf("  embedding the knowledge base (one-off, at write time in production): %,d texts in %.1f s"
                        + " = %.0f texts/s (%.2f ms/text; %s)%n", all.size(), embedSeconds,
                all.size() / embedSeconds, embedSeconds * 1000 / all.size(), load.since());
        System.out.printf("  vector dimensions: zh %d, en %d (Embedder.dimensions: %d, %d)%n", dims[0], dims[1],
                Embedder.dimensions(Embedder.Space.ZH), Embedder.dimensions(Embedder.Space.EN));

        Map<String, String> idByStandard = new HashMap<>();
        started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(config.db().url(), config.db().user(), config.db().password())) {
            long category;
            try (PreparedStatement ps = c.prepareStatement("SELECT category_id FROM kb_category WHERE sdkappid = ? "
                    + "AND robot_id = ? AND library = ? AND title = ?")) {
                ps.setLong(1, APP);
                ps.setString(2, ROBOT);
                ps.setInt(3, Library.FAQ.code());
                ps.setString(4, "预设问答库");
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no 预设问答库 category for " + ROBOT);
                    }
                    category = rs.getLong(1);
                }
            }
            c.setAutoCommit(false);
            Random ids = new Random(SEED + 1);
            Set<String> used = new HashSet<>();
            int transactions = 0;
            try (PreparedStatement q = c.prepareStatement(INSERT_QUESTION);
                 PreparedStatement s = c.prepareStatement(INSERT_SIMILAR)) {
                int text = 0;
                for (int i = 0; i < faqs.size(); i++) {
                    Texts.Faq f = faqs.get(i);
                    String id;
                    do {
                        id = questionId(ids);
                    } while (!used.add(id));
                    idByStandard.put(f.standard(), id);
                    long now = System.currentTimeMillis();
                    q.setLong(1, APP);
                    q.setString(2, id);
                    q.setString(3, ROBOT);
                    q.setInt(4, Library.FAQ.code());
                    q.setString(5, "");
                    q.setLong(6, category);
                    q.setString(7, f.standard());
                    q.setString(8, f.answer());
                    q.setInt(9, 0);  // answer_type: plain text
                    q.setInt(10, 0); // question_type: ordinary
                    q.setInt(11, 4); // status: live
                    q.setBytes(12, encoded.get(text++));
                    q.setLong(13, now);
                    q.setLong(14, now);
                    q.addBatch();
                    for (int k = 0; k < f.similar().size(); k++) {
                        s.setLong(1, APP);
                        s.setString(2, id);
                        s.setInt(3, k);
                        s.setString(4, f.similar().get(k));
                        s.setBytes(5, encoded.get(text++));
                        s.addBatch();
                    }
                    if ((i + 1) % 500 == 0 || i == faqs.size() - 1) {
                        q.executeBatch();
                        s.executeBatch();
                    }
                    if ((i + 1) % TX_QUESTIONS == 0 || i == faqs.size() - 1) {
                        c.commit();
                        transactions++;
                    }
                }
            }
            c.setAutoCommit(true);
            System.out.printf("  inserted %,d kb_question + %,d kb_similar rows with JDBC batches in %d transactions: %.1f s"
                            + " (category %d, 预设问答库)%n", faqs.size(), all.size() - faqs.size(), transactions,
                    secondsSince(started), category);
            checkStoredEmbeddings(c);
        }
        return new Populated(idByStandard);
    }

    /** Counts the stored embeddings that decode for the current model of their text's space. */
    private static void checkStoredEmbeddings(Connection c) throws SQLException {
        int[][] counts = new int[Embedder.Space.values().length][2]; // [space][0 decodes, 1 does not]
        for (String sql : List.of("SELECT question AS t, embedding FROM kb_question WHERE sdkappid = " + APP,
                "SELECT similar_text AS t, embedding FROM kb_similar WHERE sdkappid = " + APP)) {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Embedder.Space space = Embedder.spaceOf(rs.getString(1));
                    counts[space.ordinal()][Vectors.decode(space, rs.getBytes(2)) == null ? 1 : 0]++;
                }
            }
        }
        System.out.printf("  stored embeddings that decode for the current model (Vectors.decode): zh %,d of %,d, en %,d of %,d%n",
                counts[0][0], counts[0][0] + counts[0][1], counts[1][0], counts[1][0] + counts[1][1]);
        if (counts[0][1] + counts[1][1] > 0) {
            System.out.printf("  NOTE: %,d stored embeddings do not decode, so every index rebuild embeds those texts again%n",
                    counts[0][1] + counts[1][1]);
        }
    }

    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** The vendor's shape: {@code <SDKAppID>-<RobotId>-<16 random characters>}. */
    private static String questionId(Random random) {
        StringBuilder id = new StringBuilder().append(APP).append('-').append(ROBOT).append('-');
        for (int i = 0; i < 16; i++) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    /**
     * The steady state after the build: one question changes (as after an edit on this or
     * another node) and the index syncs; timed a few times.
     */
    private static void incrementalSync(DeskConfig config, KnowledgeIndex index, String questionId) throws SQLException {
        int rounds = 5;
        long[] nanos = new long[rounds];
        int applied = 0;
        try (Connection c = DriverManager.getConnection(config.db().url(), config.db().user(), config.db().password());
             PreparedStatement touch = c.prepareStatement("UPDATE kb_question SET updated_at = ? WHERE sdkappid = ? "
                     + "AND question_id = ?")) {
            for (int i = 0; i < rounds; i++) {
                touch.setLong(1, System.currentTimeMillis() + 1);
                touch.setLong(2, APP);
                touch.setString(3, questionId);
                touch.executeUpdate();
                long s = System.nanoTime();
                applied += index.sync();
                nanos[i] = System.nanoTime() - s;
            }
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("  incremental sync after 1 changed question (%d rounds, %d applied): median %.0f ms, max %.0f ms%n",
                rounds, applied, sorted[rounds / 2] / 1e6, sorted[rounds - 1] / 1e6);
        SUMMARY.add(new String[] {"incremental sync after 1 changed question (median)",
                String.format("%.0f ms", sorted[rounds / 2] / 1e6), "(info)", ""});
    }

    // ==================================================================== d. matching

    private static void warmMatching(KnowledgeIndex index, Tenant tenant, List<Texts.Probe> probes,
                                     Map<String, String> idByStandard) throws InterruptedException {
        // correctness on the whole set first (also part of the warm-up): what the figures are about
        int paraphrases = 0;
        int top1 = 0;
        int top1Direct = 0;
        int wrongDirect = 0;
        int outOfScope = 0;
        int outDirect = 0;
        for (Texts.Probe p : probes) {
            List<Candidate> faq = index.match(tenant, ROBOT, "", Library.FAQ, index.analyse(p.text()), 5);
            double best = faq.isEmpty() ? 0 : faq.get(0).similarity();
            if (p.expectedStandard() != null) {
                paraphrases++;
                String expected = idByStandard.get(p.expectedStandard());
                boolean hit = !faq.isEmpty() && faq.get(0).id().equals(expected);
                top1 += hit ? 1 : 0;
                top1Direct += hit && best >= DIRECT_ANSWER ? 1 : 0;
                wrongDirect += !hit && best >= DIRECT_ANSWER ? 1 : 0;
            } else {
                outOfScope++;
                outDirect += best >= DIRECT_ANSWER ? 1 : 0;
            }
        }
        System.out.printf("  quality (for information): unseen paraphrases: top-1 is the intended question %.1f%%, and"
                        + " reaches %.1f (direct answer) %.1f%%; a wrong question reaches %.1f %.1f%%;%n"
                        + "    out-of-scope questions whose best FAQ reaches %.1f: %.1f%%%n",
                pct(top1, paraphrases), DIRECT_ANSWER, pct(top1Direct, paraphrases), DIRECT_ANSWER,
                pct(wrongDirect, paraphrases), DIRECT_ANSWER, pct(outDirect, outOfScope));

        int n = probes.size();
        long started = System.nanoTime();
        for (int i = 0; i < WARMUP; i++) {
            ask(index, tenant, probes.get(i % n).text(), null);
        }
        System.out.printf("  warm-up: %,d queries (+%,d in the quality pass above) in %.1f s%n", WARMUP, n, secondsSince(started));

        // single thread
        long[] total = new long[MEASURED];
        long[][] phases = new long[3][MEASURED]; // analyse, FAQ match, chitchat match
        long[] phase = new long[3];
        Sampler sampler = SAMPLE ? Sampler.start(Thread.currentThread(), t -> false) : null;
        long allocatedBefore = allocatedBytes();
        Load load = Load.now();
        started = System.nanoTime();
        for (int i = 0; i < MEASURED; i++) {
            total[i] = ask(index, tenant, probes.get((WARMUP + i) % n).text(), phase);
            for (int k = 0; k < 3; k++) {
                phases[k][i] = phase[k];
            }
        }
        double seconds = secondsSince(started);
        String singleLoad = load.since();
        long allocated = allocatedBytes() - allocatedBefore;
        Map<String, Integer> profile = sampler == null ? null : sampler.stop();
        System.out.printf("  single thread, %,d queries: %.0f queries/s (%s)%n", MEASURED, MEASURED / seconds, singleLoad);
        if (allocated > 0) {
            System.out.printf("    allocated per question: %,.0f KB (%,.0f MB/s at this rate)%n", allocated / 1024.0 / MEASURED,
                    allocated / 1048576.0 / seconds);
        }
        printLatencies("per question (analyse + FAQ + chitchat)", total);
        printLatencies("  analyse (terms + query embedding)", phases[0]);
        printLatencies("  match FAQ, top 5", phases[1]);
        printLatencies("  match chitchat, top 5", phases[2]);
        double p99 = percentileMs(total, 0.99);
        SUMMARY.add(new String[] {"warm match p99, 1 thread (incl. query embedding)", String.format("%.2f ms", p99),
                "< " + (int) TARGET_P99_MS + " ms", verdict(p99 < TARGET_P99_MS)});

        // the embedding alone, on the same questions
        Embedder embedder = Embedder.shared();
        long[] embed = new long[MEASURED];
        long[] embedZh = new long[MEASURED];
        long[] embedEn = new long[MEASURED];
        int zhCount = 0;
        int enCount = 0;
        Load embedLoad = Load.now();
        for (int i = 0; i < MEASURED; i++) {
            String text = probes.get((WARMUP + i) % n).text();
            Embedder.Space space = Embedder.spaceOf(text);
            long s = System.nanoTime();
            embedder.embed(space, text);
            embed[i] = System.nanoTime() - s;
            if (space == Embedder.Space.ZH) {
                embedZh[zhCount++] = embed[i];
            } else {
                embedEn[enCount++] = embed[i];
            }
        }
        System.out.println("  the query embedding alone (Embedder.embed, same questions, single thread; " + embedLoad.since() + "):");
        printLatencies("  embedding, all", embed);
        printLatencies("  embedding, Chinese (bge-small-zh)", Arrays.copyOf(embedZh, zhCount));
        printLatencies("  embedding, English (bge-small-en)", Arrays.copyOf(embedEn, enCount));
        System.out.printf("    => the embedding is %.0f%% of the median question, %.0f%% of its p99%n",
                100 * percentileMs(embed, 0.5) / percentileMs(total, 0.5), 100 * percentileMs(embed, 0.99) / p99);
        if (profile != null) {
            printProfile("  where a warm question's time goes (stack samples every 10 ms, single-thread run):", profile);
        }

        // concurrent
        int perThread = MEASURED / THREADS;
        long[][] lat = new long[THREADS][perThread];
        Thread[] workers = new Thread[THREADS];
        load = Load.now();
        started = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            workers[t] = Thread.ofPlatform().name("bench-" + t).start(() -> {
                for (int i = 0; i < perThread; i++) {
                    lat[id][i] = ask(index, tenant, probes.get((id * 997 + i) % n).text(), null);
                }
            });
        }
        for (Thread w : workers) {
            w.join();
        }
        seconds = secondsSince(started);
        String threadsLoad = load.since();
        long[] merged = Arrays.stream(lat).flatMapToLong(Arrays::stream).toArray();
        double qps = merged.length / seconds;
        System.out.printf("  %d threads, %,d queries each: %.0f queries/s (%s)%n", THREADS, perThread, qps, threadsLoad);
        printLatencies("per question, " + THREADS + " threads", merged);
        SUMMARY.add(new String[] {"warm match p99, " + THREADS + " threads (" + Math.round(qps) + " queries/s)",
                String.format("%.2f ms", percentileMs(merged, 0.99)), "(info)", ""});
    }

    /** One question as AnswerService asks it: analyse, FAQ top 5, chitchat top 5. Answers nanoseconds. */
    private static long ask(KnowledgeIndex index, Tenant tenant, String text, long[] phases) {
        long s = System.nanoTime();
        MatchIndex.Query query = index.analyse(text);
        long a = System.nanoTime();
        List<Candidate> faq = index.match(tenant, ROBOT, "", Library.FAQ, query, 5);
        long b = System.nanoTime();
        List<Candidate> chat = index.match(tenant, ROBOT, "", Library.CHITCHAT, query, 5);
        long e = System.nanoTime();
        if (faq.size() + chat.size() < 0) {
            throw new AssertionError(); // keeps the results alive
        }
        if (phases != null) {
            phases[0] = a - s;
            phases[1] = b - a;
            phases[2] = e - b;
        }
        return e - s;
    }

    // ==================================================================== e. full decision

    private static void fullDecision(Desk desk, List<Texts.Probe> probes) throws InterruptedException {
        long nowSeconds = System.currentTimeMillis() / 1000;
        String sig = UserSig.generate(APP, KEY, ADMIN, 86_400, nowSeconds);
        Random random = new Random(SEED + 2);
        int n = probes.size();
        for (int i = 0; i < DECISION_WARMUP; i++) {
            decide(desk, sig, random, probes.get((n / 2 + i) % n).text(), i);
        }
        long[] lat = new long[DECISIONS];
        int nonOk = 0;
        String firstNonOk = null;
        Map<String, Integer> types = new TreeMap<>();
        Sampler sampler = SAMPLE ? Sampler.start(Thread.currentThread(), t -> false) : null;
        Load load = Load.now();
        long started = System.nanoTime();
        for (int i = 0; i < DECISIONS; i++) {
            String question = probes.get(i % n).text();
            long s = System.nanoTime();
            RestResponse r = decide(desk, sig, random, question, DECISION_WARMUP + i);
            lat[i] = System.nanoTime() - s;
            String body = new String(r.body(), StandardCharsets.UTF_8);
            if (r.errorCode() != 0 || !body.contains("\"ActionStatus\":\"OK\"")) {
                nonOk++;
                if (firstNonOk == null) {
                    firstNonOk = body;
                }
            } else {
                types.merge(replyType(r.body()), 1, Integer::sum);
            }
        }
        double seconds = secondsSince(started);
        Map<String, Integer> profile = sampler == null ? null : sampler.stop();
        System.out.printf("  %,d calls (after %,d warm-up calls), single thread: %.0f calls/s (%s)%n", DECISIONS,
                DECISION_WARMUP, DECISIONS / seconds, load.since());
        System.out.printf("  non-OK replies: %d; reply types %s%n", nonOk, types);
        if (firstNonOk != null) {
            System.out.println("  first non-OK reply: " + firstNonOk);
        }
        printLatencies("robot_test_answer (auth, JSON, config read, analyse, 2 matches, to-human intent, record)", lat);
        if (profile != null) {
            printProfile("  where a robot_test_answer call's time goes (stack samples every 10 ms):", profile);
        }
        double p99 = percentileMs(lat, 0.99);
        SUMMARY.add(new String[] {"full decision robot_test_answer p99, in-process", String.format("%.2f ms", p99),
                "(info)", nonOk == 0 ? "all OK" : nonOk + " non-OK"});
    }

    private static RestResponse decide(Desk desk, String sig, Random random, String question, int i) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("sdkappid", Long.toString(APP));
        query.put("identifier", ADMIN);
        query.put("usersig", sig);
        query.put("random", Long.toString(random.nextLong(4_294_967_296L)));
        query.put("contenttype", "json");
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(Map.of("Question", question, "RobotId", ROBOT, "TopN", 5));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return desk.dispatcher().dispatch(new RestRequest("POST", "openim_console_http_svc", "robot_test_answer", query,
                body, 0, "bench-" + i));
    }

    private static String replyType(byte[] body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            return node.path("ReplyType").asText("?");
        } catch (IOException e) {
            return "?";
        }
    }

    // ==================================================================== helpers

    /** The Lucene segments of each index of a KnowledgeIndex (private state, read by reflection: diagnostics only). */
    private static String describeSegments(KnowledgeIndex index) {
        try {
            Field indexes = KnowledgeIndex.class.getDeclaredField("indexes");
            indexes.setAccessible(true);
            Field searchers = MatchIndex.class.getDeclaredField("searchers");
            searchers.setAccessible(true);
            StringBuilder out = new StringBuilder("Lucene segments per index:");
            for (Map.Entry<?, ?> e : ((Map<?, ?>) indexes.get(index)).entrySet()) {
                org.apache.lucene.search.SearcherManager sm = (org.apache.lucene.search.SearcherManager) searchers.get(e.getValue());
                org.apache.lucene.search.IndexSearcher searcher = sm.acquire();
                try {
                    var reader = searcher.getIndexReader();
                    String scope = e.getKey().toString().replaceAll(".*robotId=[^,]*, languageTag=([^,]*), library=(\\w+).*", "$2[$1]");
                    out.append(' ').append(scope).append(' ').append(reader.leaves().size()).append(" segments / ")
                            .append(String.format("%,d", reader.numDocs())).append(" docs;");
                } finally {
                    sm.release(searcher);
                }
            }
            return out.toString();
        } catch (ReflectiveOperationException | IOException | RuntimeException ex) {
            return "(Lucene segments: not available: " + ex + ")";
        }
    }

    /** Empties the Embedder's private text cache (a fresh process starts with none). Answers how many entries it held. */
    private static int clearEmbedderCache() {
        try {
            Field f = Embedder.class.getDeclaredField("cache");
            f.setAccessible(true);
            Map<?, ?> cache = (Map<?, ?>) f.get(Embedder.shared());
            synchronized (cache) {
                int size = cache.size();
                cache.clear();
                return size;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.out.println("  (could not clear the Embedder cache: " + e + ")");
            return -1;
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Machine CPU (all processes) from /proc/stat, and this process's CPU, to tell what others took meanwhile. */
    record Load(long busyTicks, long totalTicks, long ownNanos, long wallNanos, long gcCount, long gcMillis) {
        static Load now() {
            long busy = 0;
            long total = 0;
            try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
                String cpu = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElse("");
                String[] f = cpu.trim().split("\\s+");
                for (int i = 1; i < f.length && i <= 8; i++) {
                    long v = Long.parseLong(f[i]);
                    total += v;
                    if (i != 4 && i != 5) { // idle, iowait
                        busy += v;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: no figure
            }
            long gcCount = 0;
            long gcMillis = 0;
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (!gc.getName().contains("Concurrent")) { // pauses only (G1 Young/Old), not concurrent cycles
                    gcCount += Math.max(0, gc.getCollectionCount());
                    gcMillis += Math.max(0, gc.getCollectionTime());
                }
            }
            return new Load(busy, total, processCpuNanos(), System.nanoTime(), gcCount, gcMillis);
        }

        /** "process X cores, other processes Y cores" over the time since this snapshot. */
        String since() {
            Load end = now();
            double wall = (end.wallNanos - wallNanos) / 1e9;
            double own = (end.ownNanos - ownNanos) / 1e9 / wall;
            int cpus = Runtime.getRuntime().availableProcessors();
            String gc = String.format("; GC pauses %d, %,d ms", end.gcCount - gcCount, end.gcMillis - gcMillis);
            if (end.totalTicks == totalTicks) {
                return String.format("this process used %.2f cores", own) + gc;
            }
            double machine = (double) (end.busyTicks - busyTicks) / (end.totalTicks - totalTicks) * cpus;
            return String.format("this process used %.2f cores, other processes about %.2f cores, of %d", own,
                    Math.max(0, machine - own), cpus) + gc;
        }
    }

    /** Bytes allocated so far by the current thread (HotSpot), or 0. */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads) {
            return threads.getCurrentThreadAllocatedBytes();
        }
        return 0;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static String procStatus(String key) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith(key + ":")).findFirst()
                    .map(l -> {
                        long kb = Long.parseLong(l.substring(key.length() + 1).trim().split("\\s+")[0]);
                        return String.format("%,d MB", kb / 1024);
                    }).orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void printLatencies(String label, long[] nanos) {
        if (nanos.length == 0) {
            return;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("    %-60s p50 %6.2f  p90 %6.2f  p99 %6.2f  max %7.2f ms  (n=%,d)%n", label,
                at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6, sorted.length);
    }

    private static double percentileMs(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return at(sorted, p);
    }

    private static double at(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static void printProfile(String title, Map<String, Integer> profile) {
        int total = profile.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println(title);
        if (total == 0) {
            System.out.println("    (no samples)");
            return;
        }
        profile.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf("    %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
        System.out.printf("    (%,d samples)%n", total);
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "MISS";
    }

    private static double pct(int part, int whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static double secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e9;
    }

    private static void section(String title) {
        System.out.println();
        System.out.println(title);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ==================================================================== sampling profiler

    /**
     * A coarse in-process sampling profiler: every 10 ms, the stacks of the target thread and
     * of any thread the predicate accepts; a RUNNABLE stack counts for the category of its
     * innermost frame that names a known component (other states count as waiting).
     */
    static final class Sampler {
        /** Components, by the innermost frame of a known package. */
        private static final String[][] COMPONENTS = {
                {"ai.onnxruntime", "ONNX Runtime inference"},
                {"ai.djl", "tokenizer (DJL)"},
                {"dev.langchain4j", "langchain4j (tokenizing, pooling)"},
                {"org.apache.lucene.util.hnsw", "HNSW graph"},
                {"org.apache.lucene.codecs.hnsw", "HNSW graph"},
                {"org.apache.lucene.codecs.lucene99.Lucene99Hnsw", "HNSW graph"},
                {"org.apache.lucene.internal.vectorization", "vector dot products"},
                {"org.apache.lucene.util.VectorUtil", "vector dot products"},
                {"org.apache.lucene.search.AbstractKnnVectorQuery", "kNN query"},
                {"org.apache.lucene.search.KnnFloatVectorQuery", "kNN query"},
                {"org.apache.lucene.analysis", "text analysis (smartcn / CJK bigrams)"},
                {"org.apache.lucene.codecs.lucene90.compressing", "stored fields (LZ4 blocks)"},
                {"org.apache.lucene.codecs.compressing", "stored fields (LZ4 blocks)"},
                {"org.apache.lucene.util.compress", "stored fields (LZ4 blocks)"},
                {"org.apache.lucene.index.StoredFields", "stored fields (LZ4 blocks)"},
                {"org.apache.lucene.document", "stored fields (documents)"},
                {"org.apache.lucene.search.similarities", "BM25 scoring"},
                {"org.apache.lucene.search", "Lucene search"},
                {"org.apache.lucene.index", "Lucene index (postings, terms, flush, merge)"},
                {"org.apache.lucene.codecs", "Lucene codecs (postings, terms)"},
                {"org.apache.lucene.store", "Lucene store (in-memory files)"},
                {"org.apache.lucene", "Lucene other"},
                {"org.opendesk.matching.Vectors", "decoding stored embeddings"},
                {"org.opendesk.matching.TextAnalysis", "Desk TextAnalysis"},
                {"org.h2", "H2"},
                {"com.zaxxer", "Hikari pool"},
                {"io.helidon.dbclient", "Helidon DbClient"},
                {"com.fasterxml.jackson", "Jackson"},
                {"java.util", "JDK collections"},
                {"java.lang", "JDK lang (strings, ...)"},
                {"org.opendesk", "Desk code"},
        };

        /** What the Desk was doing, by the innermost frame of one of these methods ("*" = any method). */
        private static final String[][] PHASES = {
                {"org.opendesk.matching.Embedder", "*", "embedding"},
                {"org.opendesk.matching.MatchIndex$Query", "*", "query terms"},
                {"org.opendesk.matching.MatchIndex", "rescore", "search: rescore candidates"},
                {"org.opendesk.matching.MatchIndex", "vectorCosine", "search: rescore candidates"},
                {"org.opendesk.matching.MatchIndex", "search", "search: retrieve (kNN + BM25)"},
                {"org.opendesk.matching.MatchIndex", "upsert", "index: add documents"},
                {"org.opendesk.matching.MatchIndex", "refresh", "index: refresh (flush segments, HNSW)"},
                {"org.opendesk.matching.MatchIndex", "*", "index: other"},
                {"org.opendesk.robot.QuestionRepository", "*", "read questions + stored embeddings"},
                {"org.opendesk.robot.KnowledgeFeed", "*", "read the change feed"},
                {"org.opendesk.robot.KnowledgeIndex", "*", "KnowledgeIndex"},
                {"org.opendesk.robot.ToAgentIntent", "*", "to-human intent"},
                {"org.opendesk.robot.RobotService", "*", "robot config read"},
                {"org.opendesk.robot.AnswerService", "*", "AnswerService"},
                {"org.opendesk.rest", "*", "REST dispatch (auth, JSON)"},
                {"org.apache.lucene.index.ConcurrentMergeScheduler", "*", "background merge"},
        };

        private final Thread target;
        private final Predicate<Thread> also;
        private final Map<String, Integer> counts = new HashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        private Sampler(Thread target, Predicate<Thread> also) {
            this.target = target;
            this.also = also;
        }

        static Sampler start(Thread target, Predicate<Thread> also) {
            Sampler s = new Sampler(target, also);
            s.thread = Thread.ofPlatform().daemon().name("bench-sampler").start(s::loop);
            return s;
        }

        private void loop() {
            while (running.get()) {
                sample(target);
                if (also != null) {
                    for (Thread t : Thread.getAllStackTraces().keySet()) {
                        if (t != target && also.test(t)) {
                            sample(t);
                        }
                    }
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample(Thread t) {
            Thread.State state = t.getState();
            StackTraceElement[] stack = t.getStackTrace();
            if (stack.length == 0) {
                return;
            }
            String prefix = t == target ? "" : "[" + t.getName().replaceAll("\\d+", "#") + "] ";
            String key;
            if (state != Thread.State.RUNNABLE) {
                key = "waiting (" + state + "): " + phase(stack);
            } else {
                key = phase(stack) + " / " + component(stack);
            }
            synchronized (counts) {
                counts.merge(prefix + key, 1, Integer::sum);
            }
        }

        private static String phase(StackTraceElement[] stack) {
            for (StackTraceElement frame : stack) {
                for (String[] p : PHASES) {
                    if (frame.getClassName().startsWith(p[0]) && (p[1].equals("*") || p[1].equals(frame.getMethodName()))) {
                        return p[2];
                    }
                }
            }
            return "other";
        }

        private static String component(StackTraceElement[] stack) {
            for (StackTraceElement frame : stack) {
                for (String[] c : COMPONENTS) {
                    if (frame.getClassName().startsWith(c[0])) {
                        return c[1];
                    }
                }
            }
            return stack[0].getClassName() + "." + stack[0].getMethodName();
        }

        Map<String, Integer> stop() throws InterruptedException {
            running.set(false);
            thread.join();
            synchronized (counts) {
                return new HashMap<>(counts);
            }
        }
    }

    // ==================================================================== texts

    /**
     * Customer-service questions from templates: products (brand x type x model) x topics x
     * paraphrase templates. Template 0 is the standard question, 1..3 the similar ones, 4 an
     * unseen paraphrase used only as a query. Out-of-scope questions come from their own templates.
     */
    static final class Texts {
        record Faq(String standard, List<String> similar, String answer) {
        }

        /** A query; {@code expectedStandard} is the standard question it paraphrases (null when out of scope). */
        record Probe(String text, String expectedStandard) {
        }

        private record Topic(String name, Set<String> groups, String[] templates, String answer) {
        }

        private record Group(String name, String[] brands, String[] types) {
        }

        private static final String ALL = "*";
        private static final String BRAND = "brand"; // brand-level topics, once per brand

        // ---- Chinese
        private static final Group[] ZH_GROUPS = {
                new Group("digital", new String[] {"华为", "小米", "联想", "荣耀", "OPPO", "vivo", "索尼", "一加"},
                        new String[] {"手机", "笔记本电脑", "平板电脑", "蓝牙耳机", "智能手表"}),
                new Group("appliance", new String[] {"美的", "海尔", "格力", "松下", "西门子", "海信"},
                        new String[] {"空调", "冰箱", "洗衣机", "热水器", "电视"}),
                new Group("kitchen", new String[] {"苏泊尔", "九阳", "方太", "老板", "摩飞"},
                        new String[] {"电饭煲", "豆浆机", "油烟机", "燃气灶", "破壁机"}),
                new Group("sports", new String[] {"安踏", "李宁", "耐克", "阿迪达斯", "特步"},
                        new String[] {"跑步鞋", "运动外套", "篮球鞋", "速干T恤", "羽绒服"}),
                new Group("home", new String[] {"戴森", "科沃斯", "石头", "飞利浦", "追觅"},
                        new String[] {"吸尘器", "扫地机器人", "电动牙刷", "空气净化器", "吹风机"}),
        };
        private static final String[] ZH_SUFFIX = {"", " Pro", " Max", " Plus", " Lite", " 青春版", " 旗舰版"};

        private static Topic topic(String name, String groups, String answer, String... templates) {
            return new Topic(name, Set.of(groups.split(",")), templates, answer);
        }

        private static final Topic[] ZH_TOPICS = {
                topic("退货", ALL, "{p}支持7天无理由退货，请在订单详情页点击“申请售后”，选择退货并填写原因，审核通过后按提示寄回即可。",
                        "{p}怎么退货", "{p}买了不想要了可以退吗", "{p}的退货流程是什么", "我想把刚买的{p}退掉要怎么操作",
                        "请问{p}如何申请退货"),
                topic("退款", ALL, "{p}退款审核通过后原路退回，微信和支付宝一般1-3个工作日到账，银行卡3-7个工作日。",
                        "{p}退款多久到账", "{p}的退款什么时候能收到", "{p}申请退款以后钱会退到哪里", "{p}退款一直没到账怎么办",
                        "请问{p}退款需要几天"),
                topic("发票", ALL, "购买{p}可开具电子普通发票或增值税专用发票，下单时填写抬头，发货后可在订单详情下载。",
                        "{p}可以开发票吗", "{p}怎么开增值税专用发票", "买{p}能开公司抬头的发票吗", "{p}的电子发票在哪里下载",
                        "请问购买{p}如何申请发票"),
                topic("运费", ALL, "{p}订单满99元包邮，不满99元收取运费8元；质量问题退换货的运费由我们承担。",
                        "{p}包邮吗", "{p}的运费怎么算", "买{p}需要自己付邮费吗", "{p}退货的运费谁承担",
                        "请问{p}要不要另外付运费"),
                topic("保修", ALL, "{p}享受全国联保，整机保修1年，主要部件保修3年，保修时请提供订单号或发票。",
                        "{p}保修多久", "{p}坏了能免费保修吗", "{p}的质保期是几年", "{p}保修需要提供什么凭证",
                        "请问{p}的保修期有多长"),
                topic("会员积分", ALL, "购买{p}每消费1元得1积分，确认收货后7天内到账，积分可在下单时抵扣现金。",
                        "买{p}能积分吗", "{p}订单的会员积分怎么用", "{p}的订单积分什么时候到账", "可以用积分兑换{p}吗",
                        "请问购买{p}送多少积分"),
                topic("优惠券", ALL, "{p}可使用店铺优惠券和平台满减券，每笔订单限用一张店铺券，优惠券在领券中心领取。",
                        "{p}能用优惠券吗", "{p}的优惠券在哪里领取", "{p}的优惠券为什么用不了", "{p}可以叠加使用优惠券吗",
                        "请问买{p}有没有优惠券可以用"),
                topic("支付方式", ALL, "{p}支持微信支付、支付宝、银联卡和信用卡，部分地区支持货到付款。",
                        "{p}支持哪些支付方式", "{p}可以用微信支付吗", "买{p}能用信用卡付款吗", "{p}支持货到付款吗",
                        "请问购买{p}都能怎么付款"),
                topic("分期", ALL, "{p}支持花呗和信用卡分期，可选3、6、12期，部分商品享免息，具体以结算页为准。",
                        "{p}可以分期付款吗", "{p}分期有手续费吗", "{p}最多能分几期", "{p}的花呗分期怎么操作",
                        "请问{p}能不能分期买"),
                topic("物流查询", ALL, "{p}下单后48小时内发货，可在“我的订单”中点击“查看物流”查询快递进度。",
                        "{p}发货了吗", "{p}的物流信息在哪里看", "我买的{p}快递到哪了", "我买的{p}什么时候能送到",
                        "请问{p}的快递怎么查"),
                topic("修改地址", ALL, "{p}订单未发货前可在订单详情页修改收货地址；已发货的请联系快递员改派。",
                        "{p}下单后还能改地址吗", "{p}订单怎么修改收货地址", "{p}的收货地址填错了怎么办", "{p}已经发货了还能改地址吗",
                        "请问{p}订单的地址可以换吗"),
                topic("库存", ALL, "{p}页面显示有货即可下单；缺货时可点击“到货通知”，补货后我们会第一时间提醒您。",
                        "{p}还有货吗", "{p}什么时候补货", "{p}缺货了可以预订吗", "{p}显示无货怎么办",
                        "请问{p}现在有没有现货"),
                topic("换货", ALL, "{p}签收后15天内出现质量问题可申请换货，请在订单详情页提交换货申请并上传照片。",
                        "{p}可以换货吗", "{p}有质量问题怎么换", "{p}换货需要多长时间", "{p}想换个颜色可以吗",
                        "请问{p}的换货怎么申请"),
                topic("价格保护", ALL, "{p}支持30天价格保护，降价后可在订单详情页申请价保，差价将退回原支付账户。",
                        "{p}降价了能退差价吗", "{p}有价格保护吗", "刚买的{p}就降价了怎么办", "{p}的价保怎么申请",
                        "请问{p}买贵了能补差价吗"),
                topic("安装", "appliance,kitchen", "{p}提供免费上门安装，签收后在App中预约，师傅会在24小时内联系您。",
                        "{p}包安装吗", "{p}怎么预约上门安装", "{p}安装要另外收费吗", "买了{p}多久能来安装",
                        "请问{p}送货后谁负责安装"),
                topic("以旧换新", "digital,appliance", "{p}支持以旧换新，旧机估价后抵扣新机货款，可在下单页选择“以旧换新”。",
                        "{p}可以以旧换新吗", "{p}旧机回收怎么估价", "{p}以旧换新能抵多少钱", "{p}以旧换新的流程是什么",
                        "请问买{p}能拿旧的来换吗"),
                topic("使用说明", "digital,appliance,kitchen,home", "{p}的电子版说明书可在官网“服务支持”页面下载，也可观看商品详情页的使用视频。",
                        "{p}怎么使用", "{p}的说明书在哪里", "{p}第一次使用要注意什么", "{p}有没有使用教程视频",
                        "请问{p}该怎么操作"),
                topic("尺码", "sports", "{p}尺码标准，建议按平时尺码购买；脚背较高或喜欢宽松的可选大一码，详见尺码表。",
                        "{p}尺码偏大还是偏小", "{p}怎么选尺码", "{p}尺码不合适能换吗", "{p}有没有尺码对照表",
                        "请问{p}要买大一码吗"),
                topic("洗涤保养", "sports", "{p}建议冷水手洗，不可漂白和暴晒，洗后平铺阴干，详见吊牌上的洗涤说明。",
                        "{p}可以机洗吗", "{p}怎么清洗", "{p}洗了会不会缩水", "{p}平时怎么保养",
                        "请问{p}能放洗衣机洗吗"),
                // brand level: {b} only, once per brand
                topic("账号密码", BRAND, "请在{b}商城登录页点击“忘记密码”，通过绑定的手机号接收验证码后即可重设密码。",
                        "{b}商城账号密码忘了怎么办", "{b}账号怎么找回密码", "{b}商城登录不上去怎么办", "怎么修改{b}商城账号的密码",
                        "请问{b}账号的密码怎么重置"),
                topic("会员等级", BRAND, "{b}会员等级按近12个月的消费金额计算，等级越高可享受越多专属折扣和生日礼。",
                        "{b}会员等级怎么升级", "{b}会员有什么权益", "{b}的会员等级怎么计算", "{b}会员可以打几折",
                        "请问{b}会员等级有哪些好处"),
                topic("客服电话", BRAND, "{b}官方客服热线为400-800-8888，服务时间每天9:00-21:00，也可在线联系人工客服。",
                        "{b}客服电话是多少", "{b}人工客服怎么联系", "{b}客服几点上班", "{b}售后服务热线是多少",
                        "请问怎么联系{b}的售后"),
        };

        // ---- English
        private static final Group[] EN_GROUPS = {
                new Group("digital", new String[] {"Samsung", "Dell", "Lenovo", "Sony", "Google", "Asus"},
                        new String[] {"phone", "laptop", "tablet", "wireless earbuds", "smartwatch"}),
                new Group("appliance", new String[] {"Bosch", "Whirlpool", "LG", "Siemens", "Electrolux"},
                        new String[] {"air conditioner", "fridge", "washing machine", "water heater", "TV"}),
                new Group("kitchen", new String[] {"KitchenAid", "Breville", "Ninja", "Tefal"},
                        new String[] {"rice cooker", "blender", "coffee maker", "air fryer", "range hood"}),
                new Group("sports", new String[] {"Nike", "Adidas", "Puma", "Asics", "New Balance"},
                        new String[] {"running shoes", "rain jacket", "hoodie", "basketball shoes", "leggings"}),
                new Group("home", new String[] {"Dyson", "Philips", "iRobot", "Braun"},
                        new String[] {"vacuum cleaner", "robot vacuum", "electric toothbrush", "air purifier", "hair dryer"}),
        };
        private static final String[] EN_SUFFIX = {"", " Pro", " Max", " Plus", " Lite", " Ultra", " Mini"};

        private static final Topic[] EN_TOPICS = {
                topic("return", ALL, "You can return the {p} within 30 days: open the order, choose Return item and follow the steps.",
                        "How do I return the {p}?", "Can I send back the {p} if I don't want it?",
                        "What is the return process for the {p}?", "I want to return my {p}, what should I do?",
                        "Is it possible to return a {p} I bought last week?"),
                topic("refund", ALL, "Refunds for the {p} go back to the original payment method within 3-7 business days.",
                        "How long does a refund for the {p} take?", "When will I get my money back for the {p}?",
                        "Where does the refund for the {p} go?", "My refund for the {p} has not arrived, what now?",
                        "How many days until the {p} refund shows up?"),
                topic("invoice", ALL, "An invoice for the {p} is issued when it ships; download it from the order page.",
                        "Can I get an invoice for the {p}?", "How do I request a VAT invoice for the {p}?",
                        "Can the invoice for the {p} be issued to my company?", "Where can I download the invoice for my {p}?",
                        "I need a receipt for the {p} I ordered"),
                topic("shipping", ALL, "Shipping for the {p} is free on orders over $49; otherwise it is $6.99.",
                        "Is shipping free for the {p}?", "How much is delivery for the {p}?",
                        "Do I have to pay shipping on the {p}?", "Who pays return shipping for the {p}?",
                        "What does it cost to ship the {p}?"),
                topic("warranty", ALL, "The {p} comes with a 2-year manufacturer warranty; keep your order number for claims.",
                        "How long is the warranty on the {p}?", "Is my broken {p} covered by warranty?",
                        "How many years of warranty does the {p} have?", "What do I need for a warranty claim on the {p}?",
                        "What warranty comes with the {p}?"),
                topic("points", ALL, "Every dollar spent on the {p} earns 1 reward point, credited 7 days after delivery.",
                        "Do I earn points when buying the {p}?", "How can I use my points on the {p}?",
                        "When are points for my {p} order credited?", "Can I redeem points for the {p}?",
                        "How many reward points do I get for the {p}?"),
                topic("coupon", ALL, "One store coupon can be used per {p} order; collect coupons in the Offers page.",
                        "Can I use a coupon on the {p}?", "Where do I get coupons for the {p}?",
                        "Why doesn't my coupon work on the {p}?", "Can I combine coupons when buying the {p}?",
                        "Is there a discount code for the {p}?"),
                topic("payment", ALL, "The {p} can be paid by card, PayPal, Apple Pay or Google Pay.",
                        "What payment methods are accepted for the {p}?", "Can I pay for the {p} with PayPal?",
                        "Can I buy the {p} with a credit card?", "Is cash on delivery available for the {p}?",
                        "Which ways can I pay for the {p}?"),
                topic("installments", ALL, "You can split the {p} into 3, 6 or 12 monthly payments at checkout.",
                        "Can I pay for the {p} in installments?", "Is there a fee for paying the {p} in installments?",
                        "How many installments can I split the {p} into?", "How do I set up monthly payments for the {p}?",
                        "Can I buy the {p} now and pay later?"),
                topic("tracking", ALL, "The {p} ships within 48 hours; track it under My orders > Track package.",
                        "Has my {p} shipped yet?", "Where can I track my {p} order?", "Where is my {p} delivery now?",
                        "When will my {p} arrive?", "How do I check the delivery status of the {p}?"),
                topic("address", ALL, "You can change the address of a {p} order until it ships, from the order page.",
                        "Can I change the delivery address for my {p} order?",
                        "How do I update the shipping address of the {p} order?",
                        "I entered the wrong address for my {p}, what can I do?",
                        "Can the address be changed after the {p} has shipped?",
                        "Is it too late to send my {p} to a different address?"),
                topic("stock", ALL, "If the {p} is out of stock, tap Notify me and we will email you when it is back.",
                        "Is the {p} in stock?", "When will the {p} be back in stock?",
                        "Can I pre-order the {p} while it is sold out?", "The {p} shows out of stock, what can I do?",
                        "Do you still have the {p} available?"),
                topic("exchange", ALL, "A faulty {p} can be exchanged within 15 days of delivery from the order page.",
                        "Can I exchange the {p}?", "My {p} is faulty, how do I swap it?",
                        "How long does an exchange of the {p} take?", "Can I exchange the {p} for another color?",
                        "How do I get a replacement {p}?"),
                topic("installation", "appliance,kitchen", "Free installation of the {p} can be booked after delivery in the app.",
                        "Is installation included with the {p}?", "How do I book installation for the {p}?",
                        "Is there a fee to install the {p}?", "How soon can someone install my {p}?",
                        "Can you send a technician to set up the {p}?"),
                topic("size", "sports", "The {p} fits true to size; see the size chart on the product page.",
                        "Does the {p} run large or small?", "How do I choose the right size of the {p}?",
                        "Can I exchange the {p} for another size?", "Is there a size chart for the {p}?",
                        "Should I order a size up in the {p}?"),
                topic("manual", "digital,appliance,kitchen,home", "The {p} manual can be downloaded from the Support page.",
                        "How do I use the {p}?", "Where is the manual for the {p}?",
                        "What should I know before using the {p} for the first time?", "Is there a video guide for the {p}?",
                        "How do I get started with the {p}?"),
                topic("password", BRAND, "On the {b} store sign-in page choose Forgot password and follow the email link.",
                        "I forgot my {b} store account password", "How do I reset the password of my {b} account?",
                        "I cannot log in to my {b} account", "How do I change the password of my {b} store account?",
                        "My {b} account password is not working"),
                topic("contact", BRAND, "{b} customer service is available 9am-9pm every day by chat or at 1-800-555-0100.",
                        "What is the {b} customer service phone number?", "How do I contact {b} support?",
                        "When is {b} customer service open?", "Can I talk to someone at {b} about my order?",
                        "How can I reach the {b} help desk?"),
        };

        // ---- out of scope
        private static final String[] CITIES = {"北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "南京", "重庆",
                "天津", "苏州", "长沙", "郑州", "青岛", "厦门", "昆明", "大连", "沈阳", "哈尔滨"};
        private static final String[] DISHES = {"红烧肉", "宫保鸡丁", "麻婆豆腐", "糖醋排骨", "鱼香肉丝", "西红柿炒鸡蛋", "水煮鱼",
                "回锅肉", "酸菜鱼", "小龙虾", "饺子", "月饼", "蛋炒饭", "牛肉面", "火锅底料"};
        private static final String[] THINGS = {"秋天", "大海", "月亮", "故乡", "春雨", "星空", "童年", "友情", "山川", "落叶"};
        private static final String[] SUBJECTS = {"量子力学", "中国历史", "心理学", "经济学", "围棋", "摄影", "编程", "天文学",
                "哲学", "书法", "吉他", "日语"};
        private static final String[] ZH_OUT = {"{c}明天天气怎么样", "{c}有什么好玩的地方", "{d}怎么做才好吃", "帮我写一首关于{t}的诗",
                "推荐几本关于{s}的书", "从{c}到{c2}坐高铁要多久", "学{s}难不难", "{c}哪家{d}最正宗", "给我讲一个关于{t}的故事",
                "{s}入门应该先看什么", "{c}的房价最近涨了吗", "周末去{c}旅游有什么推荐"};
        private static final String[] EN_CITIES = {"Paris", "London", "Tokyo", "New York", "Berlin", "Sydney", "Toronto",
                "Madrid", "Rome", "Chicago", "Seattle", "Dublin"};
        private static final String[] EN_DISHES = {"lasagna", "pad thai", "banana bread", "ramen", "paella", "chili",
                "pancakes", "risotto", "tacos", "apple pie"};
        private static final String[] EN_THINGS = {"the ocean", "autumn", "the moon", "friendship", "the city at night",
                "mountains", "childhood", "rain"};
        private static final String[] EN_SUBJECTS = {"quantum physics", "ancient Rome", "psychology", "economics", "chess",
                "photography", "astronomy", "philosophy", "jazz guitar", "Spanish"};
        private static final String[] EN_OUT = {"What's the weather in {c} tomorrow?", "How do I cook {d}?",
                "Write a poem about {t}", "Recommend some books about {s}", "How long is the train from {c} to {c2}?",
                "Is {s} hard to learn?", "What are the best things to do in {c}?", "Tell me a story about {t}",
                "Where can I find good {d} in {c}?", "Who invented {s}?"};

        private final Random random;

        Texts(Random random) {
            this.random = random;
        }

        /** {@code n} standard questions with distinct texts, about {@code zhShare} of them Chinese. */
        List<Faq> knowledgeBase(int n, int similar, double zhShare) {
            int zhCount = (int) Math.round(n * zhShare);
            List<Faq> zhFaqs = generate(zhCount, similar, ZH_GROUPS, ZH_TOPICS, ZH_SUFFIX, true);
            List<Faq> enFaqs = generate(n - zhCount, similar, EN_GROUPS, EN_TOPICS, EN_SUFFIX, false);
            List<Faq> all = new ArrayList<>(zhFaqs);
            all.addAll(enFaqs);
            Collections.shuffle(all, random);
            Set<String> distinct = new HashSet<>();
            for (Faq f : all) {
                if (!distinct.add(f.standard())) {
                    throw new IllegalStateException("duplicate standard question " + f.standard());
                }
            }
            return all;
        }

        /** Keeps the unseen paraphrase (template 4) of each question, by standard text. */
        private final Map<String, String> unseen = new HashMap<>();

        private List<Faq> generate(int n, int similar, Group[] groups, Topic[] topics, String[] suffixes, boolean chinese) {
            List<Faq> out = new ArrayList<>(n);
            // brand-level questions first (a few per brand), then product-level ones
            for (Group g : groups) {
                for (String brand : g.brands()) {
                    for (Topic t : topics) {
                        if (t.groups().contains(BRAND) && out.size() < n) {
                            out.add(faq(t, Map.of("{b}", brand), similar));
                        }
                    }
                }
            }
            Set<String> products = new HashSet<>();
            while (out.size() < n) {
                Group g = groups[random.nextInt(groups.length)];
                String brand = g.brands()[random.nextInt(g.brands().length)];
                String type = g.types()[random.nextInt(g.types().length)];
                String model = (char) ('A' + random.nextInt(26)) + Integer.toString(2 + random.nextInt(98))
                        + suffixes[random.nextInt(suffixes.length)];
                String product = chinese ? brand + type + " " + model : brand + " " + model + " " + type;
                if (!products.add(product)) {
                    continue;
                }
                List<Topic> fitting = new ArrayList<>();
                for (Topic t : topics) {
                    if (t.groups().contains(ALL) || t.groups().contains(g.name())) {
                        fitting.add(t);
                    }
                }
                Collections.shuffle(fitting, random);
                for (Topic t : fitting) {
                    if (out.size() < n) {
                        out.add(faq(t, Map.of("{p}", product), similar));
                    }
                }
            }
            return out;
        }

        private Faq faq(Topic t, Map<String, String> values, int similar) {
            String[] filled = new String[t.templates().length];
            for (int i = 0; i < filled.length; i++) {
                filled[i] = fill(t.templates()[i], values);
            }
            List<String> sims = new ArrayList<>();
            for (int i = 1; i <= similar; i++) {
                // templates 1..3; beyond 3 similar questions, variants of them
                String s = i <= 3 ? filled[i] : filled[1 + (i - 1) % 3] + (Embedder.spaceOf(filled[0]) == Embedder.Space.ZH
                        ? "？".repeat((i - 1) / 3) : "?".repeat((i - 1) / 3));
                sims.add(s);
            }
            unseen.put(filled[0], filled[4]);
            return new Faq(filled[0], sims, fill(t.answer(), values));
        }

        private static String fill(String template, Map<String, String> values) {
            String out = template;
            for (Map.Entry<String, String> v : values.entrySet()) {
                out = out.replace(v.getKey(), v.getValue());
            }
            return out;
        }

        /** About half unseen paraphrases of indexed questions, half out-of-scope questions, shuffled. */
        List<Probe> queries(List<Faq> faqs, int count) {
            List<Probe> out = new ArrayList<>(count);
            int paraphrases = count / 2;
            List<Faq> shuffled = new ArrayList<>(faqs);
            Collections.shuffle(shuffled, random);
            for (int i = 0; i < paraphrases; i++) {
                Faq f = shuffled.get(i % shuffled.size());
                out.add(new Probe(unseen.get(f.standard()), f.standard()));
            }
            Set<String> seen = new HashSet<>();
            int outOfScope = count - paraphrases;
            int zhOut = (int) Math.round(outOfScope * ZH_SHARE);
            int attempts = 0;
            while (seen.size() < outOfScope && attempts++ < outOfScope * 200) {
                boolean chinese = seen.size() < zhOut;
                String q = chinese
                        ? fill(pick(ZH_OUT), Map.of("{c2}", pick(CITIES), "{c}", pick(CITIES), "{d}", pick(DISHES),
                        "{t}", pick(THINGS), "{s}", pick(SUBJECTS)))
                        : fill(pick(EN_OUT), Map.of("{c2}", pick(EN_CITIES), "{c}", pick(EN_CITIES), "{d}", pick(EN_DISHES),
                        "{t}", pick(EN_THINGS), "{s}", pick(EN_SUBJECTS)));
                if (seen.add(q)) {
                    out.add(new Probe(q, null));
                }
            }
            Collections.shuffle(out, random);
            return out;
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }
    }
}
