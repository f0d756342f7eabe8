package org.opendesk.satisfaction;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.json.Strict;
import org.opendesk.rest.CommandHandler;
import org.opendesk.robot.Languages;

import java.util.Map;
import java.util.TreeMap;

/**
 * get_satisfaction_settings and update_satisfaction_settings of desk_http_svc, with the seed's
 * fields (answered in {@code Data}, as the seed's example shows) and our UserRequestEnabled.
 */
public final class SatisfactionCommands {
    public static final int MAX_TEXT_CHARS = 500;
    public static final int MAX_VALIDITY_HOURS = 720;

    private final SatisfactionService satisfaction;

    public SatisfactionCommands(SatisfactionService satisfaction) {
        this.satisfaction = satisfaction;
    }

    public record EmptyReq() {
    }

    public record DataResp(@JsonProperty("Data") SatisfactionSettings data) {
    }

    /** Every field optional: the fields present replace the stored ones (SatisfactionContent and its map as a whole). */
    public record UpdateReq(@JsonProperty("SatisfactionEnabled") @JsonDeserialize(using = Strict.Int32.class) Integer enabled,
                            @JsonProperty("InvitationMethod") @JsonDeserialize(using = Strict.Int32.class)
                            Integer invitationMethod,
                            @JsonProperty("SatisfactionContent") SatisfactionSettings.Content content,
                            @JsonProperty("SatisfactionContentMultilingual")
                            Map<String, SatisfactionSettings.Content> multilingual,
                            @JsonProperty("UserRequestEnabled") @JsonDeserialize(using = Strict.Int32.class)
                            Integer userRequestEnabled) {
    }

    public record Done() {
    }

    public CommandHandler<EmptyReq> get() {
        return call -> new DataResp(satisfaction.settings(call.tenant()));
    }

    public CommandHandler<UpdateReq> update() {
        return call -> {
            UpdateReq r = call.body();
            SatisfactionSettings cur = satisfaction.settings(call.tenant());
            int enabled = choice("SatisfactionEnabled", r.enabled(), cur.enabled(), 0, 1);
            int method = choice("InvitationMethod", r.invitationMethod(), cur.invitationMethod(), 1, 3);
            int user = choice("UserRequestEnabled", r.userRequestEnabled(), cur.userRequestEnabled(), 0, 1);
            SatisfactionSettings.Content content = r.content() == null ? cur.content()
                    : content("SatisfactionContent", r.content(), cur.content(), true);
            Map<String, SatisfactionSettings.Content> multilingual = cur.multilingual();
            if (r.multilingual() != null) {
                multilingual = new TreeMap<>();
                for (Map.Entry<String, SatisfactionSettings.Content> e : r.multilingual().entrySet()) {
                    if (!Languages.supported(e.getKey())) {
                        throw invalid("SatisfactionContentMultilingual: \"" + e.getKey() + "\" is not a language tag; use "
                                + String.join(", ", Languages.SUPPORTED));
                    }
                    if (e.getValue() == null) {
                        throw invalid("SatisfactionContentMultilingual." + e.getKey() + " must be an object like"
                                + " SatisfactionContent");
                    }
                    multilingual.put(e.getKey(), content("SatisfactionContentMultilingual." + e.getKey(), e.getValue(), null,
                            false));
                }
            }
            satisfaction.update(call.tenant(), new SatisfactionSettings(enabled, method, content, multilingual, user));
            return new Done();
        };
    }

    private static int choice(String field, Integer value, int current, int min, int max) {
        if (value == null) {
            return current;
        }
        if (value < min || value > max) {
            throw invalid(field + " must be " + (max - min == 1 ? min + " or " + max : min + "-" + max) + ", got " + value);
        }
        return value;
    }

    /**
     * A content object. The main one ({@code required}) needs SubmissionMessage, the five labels and
     * SubmissionValidityPeriod (the seed marks them 必填), RatingInvitationMessage kept when absent; a
     * language's version may leave any field out (the main content's is used).
     */
    private static SatisfactionSettings.Content content(String where, SatisfactionSettings.Content c,
                                                        SatisfactionSettings.Content current, boolean required) {
        String invitation = text(where + ".RatingInvitationMessage", c.ratingInvitationMessage(), false);
        if (invitation == null && current != null) {
            invitation = current.ratingInvitationMessage();
        }
        Integer hours = c.submissionValidityPeriod();
        if (hours == null && required) {
            throw invalid(where + ".SubmissionValidityPeriod is required (hours a rating may be submitted, 1-"
                    + MAX_VALIDITY_HOURS + ")");
        }
        if (hours != null && (hours < 1 || hours > MAX_VALIDITY_HOURS)) {
            throw invalid(where + ".SubmissionValidityPeriod must be 1-" + MAX_VALIDITY_HOURS + " hours, got " + hours);
        }
        return new SatisfactionSettings.Content(invitation, text(where + ".SubmissionMessage", c.submissionMessage(), required),
                text(where + ".OneStarContent", c.oneStarContent(), required),
                text(where + ".TwoStarContent", c.twoStarContent(), required),
                text(where + ".ThreeStarContent", c.threeStarContent(), required),
                text(where + ".FourStarContent", c.fourStarContent(), required),
                text(where + ".FiveStarContent", c.fiveStarContent(), required), hours);
    }

    private static String text(String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw invalid(field + " is required (a non-empty text)");
            }
            return null;
        }
        String v = value.strip();
        if (v.length() > MAX_TEXT_CHARS) {
            throw invalid(field + " is longer than " + MAX_TEXT_CHARS + " characters");
        }
        if (v.chars().anyMatch(ch -> ch < 0x20 && ch != '\n')) {
            throw invalid(field + " holds control characters");
        }
        return v;
    }

    private static DeskException invalid(String info) {
        return new DeskException(DeskError.DESK_INVALID_PARAM, info);
    }
}
