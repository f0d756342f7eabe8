package org.opendesk.bench;

import org.opendesk.matching.Candidate;
import org.opendesk.matching.Embedder;
import org.opendesk.matching.Entry;
import org.opendesk.matching.MatchIndex;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Matching quality on public data we did not write: the SemEval STS 2012 and 2013 test
 * sentence pairs, rated 0 (unrelated) to 5 (equivalent) by people, as shipped in the Maven
 * artifact org.dkpro.similarity:dkpro-similarity-uima-data-asl:2.3.0.
 *
 * <p>Two measures. <b>Retrieval</b>: the second sentence of every pair of the news paraphrase
 * sets (MSRpar test and train, headlines) is a standard question of one knowledge base; the
 * first sentence of each pair rated 4 or more is an in-scope question whose right answers are
 * its partners rated 4 or more; the first sentences of the caption and dictionary sets (MSRvid,
 * OnWN, FNWN), another domain entirely, are out-of-scope questions that must not be answered
 * directly. Reported: top-1 and top-3 accuracy, and at the default direct-answer threshold
 * 0.8 the in-scope questions answered right and wrong and the out-of-scope ones answered.
 * <b>Calibration</b>: the similarity of each pair itself, by human rating: how many
 * equivalent pairs (4-5) reach 0.8, and how many unrelated ones (0-1) reach 0.8 or 0.6.
 *
 * <p>Both for the plain keyword baseline (BM25 ranking, lexical overlap as similarity) and
 * the hybrid matcher. The sentences are news and captions rather than customer questions,
 * and English only: no public Chinese question-matching set is available from the package
 * registries this project may use. Run: {@code bench/matching-quality.sh}.
 */
public final class MatchingQualityEval {
    /** Paraphrase sets (the SMT sets hold several machine translations of one sentence: calibration only). */
    private static final List<String> NEWS = List.of("semeval-2012/test/MSRpar", "semeval-2012/train/MSRpar",
            "sts-2013/test/headlines");
    private static final List<String> TRANSLATIONS = List.of("semeval-2012/test/SMTnews", "semeval-2012/test/SMTeuroparl",
            "sts-2013/test/SMT");
    private static final List<String> OTHER_DOMAIN = List.of("semeval-2012/test/MSRvid", "semeval-2012/test/OnWN",
            "sts-2013/test/OnWN", "sts-2013/test/FNWN");
    private static final double DIRECT = 0.8;
    private static final double CLARIFY = 0.6;

    private record Pair(String a, String b, double gold) {
    }

    private MatchingQualityEval() {
    }

    public static void main(String[] args) throws IOException {
        List<Pair> news = new ArrayList<>();
        for (String set : NEWS) {
            news.addAll(load(set));
        }
        List<Pair> other = new ArrayList<>();
        for (String set : OTHER_DOMAIN) {
            other.addAll(load(set));
        }
        Map<String, String> kb = new LinkedHashMap<>(); // text -> id
        for (Pair p : news) {
            kb.putIfAbsent(p.b(), "q" + kb.size());
        }
        Map<String, Set<String>> right = new LinkedHashMap<>(); // in-scope question -> ids of its equivalents
        for (Pair p : news) {
            if (p.gold() >= 4.0 && !p.a().equalsIgnoreCase(p.b())) {
                right.computeIfAbsent(p.a(), k -> new HashSet<>()).add(kb.get(p.b()));
                if (kb.containsKey(p.a())) {
                    right.get(p.a()).add(kb.get(p.a())); // the question itself is in the knowledge base too
                }
            }
        }
        List<String> in = new ArrayList<>(right.keySet());
        List<String> outTexts = other.stream().map(Pair::a).distinct().toList();
        System.out.printf(Locale.ROOT, "knowledge base: %d standard questions (news paraphrase sets); in-scope questions: %d"
                + " (rated >= 4); out-of-scope questions: %d (captions and dictionary glosses)%n",
                kb.size(), in.size(), outTexts.size());

        Embedder embedder = Embedder.shared();
        long t0 = System.nanoTime();
        List<String> texts = new ArrayList<>(kb.keySet());
        List<float[]> vectors = embedder.embedAll(texts);
        MatchIndex index = new MatchIndex();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            index.upsert(new Entry(kb.get(text), text, "", 0,
                    List.of(new Entry.Text(text, Embedder.spaceOf(text), vectors.get(i)))));
        }
        index.refresh();
        System.out.printf(Locale.ROOT, "indexed in %.1f s%n%n", (System.nanoTime() - t0) / 1e9);

        List<MatchIndex.Query> inQueries = in.stream().map(t -> MatchIndex.Query.of(t, embedder)).toList();
        List<MatchIndex.Query> outQueries = outTexts.stream().map(t -> MatchIndex.Query.of(t, embedder)).toList();
        List<Set<String>> expected = in.stream().map(right::get).toList();

