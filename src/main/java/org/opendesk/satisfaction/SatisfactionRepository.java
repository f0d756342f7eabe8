package org.opendesk.satisfaction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.helidon.dbclient.DbRow;
import org.opendesk.json.Json;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.Map;
import java.util.Optional;

/** desk_satisfaction_settings and desk_rating: an app's settings, the rating of each session. */
final class SatisfactionRepository {
    private static final String SETTINGS = "SELECT enabled, invitation_method, user_request_enabled, content, "
            + "content_multilingual FROM desk_satisfaction_settings WHERE sdkappid = :sdkappid";
    private static final String SAVE_SETTINGS = "INSERT INTO desk_satisfaction_settings (sdkappid, enabled, invitation_method, "
            + "user_request_enabled, content, content_multilingual, updated_at) VALUES (:sdkappid, :enabled, :method, :user, "
            + ":content, :multilingual, :now) ON DUPLICATE KEY UPDATE enabled = :enabled, invitation_method = :method, "
            + "user_request_enabled = :user, content = :content, content_multilingual = :multilingual, updated_at = :now";
    private static final String RATING = "SELECT session_id, agent_id, card_msg_key, card_sent_at, expires_at, invited, stars, "
            + "rated_at FROM desk_rating WHERE sdkappid = :sdkappid AND session_id = :session";
    private static final String NEW_CARD = "INSERT INTO desk_rating (sdkappid, session_id, agent_id, card_msg_key, card_sent_at, "
            + "expires_at, invited, stars, rated_at) VALUES (:sdkappid, :session, :agent, :key, :now, :expires, :invited, 0, 0)";
    private static final String NEXT_CARD = "UPDATE desk_rating SET agent_id = :agent, card_msg_key = :key, card_sent_at = :now, "
            + "expires_at = :expires, invited = CASE WHEN invited = 1 THEN 1 ELSE :invited END "
            + "WHERE sdkappid = :sdkappid AND session_id = :session AND stars = 0";
    /** The rating is taken once, while the card is valid: a second choice, or a late one, changes no row. */
    private static final String RATE = "UPDATE desk_rating SET stars = :stars, rated_at = :now WHERE sdkappid = :sdkappid "
            + "AND session_id = :session AND stars = 0 AND expires_at >= :now";
    private static final TypeReference<Map<String, SatisfactionSettings.Content>> MULTILINGUAL = new TypeReference<>() {
    };

    /** A session's rating: its newest card, whether a member invited, the stars once rated (0 before). */
    record Rating(String sessionId, String agentId, String cardMsgKey, long cardSentAt, long expiresAt, boolean invited,
                  int stars, long ratedAt) {
    }

    Optional<SatisfactionSettings> settings(TenantDb db) {
        return db.one("satisfaction-settings", SETTINGS, Params.of(), r -> new SatisfactionSettings(
                Sql.intValue(r, "enabled"), Sql.intValue(r, "invitation_method"),
                read(Sql.string(r, "content"), new TypeReference<SatisfactionSettings.Content>() {
                }), read(Sql.string(r, "content_multilingual"), MULTILINGUAL), Sql.intValue(r, "user_request_enabled")));
    }

    void save(TenantDb tx, SatisfactionSettings s, long now) {
        tx.dml("satisfaction-save", SAVE_SETTINGS, Params.of("enabled", s.enabled(), "method", s.invitationMethod(),
                "user", s.userRequestEnabled()).put("content", write(s.content()))
                .put("multilingual", write(s.multilingual() == null ? Map.of() : s.multilingual())).put("now", now));
    }

    Optional<Rating> rating(TenantDb db, String sessionId) {
        return db.one("rating-of-session", RATING, Params.of("session", sessionId), SatisfactionRepository::map);
    }

    /** Records a card sent for a session not rated yet. */
    void card(TenantDb tx, String sessionId, String agentId, String msgKey, long now, long expiresAt, boolean invited,
              boolean first) {
        Params p = Params.of("session", sessionId, "agent", agentId, "key", msgKey).put("now", now).put("expires", expiresAt)
                .put("invited", invited ? 1 : 0);
        tx.dml(first ? "rating-new-card" : "rating-next-card", first ? NEW_CARD : NEXT_CARD, p);
    }

    /** Takes the rating; false when the session was rated already or its card is no longer valid. */
    boolean rate(TenantDb tx, String sessionId, int stars, long now) {
        return tx.dml("rating-rate", RATE, Params.of("session", sessionId, "stars", stars, "now", now)) == 1;
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored satisfaction settings are not readable JSON", e);
        }
    }

    private static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("satisfaction settings could not be written as JSON", e);
        }
    }

    private static Rating map(DbRow r) {
        return new Rating(Sql.string(r, "session_id"), Sql.string(r, "agent_id"), Sql.string(r, "card_msg_key"),
                Sql.longValue(r, "card_sent_at"), Sql.longValue(r, "expires_at"), Sql.intValue(r, "invited") == 1,
                Sql.intValue(r, "stars"), Sql.longValue(r, "rated_at"));
    }
}
