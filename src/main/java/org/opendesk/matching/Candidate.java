package org.opendesk.matching;

/**
 * A standard question that matched, with the calibrated similarity of its best text
 * ({@code matchedText}, the standard question itself or one of its similar questions).
 */
public record Candidate(String id, String standard, String answer, int answerType, String matchedText,
                        double similarity) {
}