        System.out.println("Retrieval");
        System.out.println("| matcher | top-1 | top-3 | in-scope answered directly, right | ... wrong |"
                + " out-of-scope answered directly |");
        System.out.println("|---|---|---|---|---|---|");
        report("keywords (BM25)", index::searchKeywords, inQueries, expected, outQueries);
        report("hybrid (BM25 + embeddings, calibrated)", index::search, inQueries, expected, outQueries);
        index.close();

        List<Pair> all = new ArrayList<>(news);
        for (String set : TRANSLATIONS) {
            all.addAll(load(set));
        }
        all.addAll(other);
        System.out.println();
        System.out.println("Calibration (each pair's own similarity, by human rating)");
        System.out.println("| matcher | equivalent (4-5) >= 0.8 | related (2-4) >= 0.8 | unrelated (0-1) >= 0.8 |"
                + " unrelated (0-1) > 0.6 |");
        System.out.println("|---|---|---|---|---|");
        calibration("keywords (lexical overlap)", all, embedder, true);
        calibration("hybrid (calibrated)", all, embedder, false);
    }

    /** Scores each pair by indexing its second sentence alone and asking its first. */
    private static void calibration(String name, List<Pair> pairs, Embedder embedder, boolean keywords) {
        int[] n = new int[3];
        int[] direct = new int[3];
        int clarifyUnrelated = 0;
        for (Pair p : pairs) {
            int band = p.gold() >= 4.0 ? 0 : p.gold() >= 2.0 ? 1 : p.gold() <= 1.0 ? 2 : -1;
            if (band < 0) {
                continue;
            }
            double s = pairSimilarity(p, embedder, keywords);
            n[band]++;
            direct[band] += s >= DIRECT ? 1 : 0;
            clarifyUnrelated += band == 2 && s > CLARIFY ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "| %s | %.1f%% (%d) | %.1f%% (%d) | %.1f%% (%d) | %.1f%% |%n", name,
                pct(direct[0], n[0]), n[0], pct(direct[1], n[1]), n[1], pct(direct[2], n[2]), n[2],
                pct(clarifyUnrelated, n[2]));
    }

    private static double pairSimilarity(Pair p, Embedder embedder, boolean keywords) {
        try (MatchIndex one = new MatchIndex()) {
            one.upsert(new Entry("b", p.b(), "", 0, List.of(new Entry.Text(p.b(), Embedder.spaceOf(p.b()),
                    embedder.embedAll(List.of(p.b())).get(0)))));
            one.refresh();
            MatchIndex.Query q = MatchIndex.Query.of(p.a(), embedder);
            List<Candidate> found = keywords ? one.searchKeywords(q, 1) : one.search(q, 1);
            return found.isEmpty() ? 0 : found.get(0).similarity();
        }
    }

    private static void report(String name, BiFunction<MatchIndex.Query, Integer, List<Candidate>> matcher,
                               List<MatchIndex.Query> in, List<Set<String>> expected, List<MatchIndex.Query> out) {
        int top1 = 0;
        int top3 = 0;
        int right = 0;
        int wrong = 0;
        for (int i = 0; i < in.size(); i++) {
            List<Candidate> found = matcher.apply(in.get(i), 3);
            for (int k = 0; k < found.size(); k++) {
                if (expected.get(i).contains(found.get(k).id())) {
                    top3++;
                    top1 += k == 0 ? 1 : 0;
                    break;
                }
            }
            if (!found.isEmpty() && found.get(0).similarity() >= DIRECT) {
                if (expected.get(i).contains(found.get(0).id())) {
                    right++;
                } else {
                    wrong++;
                }
            }
        }
        int outDirect = 0;
        for (MatchIndex.Query q : out) {
            List<Candidate> found = matcher.apply(q, 1);
            if (!found.isEmpty() && found.get(0).similarity() >= DIRECT) {
                outDirect++;
            }
        }
        System.out.printf(Locale.ROOT, "| %s | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%n", name,
                pct(top1, in.size()), pct(top3, in.size()), pct(right, in.size()), pct(wrong, in.size()),
                pct(outDirect, out.size()));
    }

    private static double pct(int n, int of) {
        return of == 0 ? 0 : 100.0 * n / of;
    }

    private static List<Pair> load(String set) throws IOException {
        String[] parts = set.split("/");
        String dir = parts[0] + "/" + parts[1];
        List<String> inputs = lines("datasets/" + dir + "/STS.input." + parts[2] + ".txt");
        List<String> gold = lines("goldstandards/" + dir + "/STS.gs." + parts[2] + ".txt");
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < Math.min(inputs.size(), gold.size()); i++) {
            String[] cols = inputs.get(i).split("\t");
            if (cols.length < 2 || gold.get(i).isBlank()) {
                continue;
            }
            out.add(new Pair(cols[cols.length - 2].strip(), cols[cols.length - 1].strip(), Double.parseDouble(gold.get(i).strip())));
        }
        return out;
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = MatchingQualityEval.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the classpath (test dependency dkpro-similarity-uima-data-asl)");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        }
    }
}
