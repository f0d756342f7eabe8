package org.opendesk.satisfaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendesk.agent.AgentEventLog;
import org.opendesk.conversation.Protocol;
import org.opendesk.conversation.Ratings;
import org.opendesk.conversation.Session;
import org.opendesk.conversation.SessionEvents;
import org.opendesk.conversation.SessionRepository;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.json.Json;
import org.opendesk.message.Message;
import org.opendesk.message.MessageStore;
import org.opendesk.message.MsgBody;
import org.opendesk.message.NewMessage;
import org.opendesk.storage.ShortCache;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Satisfaction ratings: the app's settings, and the rating card's life in a session. A card (src 9)
 * goes out when a served session ends (InvitationMethod 1 or 3, unless a member invited), when a
 * member invites (2 or 3) or when the user asks (src 24, our UserRequestEnabled); each card is valid
 * SubmissionValidityPeriod hours. The user's choice (src 10) is taken once per session, while the
 * newest card is valid, by one conditional update (so twice, late, or on two nodes at once, one
 * wins); it fills the card's {@code selected}, emits SatisfactionSelected and tells the member.
 */
public final class SatisfactionService implements Ratings {
    private static final Logger LOG = Logger.getLogger(SatisfactionService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long HOUR_MILLIS = 3_600_000L;

    private final SatisfactionRepository repository = new SatisfactionRepository();
    private final ShortCache<Boolean, SatisfactionSettings> live = new ShortCache<>(1_000, 1);
    private final MessageStore store;
    private final SessionRepository sessions;
    private final SessionEvents events;
    private final AgentEventLog agentEvents;
    private final Clock clock;

    public SatisfactionService(MessageStore store, SessionRepository sessions, SessionEvents events, AgentEventLog agentEvents,
                               Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.events = events;
        this.agentEvents = agentEvents;
        this.clock = clock;
    }

    /** The app's settings as stored (the defaults when never set). */
    public SatisfactionSettings settings(Tenant tenant) {
        return repository.settings(tenant.db()).orElseGet(SatisfactionSettings::defaults);
    }

    /** The settings routing and the protocol act on: at most a second old on another node, at once on this one. */
    SatisfactionSettings liveSettings(TenantDb db) {
        return live.get(db.sdkAppId(), Boolean.TRUE, k -> repository.settings(db).orElseGet(SatisfactionSettings::defaults));
    }

    /** Stores the settings (checked as a whole by the command). */
    public void update(Tenant tenant, SatisfactionSettings next) {
        tenant.db().inTransaction(tx -> {
            repository.save(tx, next, clock.millis());
            return null;
        });
        live.invalidate(tenant.sdkAppId());
    }

    /** A session's rating: 1-5 stars, 0 when not rated (or no card was sent). */
    public int stars(TenantDb db, String sessionId) {
        return repository.rating(db, sessionId).map(SatisfactionRepository.Rating::stars).orElse(0);
    }

    @Override
    public int ruleFlags(TenantDb db) {
        return liveSettings(db).ruleFlags();
    }

    @Override
    public void onEnded(TenantDb tx, Session ended) {
        SatisfactionSettings s = liveSettings(tx);
        if (!s.sentAtEnd()) {
            return;
        }
        Optional<SatisfactionRepository.Rating> r = repository.rating(tx, ended.id());
        if (r.isPresent() && (r.get().invited() || r.get().stars() > 0)) {
            return; // a member invited (InvitationMethod 3: then not again at the end), or the user rated already
        }
        sendCard(tx, s, ended, false, r.isEmpty());
    }

    @Override
    public void invite(TenantDb tx, Session served) {
        SatisfactionSettings s = liveSettings(tx);
        if (!s.agentMayInvite()) {
            throw new DeskException(DeskError.DESK_CANNOT_FORWARD, s.enabled() != 1
                    ? "satisfaction ratings are off (update_satisfaction_settings SatisfactionEnabled 0)"
                    : "members may not invite ratings (InvitationMethod " + s.invitationMethod() + ": 2 or 3 allow it)");
        }
        Optional<SatisfactionRepository.Rating> r = repository.rating(tx, served.id());
        if (r.isPresent() && r.get().stars() > 0) {
            throw new DeskException(DeskError.DESK_CANNOT_FORWARD, "the user rated session " + served.id() + " already ("
                    + r.get().stars() + " stars)");
        }
        sendCard(tx, s, served, true, r.isEmpty());
    }

    @Override
    public void onRequest(TenantDb tx, Session session) {
        SatisfactionSettings s = liveSettings(tx);
        if (!s.userMayRequest() || !session.human() || session.agentId().isEmpty()
                || session.state() != org.opendesk.conversation.SessionState.AGENT) {
            LOG.fine(() -> "src 24 of session " + session.id() + " ignored: the user may not ask for the rating now");
            return;
        }
        Optional<SatisfactionRepository.Rating> r = repository.rating(tx, session.id());
        if (r.isPresent() && r.get().stars() > 0) {
            return;
        }
        sendCard(tx, s, session, false, r.isEmpty());
    }

    @Override
    public void onChoice(TenantDb tx, String userId, String customerServiceId, JsonNode body) {
        JsonNode selected = MsgBody.deskCustom(body).map(d -> d.path("menuSelected")).orElse(null);
        String sessionId = selected == null ? "" : selected.path("sessionId").asText("");
        int stars = level(selected == null ? null : selected.get("id"));
        Session session = sessionId.isEmpty() ? null : sessions.byId(tx, sessionId)
                .filter(x -> x.userId().equals(userId) && x.customerServiceId().equals(customerServiceId)).orElse(null);
        if (session == null || stars == 0) {
            LOG.fine(() -> "src 10 of " + userId + " ignored: no rating card of theirs, or no level 101-105");
            return;
        }
        SatisfactionRepository.Rating r = repository.rating(tx, session.id()).orElse(null);
        long now = clock.millis();
        if (r == null || !repository.rate(tx, session.id(), stars, now)) {
            LOG.log(Level.FINE, "src 10 for session {0} refused: no card, rated already, or the card expired", session.id());
            return;
        }
        store.byKey(tx, r.cardMsgKey()).ifPresent(card -> fill(tx, card, stars));
        events.rated(tx, session, stars);
        if (!r.agentId().isEmpty()) {
            ObjectNode p = Json.mapper().createObjectNode();
            p.put("SessionId", session.id());
            p.put("ClientUserId", session.userId());
            p.put("SatisfactionSelected", stars);
            agentEvents.append(tx, r.agentId(), "Rated", session.id(), p);
        }
    }

    private void sendCard(TenantDb tx, SatisfactionSettings s, Session session, boolean invited, boolean first) {
        SatisfactionSettings.Content c = s.in(session.languageTag());
        int hours = c.submissionValidityPeriod() == null ? 12 : c.submissionValidityPeriod();
        long now = clock.millis();
        long expiresAt = now + hours * HOUR_MILLIS;
        String body = Protocol.ratingCard(session.id(), nz(c.ratingInvitationMessage()), nz(c.submissionMessage()),
                c.labels(), hours, expiresAt / 1000, 0);
        Message card = store.store(tx, NewMessage.system(session.customerServiceId(), session.userId(),
                RANDOM.nextLong(1, 4_294_967_296L), body, session.id())).message();
        repository.card(tx, session.id(), session.agentId(), card.key(), now, expiresAt, invited, first);
    }

    /** The card as the user sees it once rated: its {@code selected} set to the chosen level. */
    private void fill(TenantDb tx, Message card, int stars) {
        JsonNode data = MsgBody.deskCustom(MsgBody.parse(card.body())).orElse(null);
        if (data == null || !(data.path("menuContent") instanceof ObjectNode content)) {
            return;
        }
        String id = Integer.toString(Protocol.FIRST_LEVEL_ID + stars - 1);
        for (JsonNode item : content.path("menu")) {
            if (id.equals(item.path("id").asText())) {
                content.putObject("selected").put("id", id).put("content", item.path("content").asText());
            }
        }
        store.edit(tx, card, MsgBody.custom(data), card.cloudCustomData());
    }

    /** Stars of a level id "101"-"105" (a string, as the seed shows; a number is taken too); 0 otherwise. */
    private static int level(JsonNode id) {
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
            return 0;
        }
        String text = id.asText().strip();
        if (!text.matches("10[1-5]")) {
            return 0;
        }
        return Integer.parseInt(text) - Protocol.FIRST_LEVEL_ID + 1;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
