package org.opendesk.matching;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * One in-memory Lucene index of standard questions (one document per text: the standard
 * question and each similar question), searched lexically (BM25 over words and bigrams)
 * and by meaning (HNSW over the embeddings). One IndexWriter and one SearcherManager;
 * writers and searchers may run concurrently. Changes are visible after {@link #refresh()}.
 */
public final class MatchIndex implements Closeable {
    /** Candidates taken from each retriever before rescoring. */
    static final int RETRIEVE = 40;
    private static final String ID = "id";
    private static final String TEXT = "text";
    private static final String SPACE = "space";

    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public MatchIndex() {
        Analyzer analyzer = new PerFieldAnalyzerWrapper(TextAnalysis.WORDS_ANALYZER,
                Map.of(TextAnalysis.GRAMS, TextAnalysis.GRAMS_ANALYZER));
        try {
            IndexWriterConfig config = new IndexWriterConfig(analyzer).setRAMBufferSizeMB(32);
            this.writer = new IndexWriter(directory, config);
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String vectorField(Embedder.Space space) {
        return "vec_" + space.name().toLowerCase();
    }

    /** Adds or replaces an entry (all its texts). */
    public void upsert(Entry entry) {
        List<Document> docs = new ArrayList<>();
        for (Entry.Text t : entry.texts()) {
            Document doc = new Document();
            doc.add(new StringField(ID, entry.id(), Field.Store.YES));
            doc.add(new StoredField(TEXT, t.text()));
            doc.add(new StoredField(SPACE, t.space().name()));
            doc.add(new TextField(TextAnalysis.WORDS, t.text(), Field.Store.NO));
            doc.add(new TextField(TextAnalysis.GRAMS, t.text(), Field.Store.NO));
            doc.add(new KnnFloatVectorField(vectorField(t.space()), t.vector(), VectorSimilarityFunction.DOT_PRODUCT));
            docs.add(doc);
        }
        try {
            entries.put(entry.id(), entry);
            writer.updateDocuments(new Term(ID, entry.id()), docs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(String id) {
        try {
            writer.deleteDocuments(new Term(ID, id));
            entries.remove(id);
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
        for (Entry e : entries.values()) {
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
            Map<Integer, Double> cosines = new HashMap<>();
            if (query.vector() != null) {
                KnnFloatVectorQuery knn = new KnnFloatVectorQuery(vectorField(query.space()), query.vector(), RETRIEVE);
                for (ScoreDoc sd : searcher.search(knn, RETRIEVE).scoreDocs) {
                    cosines.put(sd.doc, 2.0 * sd.score - 1.0); // DOT_PRODUCT scores are (1 + dot) / 2
                }
            }
            BooleanQuery lexical = lexical(query);
            if (!lexical.clauses().isEmpty() && lexical.clauses().size() <= IndexSearcher.getMaxClauseCount()) {
                for (ScoreDoc sd : searcher.search(lexical, RETRIEVE).scoreDocs) {
                    cosines.putIfAbsent(sd.doc, Double.NaN);
                }
            }
            return rescore(searcher, query, cosines, topN);
        });
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

    /**
     * The keyword baseline, for evaluation: entries ranked by BM25 alone, each with the
     * lexical (Dice) overlap of its best text as its similarity.
     */
    public List<Candidate> searchKeywords(Query query, int topN) {
        return withSearcher(searcher -> {
            Map<String, Candidate> best = new LinkedHashMap<>();
            StoredFields stored = searcher.storedFields();
            BooleanQuery lexical = lexical(query);
            if (lexical.clauses().isEmpty()) {
                return List.of();
            }
            for (ScoreDoc sd : searcher.search(lexical, RETRIEVE).scoreDocs) {
                Document d = stored.document(sd.doc, Set.of(ID, TEXT));
                Entry entry = entries.get(d.get(ID));
                if (entry != null && !best.containsKey(entry.id())) {
                    double dice = TextAnalysis.dice(query.terms(), TextAnalysis.terms(d.get(TEXT)));
                    best.put(entry.id(), new Candidate(entry.id(), entry.standard(), entry.answer(), entry.answerType(),
                            d.get(TEXT), dice));
                }
            }
            return best.values().stream().limit(topN).toList();
        });
    }

    private List<Candidate> rescore(IndexSearcher searcher, Query query, Map<Integer, Double> cosines, int topN)
            throws IOException {
        StoredFields stored = searcher.storedFields();
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        Map<String, Candidate> best = new HashMap<>();
        for (Map.Entry<Integer, Double> hit : cosines.entrySet()) {
            int doc = hit.getKey();
            Document d = stored.document(doc, Set.of(ID, TEXT, SPACE));
            Entry entry = entries.get(d.get(ID));
            if (entry == null) {
                continue; // deleted since the searcher opened
            }
            String text = d.get(TEXT);
            Embedder.Space space = Embedder.Space.valueOf(d.get(SPACE));
            double cosine = hit.getValue();
            if (Double.isNaN(cosine) && space == query.space() && query.vector() != null) {
                cosine = vectorCosine(leaves, doc, vectorField(space), query.vector());
            } else if (space != query.space()) {
                cosine = Double.NaN;
            }
            double lexical = TextAnalysis.dice(query.terms(), TextAnalysis.terms(text));
            double similarity = query.canonical().equals(Calibration.canonical(text)) ? 1.0
                    : Calibration.similarity(query.space(), cosine, lexical);
            Candidate c = new Candidate(entry.id(), entry.standard(), entry.answer(), entry.answerType(), text, similarity);
            best.merge(entry.id(), c, (a, b) -> a.similarity() >= b.similarity() ? a : b);
        }
        return best.values().stream()
                .sorted(Comparator.comparingDouble(Candidate::similarity).reversed().thenComparing(Candidate::id))
                .limit(topN)
                .toList();
    }

    private static double vectorCosine(List<LeafReaderContext> leaves, int doc, String field, float[] query)
            throws IOException {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
        if (values == null) {
            return Double.NaN;
        }
        KnnVectorValues.DocIndexIterator it = values.iterator();
        if (it.advance(doc - leaf.docBase) != doc - leaf.docBase) {
            return Double.NaN;
        }
        return Embedder.cosine(values.vectorValue(it.index()), query);
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
            return new Query(clean, Calibration.canonical(clean), TextAnalysis.terms(TextAnalysis.WORDS_ANALYZER, TextAnalysis.WORDS, clean),
                    TextAnalysis.terms(TextAnalysis.GRAMS_ANALYZER, TextAnalysis.GRAMS, clean), TextAnalysis.terms(clean),
                    space, embedder.embed(space, clean));
        }
    }
}
