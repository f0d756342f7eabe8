package org.opendesk.matching;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.CharArraySet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The two lexical views of a text: {@link #WORDS} segments Chinese into words (smartcn's
 * HMM segmenter) and stems English (Porter); {@link #GRAMS} indexes CJK character bigrams
 * (robust where segmentation errs) and lower-cased Latin tokens. Both are thread-safe.
 */
final class TextAnalysis {
    static final String WORDS = "words";
    static final String GRAMS = "grams";
    static final Analyzer WORDS_ANALYZER = new SmartChineseAnalyzer();
    static final Analyzer GRAMS_ANALYZER = new CJKAnalyzer(CharArraySet.EMPTY_SET);

    private TextAnalysis() {
    }

    /** The terms of a text in both views, prefixed by view, for overlap measures. */
    static Set<String> terms(String text) {
        Set<String> out = new LinkedHashSet<>();
        collect(WORDS_ANALYZER, WORDS, text, "w:", out);
        collect(GRAMS_ANALYZER, GRAMS, text, "g:", out);
        return out;
    }

    /** The terms of one view, in order, without duplicates. */
    static Set<String> terms(Analyzer analyzer, String field, String text) {
        Set<String> out = new LinkedHashSet<>();
        collect(analyzer, field, text, "", out);
        return out;
    }

    private static void collect(Analyzer analyzer, String field, String text, String prefix, Set<String> out) {
        try (TokenStream ts = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(prefix + term);
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Dice coefficient of two term sets: 2|A∩B| / (|A|+|B|), in [0, 1]. */
    static double dice(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        int common = 0;
        for (String t : a) {
            if (b.contains(t)) {
                common++;
            }
        }
        return 2.0 * common / (a.size() + b.size());
    }
}
