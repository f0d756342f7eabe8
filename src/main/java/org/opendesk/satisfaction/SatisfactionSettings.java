package org.opendesk.satisfaction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.opendesk.json.Strict;

import java.util.List;
import java.util.Map;

/**
 * An app's satisfaction settings, as get_satisfaction_settings answers them: SatisfactionEnabled,
 * InvitationMethod (1 sent when the session ends, 2 a member invites, 3 both: sent at the end unless a
 * member invited), the SatisfactionContent (the card's texts and five labels, SubmissionValidityPeriod
 * in hours), its versions per language, and our extension UserRequestEnabled (the user may ask for
 * the card with src 24; bit 1 << 2 of src 23's menuSendRuleFlag).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SatisfactionSettings(@JsonProperty("SatisfactionEnabled") int enabled,
                                   @JsonProperty("InvitationMethod") int invitationMethod,
                                   @JsonProperty("SatisfactionContent") Content content,
                                   @JsonProperty("SatisfactionContentMultilingual") Map<String, Content> multilingual,
                                   @JsonProperty("UserRequestEnabled") int userRequestEnabled) {
    public static final int SENT_AT_END = 1;
    public static final int AGENT_INVITES = 2;
    public static final int USER_MAY_REQUEST = 4;

    /** The card's texts; in a language's version every field may be absent (the main content's is used). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Content(
            @JsonProperty("RatingInvitationMessage") @JsonDeserialize(using = Strict.Text.class) String ratingInvitationMessage,
            @JsonProperty("SubmissionMessage") @JsonDeserialize(using = Strict.Text.class) String submissionMessage,
            @JsonProperty("OneStarContent") @JsonDeserialize(using = Strict.Text.class) String oneStarContent,
            @JsonProperty("TwoStarContent") @JsonDeserialize(using = Strict.Text.class) String twoStarContent,
            @JsonProperty("ThreeStarContent") @JsonDeserialize(using = Strict.Text.class) String threeStarContent,
            @JsonProperty("FourStarContent") @JsonDeserialize(using = Strict.Text.class) String fourStarContent,
            @JsonProperty("FiveStarContent") @JsonDeserialize(using = Strict.Text.class) String fiveStarContent,
            @JsonProperty("SubmissionValidityPeriod") @JsonDeserialize(using = Strict.Int32.class) Integer submissionValidityPeriod) {

        /** The five labels, one star first. */
        public List<String> labels() {
            return java.util.Arrays.asList(oneStarContent, twoStarContent, threeStarContent, fourStarContent, fiveStarContent);
        }

        /** This version with the fields it lacks taken from {@code base}. */
        Content over(Content base) {
            return new Content(or(ratingInvitationMessage, base.ratingInvitationMessage),
                    or(submissionMessage, base.submissionMessage), or(oneStarContent, base.oneStarContent),
                    or(twoStarContent, base.twoStarContent), or(threeStarContent, base.threeStarContent),
                    or(fourStarContent, base.fourStarContent), or(fiveStarContent, base.fiveStarContent),
                    submissionValidityPeriod != null ? submissionValidityPeriod : base.submissionValidityPeriod);
        }

        private static String or(String a, String b) {
            return a != null && !a.isEmpty() ? a : b;
        }
    }

    /**
     * The settings of an app that never set them: the seed's example (on, both invitation methods,
     * its Chinese texts, valid 12 hours) with an English version; the user may not ask for the card.
     */
    static SatisfactionSettings defaults() {
        Content zh = new Content("感谢您使用我们的服务，请对此次服务进行评价。", "感谢您对此次服务作出评价，祝您生活愉快，再见。",
                "非常不满意", "不满意", "一般", "满意", "非常满意", 12);
        Content en = new Content("Thank you for contacting us. Please rate this service.",
                "Thank you for your feedback. Have a nice day!", "Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied",
                "Very satisfied", 12);
        return new SatisfactionSettings(1, 3, zh, Map.of("en", en), 0);
    }

    /** src 23's menuSendRuleFlag: 0 when off, else bit 1 sent at the end, bit 2 a member invites, bit 4 the user asks. */
    public int ruleFlags() {
        if (enabled != 1) {
            return 0;
        }
        return (invitationMethod & (SENT_AT_END | AGENT_INVITES)) | (userRequestEnabled == 1 ? USER_MAY_REQUEST : 0);
    }

    boolean sentAtEnd() {
        return enabled == 1 && (invitationMethod & SENT_AT_END) != 0;
    }

    boolean agentMayInvite() {
        return enabled == 1 && (invitationMethod & AGENT_INVITES) != 0;
    }

    boolean userMayRequest() {
        return enabled == 1 && userRequestEnabled == 1;
    }

    /** The content in a language (its version over the main content), else the main content. */
    Content in(String languageTag) {
        Content version = multilingual == null || languageTag == null ? null : multilingual.get(languageTag);
        return version == null ? content : version.over(content);
    }
}
