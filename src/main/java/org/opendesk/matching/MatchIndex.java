package org.opendesk.matching;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One in-memory Lucene index of standard questions (one document per text: the standard
 * question and each similar question), searched lexically (BM25 over words and bigrams)
 * and by meaning (HNSW over the embeddings). One IndexWriter and one SearcherManager;
 * writers and searchers may run concurrently. Changes are visible after {@link #refresh()}.
 *
 * <p>A hit is resolved to its entry and text through doc values (the entry id and the
 * text's position) and an in-memory map of the entries with their analysed texts, so that
 * rescoring reads no stored fields and analyses nothing but the question.
 */
public final class MatchIndex implements Closeable {
    /** Candidates taken from each retriever before rescoring. */
    static final int RETRIEVE = 24;
    private static final String ID = "id";
    private static final String ID_DV = "id_dv";
    private static final String ORD = "ord";
    private static final String GENERATION = "gen";

    /**
     * An entry with the terms of each of its texts, analysed once when it is added, and its
     * generation: documents of an earlier version of the entry (still visible until the next
     * refresh) carry an older one and are ignored.
     */
    private record Indexed(Entry entry, List<Set<String>> terms, long generation) {
    }

    /** A document resolved to its entry, text and (when known) cosine with the question. */
    private record Hit(Indexed indexed, int ord, double cosine) {
    }

    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<String, Indexed> entries = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong();
    private volatile ResultCache results = new ResultCache(null);

    public MatchIndex() {
        Analyzer analyzer = new PerFieldAnalyzerWrapper(TextAnalysis.WORDS_ANALYZER,
                Map.of(TextAnalysis.GRAMS, TextAnalysis.GRAMS_ANALYZER));
        try {
            // a large buffer keeps a rebuilt index in one segment (one HNSW graph to search); it is only
            // filled while indexing and released when flushed
            IndexWriterConfig config = new IndexWriterConfig(analyzer).setRAMBufferSizeMB(256);
            this.writer = new IndexWriter(directory, config);
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String vectorField(Embedder.Space space) {
        return "vec_" + space.name().toLowerCase(Locale.ROOT);
    }

    /** Adds or replaces an entry (all its texts). */
    public void upsert(Entry entry) {
        long generation = generations.incrementAndGet();
        List<Document> docs = new ArrayList<>();
        List<Set<String>> terms = new ArrayList<>();
        for (int i = 0; i < entry.texts().size(); i++) {
            Entry.Text t = entry.texts().get(i);
            Document doc = new Document();
            doc.add(new StringField(ID, entry.id(), Field.Store.NO));
            doc.add(new SortedDocValuesField(ID_DV, new BytesRef(entry.id())));
            doc.add(new NumericDocValuesField(ORD, i));
            doc.add(new NumericDocValuesField(GENERATION, generation));
            doc.add(new TextField(TextAnalysis.WORDS, t.text(), Field.Store.NO));
            doc.add(new TextField(TextAnalysis.GRAMS, t.text(), Field.Store.NO));
            doc.add(new KnnFloatVectorField(vectorField(t.space()), t.vector(), VectorSimilarityFunction.DOT_PRODUCT));
            docs.add(doc);
            terms.add(Set.copyOf(TextAnalysis.terms(t.text())));
        }
        try {
            entries.put(entry.id(), new Indexed(entry, List.copyOf(terms), generation));
            results = new ResultCache(null); // cached results may name the entry's old version
            writer.updateDocuments(new Term(ID, entry.id()), docs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(String id) {
        try {
            writer.deleteDocuments(new Term(ID, id));
            entries.remove(id);
            results = new ResultCache(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the changes so far visible to searches. */
    public void refresh() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int size() {
        return entries.size();
    }

    /**
     * Standard questions that contain what the user has typed so far (case-insensitive):
     * prefix matches first, then the earliest and shortest; at most {@code limit}.
     */
    public List<Suggestion> suggest(String typed, int limit) {
        String needle = typed.strip().toLowerCase(Locale.ROOT);
        if (needle.isEmpty()) {
            return List.of();
        }
        record Found(Suggestion suggestion, int at) {
        }
        List<Found> found = new ArrayList<>();
        for (Indexed indexed : entries.values()) {
            Entry e = indexed.entry();
            String text = e.standard();
            String lower = text.toLowerCase(Locale.ROOT);
            int at = lower.indexOf(needle);
            if (at >= 0) {
                // positions in the lower-cased text are the original's unless case folding changed the length
                boolean aligned = lower.length() == text.length();
                found.add(new Found(new Suggestion(e.id(), text, aligned ? at : 0, aligned ? at + needle.length() : 0), at));
            }
        }
        found.sort(Comparator.comparingInt((Found f) -> f.at() == 0 ? 0 : 1)
                .thenComparingInt(Found::at)
                .thenComparingInt(f -> f.suggestion().text().length())
                .thenComparing(f -> f.suggestion().text()));
        return found.stream().limit(limit).map(Found::suggestion).toList();
    }

    /**
     * The best {@code topN} entries for a question, each with the calibrated similarity of its
     * best-matching text, most similar first.
     */
    public List<Candidate> search(Query query, int topN) {
        return withSearcher(searcher -> {
            ResultCache cache = results;
            if (cache.reader != searcher.getIndexReader()) {
                cache = new ResultCache(searcher.getIndexReader());
                results = cache;
            }
            String key = topN + "\n" + query.text();
            List<Candidate> known = cache.get(key);
            if (known != null) {
                return known;
            }
            List<Candidate> found = searchNow(searcher, query, topN);
            cache.put(key, found);
            return found;
        });
    }

    /**
     * Results of the current reader (Elasticsearch's request cache, in small): users ask the same
     * questions again and again; a change to the index or a refresh starts a new cache.
     */
    private static final class ResultCache {
        static final int MAX = 5_000;
        final IndexReader reader;
        private final Map<String, List<Candidate>> byQuestion = new java.util.LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Candidate>> eldest) {
                return size() > MAX;
            }
        };

        ResultCache(IndexReader reader) {
            this.reader = reader;
        }

        synchronized List<Candidate> get(String key) {
            return byQuestion.get(key);
        }

        synchronized void put(String key, List<Candidate> found) {
            byQuestion.put(key, found);
        }
    }

    private List<Candidate> searchNow(IndexSearcher searcher, Query query, int topN) throws IOException {
        Map<Integer, Double> cosines = new TreeMap<>();
        if (query.vector() != null) {
            KnnFloatVectorQuery knn = new KnnFloatVectorQuery(vectorField(query.space()), query.vector(), RETRIEVE);
            for (ScoreDoc sd : searcher.search(knn, RETRIEVE).scoreDocs) {
                cosines.put(sd.doc, 2.0 * sd.score - 1.0); // DOT_PRODUCT scores are (1 + dot) / 2
            }
        }
        BooleanQuery lexical = lexical(query);
        if (!lexical.clauses().isEmpty()) {
            for (ScoreDoc sd : searcher.search(lexical, RETRIEVE).scoreDocs) {
                cosines.putIfAbsent(sd.doc, Double.NaN);
            }
        }
        Map<String, Candidate> best = new HashMap<>();
        for (Hit hit : resolve(searcher, cosines, query).values()) {
            Entry.Text text = hit.indexed().entry().texts().get(hit.ord());
            double cosine = text.space() == query.space() ? hit.cosine() : Double.NaN;
            double lexical1 = TextAnalysis.dice(query.terms(), hit.indexed().terms().get(hit.ord()));
            double similarity = !query.canonical().isEmpty() && query.canonical().equals(Calibration.canonical(text.text()))
                    ? 1.0 : Calibration.similarity(query.space(), cosine, lexical1);
            Candidate c = candidate(hit.indexed().entry(), text.text(), similarity);
            best.merge(c.id(), c, (a, b) -> a.similarity() >= b.similarity() ? a : b);
        }
        return best.values().stream()
                .sorted(Comparator.comparingDouble(Candidate::similarity).reversed().thenComparing(Candidate::id))
                .limit(topN)
                .toList();
    }

    /**
     * The keyword baseline, for evaluation: entries ranked by BM25 alone, each with the
     * lexical (Dice) overlap of its best text as its similarity.
     */
    public List<Candidate> searchKeywords(Query query, int topN) {
        return withSearcher(searcher -> {
            BooleanQuery lexical = lexical(query);
            if (lexical.clauses().isEmpty()) {
                return List.of();
            }
            ScoreDoc[] ranked = searcher.search(lexical, RETRIEVE).scoreDocs;
            Map<Integer, Double> docs = new TreeMap<>();
            for (ScoreDoc sd : ranked) {
                docs.put(sd.doc, Double.NaN);
            }
            Map<Integer, Hit> hits = resolve(searcher, docs, query);
            Map<String, Candidate> best = new LinkedHashMap<>();
            for (ScoreDoc sd : ranked) {
                Hit hit = hits.get(sd.doc);
                if (hit != null && !best.containsKey(hit.indexed().entry().id())) {
                    String text = hit.indexed().entry().texts().get(hit.ord()).text();
                    double dice = TextAnalysis.dice(query.terms(), hit.indexed().terms().get(hit.ord()));
                    best.put(hit.indexed().entry().id(), candidate(hit.indexed().entry(), text, dice));
                }
            }
            return best.values().stream().limit(topN).toList();
        });
    }

    private static Candidate candidate(Entry entry, String text, double similarity) {
        return new Candidate(entry.id(), entry.standard(), entry.answer(), entry.answerType(), text, similarity);
    }

    /**
     * Resolves documents (a sorted map: doc values iterate forwards) to their entries and
     * texts, computing the cosine of those the vector search did not return. A document of an
     * entry deleted since the searcher opened is left out.
     */
    private Map<Integer, Hit> resolve(IndexSearcher searcher, Map<Integer, Double> docs, Query query) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        Map<Integer, Hit> out = new HashMap<>();
        int leafIndex = -1;
        SortedDocValues ids = null;
        NumericDocValues ords = null;
        NumericDocValues gens = null;
        LeafReaderContext leaf = null;
        for (Map.Entry<Integer, Double> d : docs.entrySet()) {
            int doc = d.getKey();
            int li = ReaderUtil.subIndex(doc, leaves);
            if (li != leafIndex) {
                leafIndex = li;
                leaf = leaves.get(li);
                LeafReader reader = leaf.reader();
                ids = reader.getSortedDocValues(ID_DV);
                ords = reader.getNumericDocValues(ORD);
                gens = reader.getNumericDocValues(GENERATION);
            }
            int local = doc - leaf.docBase;
            if (ids == null || ords == null || gens == null || !ids.advanceExact(local) || !ords.advanceExact(local)
                    || !gens.advanceExact(local)) {
                continue;
            }
            Indexed indexed = entries.get(ids.lookupOrd(ids.ordValue()).utf8ToString());
            if (indexed == null || indexed.generation() != gens.longValue()) {
                continue; // deleted or replaced since the searcher opened: its new documents show after the refresh
            }
            int ord = (int) ords.longValue();
            double cosine = d.getValue();
            Entry.Text text = indexed.entry().texts().get(ord);
            if (Double.isNaN(cosine) && query.vector() != null && text.space() == query.space()) {
                cosine = Embedder.cosine(text.vector(), query.vector()); // the entry keeps its vectors: no index read
            }
            out.put(doc, new Hit(indexed, ord, cosine));
        }
        return out;
    }

    private static BooleanQuery lexical(Query query) {
        BooleanQuery.Builder lexical = new BooleanQuery.Builder();
        query.words().forEach(t -> lexical.add(new TermQuery(new Term(TextAnalysis.WORDS, t)), BooleanClause.Occur.SHOULD));
        query.grams().forEach(t -> lexical.add(new TermQuery(new Term(TextAnalysis.GRAMS, t)), BooleanClause.Occur.SHOULD));
        return lexical.build();
    }

    private interface SearchWork<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(SearchWork<T> work) {
        IndexSearcher searcher;
        try {
            searcher = searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return work.run(searcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                searchers.release(searcher);
            } catch (IOException ignored) {
                // releasing a searcher of an in-memory index does not fail in practice
            }
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An analysed question: its text, terms in both views, and its embedding. */
    public record Query(String text, String canonical, Set<String> words, Set<String> grams, Set<String> terms,
                        Embedder.Space space, float[] vector) {
        public static Query of(String text, Embedder embedder) {
            String clean = text.strip();
            Embedder.Space space = Embedder.spaceOf(clean);
            return new Query(clean, Calibration.canonical(clean), TextAnalysis.terms(TextAnalysis.WORDS_ANALYZER,
                    TextAnalysis.WORDS, clean), TextAnalysis.terms(TextAnalysis.GRAMS_ANALYZER, TextAnalysis.GRAMS, clean),
                    TextAnalysis.terms(clean), space, embedder.embed(space, clean));
        }
    }
}
