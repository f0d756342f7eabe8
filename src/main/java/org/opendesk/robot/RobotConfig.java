package org.opendesk.robot;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The basic configuration (基础配置) of a robot in one language: the welcome card, the
 * to-human intent switch, the Q&A strategy thresholds, the clarify prompt and the fallback
 * message. Thresholds are similarities in [0, 1]. Stored as this JSON in robot_config.
 */
public record RobotConfig(@JsonProperty("WelcomeCardEnable") int welcomeCardEnable,
                          @JsonProperty("WelcomeCardTitle") String welcomeCardTitle,
                          @JsonProperty("WelcomeCardQuestions") List<String> welcomeCardQuestions,
                          @JsonProperty("ToAgentEnable") int toAgentEnable,
                          @JsonProperty("DirectAnsweringReaches") BigDecimal directAnsweringReaches,
                          @JsonProperty("ChitchatEnable") int chitchatEnable,
                          @JsonProperty("ChitchatReaches") BigDecimal chitchatReaches,
                          @JsonProperty("ClarifyEnable") int clarifyEnable,
                          @JsonProperty("ClarifyReaches") BigDecimal clarifyReaches,
                          @JsonProperty("ClarifyMessage") String clarifyMessage,
                          @JsonProperty("ClarifyNumber") int clarifyNumber,
                          @JsonProperty("FallbackMsg") String fallbackMsg) {
    public static final int MAX_WELCOME_QUESTIONS = 20;
    public static final int MIN_CLARIFY_NUMBER = 1;
    public static final int MAX_CLARIFY_NUMBER = 10;

    private record Texts(String welcomeTitle, String clarify, String fallback) {
    }

    /** The seed's example prompts (desc_robot_config), translated for every supported language. */
    private static final Map<String, Texts> TEXTS = Map.of(
            "", new Texts("猜你想问", "您可能想问:", "抱歉, 我还没有学会这个问题, 请换种问法或尝试询问我其他问题。"),
            "zh", new Texts("猜你想问", "您可能想问:", "抱歉, 我还没有学会这个问题, 请换种问法或尝试询问我其他问题。"),
            "zh-TW", new Texts("猜你想問", "您可能想問:", "抱歉, 我還沒有學會這個問題, 請換種問法或嘗試詢問我其他問題。"),
            "en", new Texts("You may want to ask", "You may want to ask:",
                    "Sorry, I haven't learned this question yet. Please rephrase it or ask me something else."),
            "ja", new Texts("よくある質問", "お探しの質問はこちらですか:",
                    "申し訳ありません、この質問はまだ学習していません。言い方を変えるか、別の質問をお試しください。"),
            "id", new Texts("Mungkin Anda ingin bertanya", "Mungkin maksud Anda:",
                    "Maaf, saya belum mempelajari pertanyaan ini. Silakan ulangi dengan kata lain atau tanyakan hal lain."),
            "vi", new Texts("Có thể bạn muốn hỏi", "Có phải bạn muốn hỏi:",
                    "Xin lỗi, tôi chưa học được câu hỏi này. Vui lòng hỏi theo cách khác hoặc hỏi câu khác."),
            "fil", new Texts("Baka gusto mong itanong", "Baka ang ibig mong itanong ay:",
                    "Paumanhin, hindi ko pa natututunan ang tanong na ito. Pakisubukang itanong sa ibang paraan o magtanong ng iba."));

    /**
     * The configuration a robot starts with in a language: the seed's example values
     * (desc_robot_config): welcome card on with title 猜你想问 and no questions yet, to-human
     * intent on, direct answer at 0.8, chitchat off at 0.8, clarify off at 0.6 with 5 questions.
     */
    public static RobotConfig defaults(String languageTag) {
        Texts t = TEXTS.getOrDefault(languageTag, TEXTS.get(""));
        return new RobotConfig(1, t.welcomeTitle(), List.of(), 1, new BigDecimal("0.8"), 0, new BigDecimal("0.8"),
                0, new BigDecimal("0.6"), t.clarify(), 5, t.fallback());
    }
}
