package org.opendesk.matching;

/**
 * Turns the raw signals of a (question, candidate) pair into one similarity in [0, 1] that
 * means the same across models and languages, so that the robot's thresholds
 * (DirectAnsweringReaches 0.8, ClarifyReaches 0.6, ...) act alike on every question.
 *
 * <p>The semantic signal is the cosine of the two sentence embeddings, rescaled per model:
 * each model has its own floor (about the cosine unrelated customer-service questions reach:
 * 0.40 for bge-small-zh, 0.50 for bge-small-en) and its own ceiling (the cosine from which two
 * questions are paraphrases beyond doubt: 0.83 and 0.90), mapped to 0 and 0.95; between the
 * ceiling and an identical sentence the similarity rises from 0.95 to 1, so that a threshold
 * of 1 means "the same question" and nothing else. Measured: Chinese paraphrases
 * without shared words land at cosine 0.72-0.80 (similarity 0.7-0.9), unrelated questions at
 * 0.33-0.51 (0-0.25); English paraphrases at 0.81-0.92, unrelated at 0.47-0.51. The lexical signal (Dice overlap of words and
 * character bigrams) then pulls the similarity towards 1 in proportion to the overlap, but
 * can never by itself carry a pair to a direct answer: only meaning does.
 */
public final class Calibration {
    private static final double ZH_FLOOR = 0.40;
    private static final double ZH_CEILING = 0.83;
    private static final double EN_FLOOR = 0.50;
    private static final double EN_CEILING = 0.90;
    /** The semantic similarity at the ceiling; only the same sentence goes beyond, up to 1. */
    private static final double KNEE = 0.95;
    /** How far full lexical overlap closes the gap to 1. */
    private static final double LEXICAL_WEIGHT = 0.25;

    private Calibration() {
    }

    /**
     * @param cosine cosine of the embeddings, or NaN when the two texts are in different spaces
     * @param lexical Dice overlap in [0, 1]
     */
    public static double similarity(Embedder.Space space, double cosine, double lexical) {
        double semantic;
        if (Double.isNaN(cosine)) {
            semantic = 0.5 * lexical; // no common vector space: words alone, never enough to answer directly
        } else {
            double floor = space == Embedder.Space.ZH ? ZH_FLOOR : EN_FLOOR;
            double ceiling = space == Embedder.Space.ZH ? ZH_CEILING : EN_CEILING;
            semantic = cosine < ceiling ? KNEE * clamp((cosine - floor) / (ceiling - floor))
                    : KNEE + (1 - KNEE) * clamp((cosine - ceiling) / (1 - ceiling));
        }
        double combined = 1 - (1 - semantic) * (1 - LEXICAL_WEIGHT * lexical);
        return round(clamp(combined));
    }

    /** The form in which two texts count as the same question: case, spaces and punctuation aside. */
    public static String canonical(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(Character::isLetterOrDigit).map(Character::toLowerCase).forEach(out::appendCodePoint);
        return out.toString();
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : Math.min(1, v);
    }

    /** Four decimals: stable across platforms for display and threshold comparisons. */
    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
