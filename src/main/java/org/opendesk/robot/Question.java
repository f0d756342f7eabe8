package org.opendesk.robot;

import java.util.ArrayList;
import java.util.List;

/**
 * A standard question (标准问题) of a robot's FAQ or chitchat library, with its answer and
 * similar questions. {@code status}: {@value #LIVE} live, {@value #DISABLED} disabled,
 * {@value #DELETED} deleted; {@code questionType} 1 for the system preset library.
 */
public record Question(String questionId, String robotId, Library library, String languageTag, long categoryId,
                       String question, String answer, int answerType, int questionType, int status,
                       List<String> similar) {
    public static final int LIVE = 4;
    public static final int DISABLED = 5;
    public static final int DELETED = 6;
    public static final int TEXT = 0;
    public static final int RICH_TEXT = 2;
    public static final int ORDINARY = 0;
    public static final int PRESET = 1;

    /** Every text that matches this question: the standard question, then its similar questions. */
    public List<String> texts() {
        return texts(question, similar);
    }

    static List<String> texts(String question, List<String> similar) {
        List<String> texts = new ArrayList<>(similar.size() + 1);
        texts.add(question);
        texts.addAll(similar);
        return texts;
    }

    public Question withSimilar(List<String> similarQuestions) {
        return new Question(questionId, robotId, library, languageTag, categoryId, question, answer, answerType,
                questionType, status, List.copyOf(similarQuestions));
    }
}
