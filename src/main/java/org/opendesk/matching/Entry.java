package org.opendesk.matching;

import java.util.List;

/**
 * What one standard question contributes to an index: its id, its answer (returned with a
 * match) and every text that should match it (the standard question and its similar
 * questions), each with its embedding.
 */
public record Entry(String id, String standard, String answer, int answerType, List<Text> texts) {
    /** A text to match and its embedding in the space of its script. */
    public record Text(String text, Embedder.Space space, float[] vector) {
    }
}
