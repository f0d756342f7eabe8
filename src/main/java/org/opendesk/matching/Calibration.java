package org.opendesk.matching;

/**
 * Turns the raw signals of a (question, candidate) pair into one similarity in [0, 1] that
 * means the same across models and languages, so that the robot's thresholds
 * (DirectAnsweringReaches 0.8, ClarifyReaches 0.6, ...) act alike on every question.
 *
 * <p>The semantic signal is the cosine of the two sentence embeddings, rescaled per model:
 * each model has its own floor (about the cosine unrelated customer-service questions reach:
 * 0.40 for bge-small-zh, 0.50 for bge-small-en) and its own ceiling (the cosine from which two
 * questions are paraphrases beyond doubt: 0.85 and 0.92). Measured: Chinese paraphrases
 * without shared words land at cosine 0.72-0.80 (similarity 0.7-0.9), unrelated questions at
 * 0.33-0.51 (0-0.25); English paraphrases at 0.81-0.92, unrelated at 0.47-0.51. The lexical signal (Dice overlap of words and
 * character bigrams) then pulls the similarity towards 1 in proportion to the overlap, but
 * can never by itself carry a pair to a direct answer: only meaning does.
 */
public final class Calibration {
    private static final double ZH_FLOOR = 0.40;
    private static final double ZH_CEILING = 0.85;
    private static final double EN_FLOOR = 0.50;
    private static final double EN_CEILING = 0.92;
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
            semantic = clamp((cosine - floor) / (ceiling - floor));
        }
        double combined = 1 - (1 - semantic) * (1 - LEXICAL_WEIGHT * lexical);
        return round(clamp(combined));
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : Math.min(1, v);
    }

    /** Four decimals: stable across platforms for display and threshold comparisons. */
    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
