package org.opendesk.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendesk.account.Account;
import org.opendesk.account.AccountService;
import org.opendesk.callback.CallbackService;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.imagent.ImAgentService;
import org.opendesk.imagent.ImAgentSettings;
import org.opendesk.message.Message;
import org.opendesk.message.MessageStore;
import org.opendesk.message.MsgBody;
import org.opendesk.message.NewMessage;
import org.opendesk.rest.InvalidRequest;
import org.opendesk.robot.AnswerService;
import org.opendesk.robot.Languages;
import org.opendesk.robot.Question;
import org.opendesk.robot.RobotConfig;
import org.opendesk.robot.RobotService;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Conversations between users and customer-service accounts. A user's message to a
 * customer-service account is stored, acknowledged, and starts a session when none is open
 * (SessionBegin); in the robot phase it is called back as ChatBot.UserSendMsg and, after the
 * acknowledgement, handled in order per session by {@link #drain}: the session-start protocol
 * (src 23, 26, welcome message and card), the robot's answer, a request for a human, or the
 * user's end (src 27). Third-party AI mode (ChatbotDisabled or the app's switch) keeps the
 * built-in robot silent. Every message and event is written in the transaction of its cause.
 */
public final class ConversationService {
    private static final Logger LOG = Logger.getLogger(ConversationService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String REASON_USER_END = "UserEndedSession";
    static final String REASON_ROBOT_IDLE = "RobotIdleTimeout";

    private final MessageStore store;
    private final SessionRepository sessions = new SessionRepository();
    private final AccountService accounts;
    private final ImAgentService imAgents;
    private final RobotService robots;
    private final AnswerService answers;
    private final CallbackService callbacks;
    private final SessionEvents events;
    private volatile HumanPhase human;
    private final Clock clock;
    private final long robotIdleMillis;
    private volatile SessionQueue queue = (tenant, sessionId) -> drain(tenant, sessionId);
    private volatile boolean answerInline = true;
    private volatile Ratings ratings = Ratings.NONE;

    /** Hands a session with pending messages to whoever handles them in order (the worker). */
    public interface SessionQueue {
        void submit(Tenant tenant, String sessionId);
    }

    public ConversationService(MessageStore store, AccountService accounts, ImAgentService imAgents, RobotService robots,
                               AnswerService answers, CallbackService callbacks, Clock clock, long robotIdleMillis) {
        this.store = store;
        this.accounts = accounts;
        this.imAgents = imAgents;
        this.robots = robots;
        this.answers = answers;
        this.callbacks = callbacks;
        this.events = new SessionEvents(callbacks, clock);
        this.clock = clock;
        this.robotIdleMillis = robotIdleMillis;
    }

    public void handOffTo(SessionQueue queue) {
        this.queue = queue;
    }

    /** The human phase: where requests for a human go, and who handles sessions past the robot. */
    public void humanPhase(HumanPhase human) {
        this.human = human;
    }

    /** The satisfaction ratings: src 23's rules, the user's src 10 and src 24. */
    public void ratings(Ratings ratings) {
        this.ratings = ratings;
    }

    public Ratings ratings() {
        return ratings;
    }

    /** The session events (the human service emits through the same fan-out). */
    public SessionEvents events() {
        return events;
    }

    public SessionRepository sessions() {
        return sessions;
    }

    /**
     * Whether a user's message is answered in the transaction that stores it when nothing stands in
     * the way (the default); off, every answer goes through the queue (tests use it to hold answers).
     */
    void answerInline(boolean on) {
        this.answerInline = on;
    }

    public MessageStore store() {
        return store;
    }

    /** What the sender is told: the stored message's key, sequence and time (ms). */
    public record Ack(String msgKey, long msgSeq, long msgTime, boolean duplicate) {
        static Ack of(MessageStore.Stored s) {
            return new Ack(s.message().key(), s.message().seq(), s.message().time(), s.duplicate());
        }
    }

    /** A message as a client or the admin API sends it; the body is validated already. */
    public record Outgoing(String from, String to, long random, String body, String cloudCustomData, boolean onlineOnly) {
    }

    // ---- sending

    /**
     * Sends a C2C message (openim sendmsg, the visitor WebSocket): a user writing to a
     * customer-service account enters the conversation; a customer-service account writing to a
     * user speaks in the user's open session; anything else is stored and delivered as it is.
     */
    public Ack send(Tenant tenant, Outgoing o) {
        Map<String, Account.Kind> kinds = accounts.kinds(tenant.db(), List.of(o.from(), o.to()));
        for (String id : List.of(o.from(), o.to())) {
            if (!kinds.containsKey(id)) {
                throw new DeskException(DeskError.IM_ACCOUNT_INVALID, "account '" + id + "' has not been imported: "
                        + "import it with im_open_login_svc/account_import first");
            }
        }
        Account.Kind from = kinds.get(o.from());
        Account.Kind to = kinds.get(o.to());
        if (from == Account.Kind.USER && to == Account.Kind.CUSTOMER_SERVICE) {
            return fromUser(tenant, o);
        }
        if (from == Account.Kind.CUSTOMER_SERVICE && to == Account.Kind.USER) {
            return toUser(tenant, o.from(), o.to(), null, o, false);
        }
        Message.Role role = from == Account.Kind.USER ? Message.Role.USER : Message.Role.SYSTEM;
        MessageStore.Stored stored = tenant.db().inGroupTransaction(tx -> store.store(tx, new NewMessage(o.from(), o.to(), o.random(),
                o.body(), o.cloudCustomData(), "", role, o.onlineOnly(), false, true, false)));
        store.committed(tenant);
        return Ack.of(stored);
    }

    private Ack fromUser(Tenant tenant, Outgoing o) {
        JsonNode body = MsgBody.parse(o.body());
        String src = Protocol.src(body);
        boolean typing = Protocol.TYPING.equals(src);
        // a rating choice (src 10) or request (src 24) is a signal like typing: it neither opens nor feeds a
        // session, whether or not the client sent it online-only as the protocol asks
        boolean rating = Protocol.RATING_CHOICE.equals(src) || Protocol.RATING_REQUEST.equals(src);
        boolean onlineOnly = o.onlineOnly() || typing || rating;
        // the answer is worked out before the transaction (matching takes a few ms), for the session as it is now
        Prepared prepared = onlineOnly || !answerInline ? null : prepareOrWait(tenant, o.from(), o.to(), body, src);
        Received received = tenant.db().inGroupTransaction(tx -> {
            long seq = store.lock(tx);
            Session open = sessions.openOf(tx, o.from(), o.to()).orElse(null);
            Session next = open != null || onlineOnly ? open
                    : opening(tx, UUID.randomUUID().toString(), o.from(), o.to(), body, src, clock.millis());
            // answered in this transaction unless the session changed since the answer was worked out, or
            // earlier messages of the session wait for theirs (they go first, through the worker)
            boolean answerNow = prepared != null && prepared.fits(open, next)
                    && (open == null || !store.hasPending(tx, open.id()));
            boolean humanPhase = next != null && next.human(); // the robot stays silent: the human phase takes it now
            MessageStore.Stored s = store.store(tx, new NewMessage(o.from(), o.to(), o.random(), o.body(), o.cloudCustomData(),
                    next == null ? "" : next.id(), Message.Role.USER, onlineOnly, !onlineOnly && !answerNow && !humanPhase,
                    true, false), seq);
            if (s.duplicate()) {
                return Received.NOTHING_MORE.with(s); // a retry is answered as the first time
            }
            if (onlineOnly) {
                if (Protocol.RATING_CHOICE.equals(src)) {
                    ratings.onChoice(tx, o.from(), o.to(), body); // the session may have ended: it is named in the choice
                } else if (Protocol.RATING_REQUEST.equals(src) && humanPhase) {
                    ratings.onRequest(tx, next);
                } else if (humanPhase) {
                    human.onUserMessage(tx, next, s.message(), src); // typing reaches the member
                }
                return Received.NOTHING_MORE.with(s); // typing neither starts nor feeds a session
            }
            Session session = next;
            if (open == null) {
                session = begin(tx, next, s.message().time());
            } else {
                sessions.touch(tx, session.id(), s.message().time());
            }
            if (session.state() == SessionState.CHATBOT) {
                events.emit(tx, session, SessionEvents.Event.USER_SEND, s.message());
            }
            boolean freed = humanPhase && human.onUserMessage(tx, session, s.message(), src);
            boolean asked = answerNow && answer(tx, session, prepared.plan(), 0);
            return new Received(s, !answerNow && !humanPhase, asked, freed);
        });
        store.committed(tenant);
        String sessionId = received.stored().message().sessionId();
        if (received.pending()) {
            queue.submit(tenant, sessionId);
        }
        if (received.askedHuman()) {
            human.afterRequest(tenant, sessionId);
        }
        if (received.freedSeat()) {
            human.afterSeatFreed(tenant);
        }
        return Ack.of(received.stored());
    }

    /**
     * A user message as stored; whether it waits for the worker's answer, asked for a human (routed
     * after the commit), or freed a member's seat (the queue moves after the commit).
     */
    private record Received(MessageStore.Stored stored, boolean pending, boolean askedHuman, boolean freedSeat) {
        static final Received NOTHING_MORE = new Received(null, false, false, false);

        Received with(MessageStore.Stored s) {
            return new Received(s, pending, askedHuman, freedSeat);
        }
    }

    /**
     * The robot phase's answer to a user message, worked out for the session as it was read (or, with
     * none open, the session the message will open); it holds if the session is the same when the
     * message is stored.
     */
    private record Prepared(Session session, Plan plan) {
        /** Whether the plan still holds for the session open now (null: none) and the one the message goes to. */
        boolean fits(Session open, Session next) {
            boolean fresh = session.id().isEmpty();
            return (fresh ? open == null : open != null && open.id().equals(session.id()) && open.version() == session.version())
                    && next.state() == session.state() && next.robotId().equals(session.robotId())
                    && next.languageTag().equals(session.languageTag());
        }
    }

    /** The answer worked out now, or null when that failed: the message is then stored pending and the worker retries. */
    private Prepared prepareOrWait(Tenant tenant, String user, String cs, JsonNode body, String src) {
        try {
            return prepare(tenant, user, cs, body, src);
        } catch (RuntimeException e) {
            boolean stopping = Thread.currentThread().isInterrupted(); // the server is stopping
            LOG.log(stopping ? Level.INFO : Level.WARNING, "the answer to a message of " + user + " (app " + tenant.sdkAppId()
                    + ") could not be worked out; the message is stored and answered by the worker", stopping ? null : e);
            return null;
        }
    }

    private Prepared prepare(Tenant tenant, String user, String cs, JsonNode body, String src) {
        Session open = sessions.openOf(tenant.db(), user, cs).orElse(null);
        boolean fresh = open == null;
        Session session = fresh ? opening(tenant.db(), "", user, cs, body, src, clock.millis()) : open;
        if (session.state() != SessionState.CHATBOT) {
            return null; // not the robot's turn: nothing to answer
        }
        return new Prepared(session, plan(tenant, session, body, src, fresh));
    }

    /** The session a user's message opens (not stored yet): the account's robot, the start message's language. */
    private Session opening(TenantDb db, String sessionId, String user, String cs, JsonNode body, String src, long now) {
        ImAgentSettings settings = imAgents.find(db, cs).map(ImAgentService.ImAgent::settings)
                .orElseThrow(() -> new IllegalStateException("customer-service account " + cs + " has no settings"));
        String robotId = settings.robotId() == null || settings.robotId().isEmpty()
                ? RobotService.DEFAULT_ROBOT : settings.robotId();
        String language = Protocol.SESSION_START.equals(src) ? requestedLanguage(body) : Languages.DEFAULT;
        return new Session(sessionId, user, cs, SessionState.CHATBOT, 0, Session.CHANNEL_SDK, language, robotId, "",
                now, now, 0, "");
    }

    /** Whether an id is an imported user (not an admin, not a customer-service account). */
    public boolean isUser(TenantDb db, String id) {
        return accounts.kinds(db, List.of(id)).get(id) == Account.Kind.USER;
    }

    /**
     * A session a member opens with a user (contact_user): the account's robot and the default
     * language, marked as a contact session before SessionBegin is emitted (IsContactUser true).
     * The caller holds the app's message lock and moves it to the member.
     */
    public Session openForContact(TenantDb tx, String user, String cs) {
        long now = clock.millis();
        Session opening = opening(tx, UUID.randomUUID().toString(), user, cs, MsgBody.parse("[]"), null, now);
        Session session = new Session(opening.id(), user, cs, SessionState.CHATBOT, 0, opening.channelType(),
                opening.languageTag(), opening.robotId(), "", now, now, 0, "").with(Session.Marks.NONE.contact());
        sessions.insert(tx, session);
        sessions.saveMarks(tx, session.id(), session.marks());
        events.emit(tx, session, SessionEvents.Event.SESSION_BEGIN);
        return session;
    }

    private Session begin(TenantDb tx, Session opening, long now) {
        Session session = new Session(opening.id(), opening.userId(), opening.customerServiceId(), opening.state(),
                opening.version(), opening.channelType(), opening.languageTag(), opening.robotId(), opening.agentId(), now, now,
                0, "");
        sessions.insert(tx, session);
        events.emit(tx, session, SessionEvents.Event.SESSION_BEGIN);
        return session;
    }

    /**
     * The user's language, when the start message names one the platform knows: an extension
     * field {@code language} of the src 7 structure (the seed defines none; clients without it get
     * the robot's default language).
     */
    private static String requestedLanguage(JsonNode startBody) {
        String tag = MsgBody.deskCustom(startBody).map(d -> d.path("language").asText("")).orElse("");
        return Languages.supported(tag) ? tag : Languages.DEFAULT;
    }

    /**
     * A message of a customer-service account to a user: in the user's open session with that
     * account when there is one (an admin reply in the robot phase is a bot reply, called back as
     * ChatBot.RobotSendMsg), else outside any session.
     *
     * @param required the session the caller named (send_msg by SessionId), or null
     */
    private Ack toUser(Tenant tenant, String cs, String user, Session required, Outgoing sent, boolean excludeFromTimeout) {
        // typing (src 12) is relayed to connected clients only, whoever sends it
        Outgoing o = Protocol.TYPING.equals(Protocol.src(MsgBody.parse(sent.body()))) ? new Outgoing(sent.from(), sent.to(),
                sent.random(), sent.body(), sent.cloudCustomData(), true) : sent;
        MessageStore.Stored stored = tenant.db().inGroupTransaction(tx -> {
            long seq = store.lock(tx);
            Session session = required != null ? sessions.byId(tx, required.id()).filter(Session::open).orElseThrow(
                    () -> sessionGone(required.id())) : sessions.openOf(tx, user, cs).orElse(null);
            MessageStore.Stored s = store.store(tx, new NewMessage(cs, user, o.random(), o.body(), o.cloudCustomData(),
                    session == null ? "" : session.id(), Message.Role.SYSTEM, o.onlineOnly(), false, true, excludeFromTimeout),
                    seq);
            if (!s.duplicate() && session != null && !o.onlineOnly()) {
                sessions.touch(tx, session.id(), s.message().time());
                if (session.state() == SessionState.CHATBOT) {
                    events.emit(tx, session, SessionEvents.Event.ROBOT_SEND, s.message());
                } else if (session.human()) {
                    human.onAccountMessage(tx, session, s.message(), excludeFromTimeout);
                }
            }
            return s;
        });
        store.committed(tenant);
        return Ack.of(stored);
    }

    // ---- the admin API (desk_http_svc)

    /** send_msg by SessionId: the session must be open. */
    public Ack sendToSession(Tenant tenant, String sessionId, long random, String body, String cloudCustomData,
                             boolean excludeFromTimeout) {
        Session session = openSession(tenant.db(), sessionId);
        return toUser(tenant, session.customerServiceId(), session.userId(), session,
                new Outgoing(session.customerServiceId(), session.userId(), random, body, cloudCustomData, false),
                excludeFromTimeout);
    }

    /** send_msg by FromAccount (a customer-service account) and ToAccount (a user). */
    public Ack sendAs(Tenant tenant, String cs, String user, long random, String body, String cloudCustomData,
                      boolean excludeFromTimeout) {
        Map<String, Account.Kind> kinds = accounts.kinds(tenant.db(), List.of(cs, user));
        if (kinds.get(cs) != Account.Kind.CUSTOMER_SERVICE) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, "FromAccount '" + cs + "' is not a customer-service account"
                    + " of this app (see get_im_agent_list)");
        }
        if (kinds.get(user) != Account.Kind.USER) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, "ToAccount '" + user + "' is not an imported user of this"
                    + " app" + (kinds.containsKey(user) ? "" : ": import it with im_open_login_svc/account_import"));
        }
        return toUser(tenant, cs, user, null, new Outgoing(cs, user, random, body, cloudCustomData, false), excludeFromTimeout);
    }

    /** send_stream_msg: the first chunk creates a src 31 message; later ones append; Finish closes it. */
    public String stream(Tenant tenant, String sessionId, String msgKey, String chunk, boolean finish) {
        Session session = openSession(tenant.db(), sessionId);
        String key = tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            if (msgKey == null) {
                Message m = store.store(tx, NewMessage.system(session.customerServiceId(), session.userId(), random(),
                        Protocol.stream(List.of(chunk), finish), session.id())).message();
                streamed(tx, session, m, finish);
                return m.key();
            }
            Message m = store.byKey(tx, msgKey).filter(x -> x.sessionId().equals(session.id()))
                    .orElseThrow(() -> new DeskException(DeskError.DESK_INVALID_PARAM, "MsgKey '" + msgKey
                            + "' is not a streaming message of session " + session.id()
                            + ": omit MsgKey on the first call and pass the MsgKey it returned on the next ones"));
            JsonNode data = MsgBody.deskCustom(MsgBody.parse(m.body())).orElse(null);
            if (data == null || !"31".equals(data.path("src").asText())) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "MsgKey '" + msgKey + "' is not a streaming message");
            }
            if (data.path("isFinished").asInt() == 1) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "the streaming message " + msgKey
                        + " is finished (Finish 1 was sent); start a new one without MsgKey");
            }
            List<String> chunks = new ArrayList<>();
            data.path("chunks").forEach(c -> chunks.add(c.asText()));
            chunks.add(chunk);
            Message edited = store.edit(tx, m, Protocol.stream(chunks, finish), m.cloudCustomData());
            streamed(tx, session, edited, finish);
            return m.key();
        });
        store.committed(tenant);
        return key;
    }

    private void streamed(TenantDb tx, Session session, Message m, boolean finish) {
        sessions.touch(tx, session.id(), clock.millis());
        Session now = sessions.byId(tx, session.id()).orElse(session);
        if (now.human()) {
            human.onEdited(tx, now, m); // the member sees the stream grow
        } else if (finish && now.state() == SessionState.CHATBOT) {
            // one callback per streamed message, with its whole content, when it is complete
            events.emit(tx, now, SessionEvents.Event.ROBOT_SEND, m);
        }
    }

    /** modify_msg: replaces a message of the session; CloudCustomData null keeps the old one. */
    public void modify(Tenant tenant, String sessionId, String msgKey, String body, String cloudCustomData) {
        Session session = sessions.byId(tenant.db(), sessionId).orElseThrow(() -> new DeskException(
                DeskError.DESK_INVALID_PARAM, "session " + sessionId + " does not exist"));
        tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            Message m = store.byKey(tx, msgKey).filter(x -> x.sessionId().equals(session.id()))
                    .orElseThrow(() -> new DeskException(DeskError.DESK_INVALID_PARAM, "MsgKey '" + msgKey
                            + "' is not a message of session " + sessionId));
            Message edited = store.edit(tx, m, body, cloudCustomData == null ? m.cloudCustomData() : cloudCustomData);
            sessions.byId(tx, session.id()).filter(Session::human).ifPresent(s -> human.onEdited(tx, s, edited));
            return edited;
        });
        store.committed(tenant);
    }

    /** A page of a session's messages (describe_chat_messages) and their total count. */
    public record Page(long total, List<Message> messages) {
    }

    public Page messages(Tenant tenant, String sessionId, boolean newestFirst, int offset, int limit) {
        if (sessions.byId(tenant.db(), sessionId).isEmpty()) {
            throw new DeskException(DeskError.DESK_SESSION_MISSING, "session " + sessionId + " does not exist");
        }
        return new Page(store.countOfSession(tenant.db(), sessionId),
                store.ofSession(tenant.db(), sessionId, newestFirst, offset, limit));
    }

    /** get_session_state by SessionId: an ended or unknown session answers 141005. */
    public Session state(Tenant tenant, String sessionId) {
        return openSession(tenant.db(), sessionId);
    }

    /** get_session_state by user and customer-service account: empty when not in a session. */
    public Optional<Session> stateOf(Tenant tenant, String user, String cs) {
        return sessions.openOf(tenant.db(), user, cs);
    }

    private Session openSession(TenantDb db, String sessionId) {
        return sessions.byId(db, sessionId).filter(Session::open).orElseThrow(() -> sessionGone(sessionId));
    }

    private static DeskException sessionGone(String sessionId) {
        return new DeskException(DeskError.DESK_SESSION_NOT_FOUND, "session " + sessionId + " does not exist or has ended");
    }

    // ---- the engine: pending user messages, in order per session

    /** Handles the pending messages of a session in sequence order; safe to call from several threads and nodes. */
    public void drain(Tenant tenant, String sessionId) {
        for (Message m : store.pendingOfSession(tenant.db(), sessionId)) {
            try {
                handle(tenant, m);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "message " + m.key() + " of app " + tenant.sdkAppId() + " could not be handled;"
                        + " it stays pending and is retried", e);
                return; // keep the order: later messages wait for this one
            }
        }
    }

    /** Sessions with messages pending for longer than a moment (after a crash or a failure). */
    public List<String> stalled(Tenant tenant, long olderThanMillis) {
        return store.sessionsWithPending(tenant.db(), clock.millis() - olderThanMillis, 100);
    }

    private record Reply(String body, boolean callback) {
    }

    /**
     * What handling a user message does: the replies to send, and whether the session ends or asks for a
     * human (in the group the user chose, or 0 for the account's routing).
     */
    private record Plan(List<Reply> replies, boolean end, boolean askHuman, AnswerService.Unanswered unanswered, long group) {
        static final Plan NOTHING = new Plan(List.of(), false, false, null, 0);

        Plan(List<Reply> replies, boolean end, boolean askHuman) {
            this(replies, end, askHuman, null, 0);
        }

        Plan(List<Reply> replies, boolean end, boolean askHuman, AnswerService.Unanswered unanswered) {
            this(replies, end, askHuman, unanswered, 0);
        }

        static Plan toHuman(long group) {
            return new Plan(List.of(), false, true, null, group);
        }
    }

    private void handle(Tenant tenant, Message m) {
        Session session = sessions.byId(tenant.db(), m.sessionId()).orElse(null);
        JsonNode body = MsgBody.parse(m.body());
        Plan plan = session == null || session.state() != SessionState.CHATBOT ? Plan.NOTHING
                : plan(tenant, session, body, Protocol.src(body), session.startedAt() == m.time());
        apply(tenant, m, session, plan);
    }

    /**
     * The robot phase's answer to one user message (computed before the transaction: matching takes a few ms).
     *
     * @param fresh whether the message opens the session
     */
    private Plan plan(Tenant tenant, Session session, JsonNode body, String src, boolean fresh) {
        ImAgentSettings account = imAgents.find(tenant.db(), session.customerServiceId())
                .map(ImAgentService.ImAgent::settings).orElse(null);
        boolean thirdParty = account == null || Integer.valueOf(1).equals(account.chatbotDisabled())
                || callbacks.liveSettings(tenant.db()).thirdPartyRobot();
        if (Protocol.SESSION_START.equals(src)) {
            return onStart(tenant, session, fresh, account, thirdParty);
        }
        if (Protocol.USER_END.equals(src)) {
            return new Plan(List.of(new Reply(Protocol.ended(false), false)), true, false);
        }
        Optional<String> text = MsgBody.firstText(body).filter(t -> !t.isBlank());
        if (src == null && text.isPresent() && session.routing().groupChoice()) {
            long group = human.chosenGroup(tenant, session, text.get().strip());
            if (group > 0) {
                return Plan.toHuman(group); // the user picked an agent group from the branch message (src 15)
            }
        }
        if (thirdParty || src != null) {
            return Plan.NOTHING; // a self-built bot answers; Desk's other custom messages need no robot answer
        }
        return text.isEmpty() ? Plan.NOTHING : onText(tenant, session, text.get());
    }

    /** src 7: the rating rules and the seat status; for a new session the welcome message and card too. */
    private Plan onStart(Tenant tenant, Session session, boolean fresh, ImAgentSettings account, boolean thirdParty) {
        List<Reply> replies = new ArrayList<>();
        replies.add(new Reply(Protocol.ratingRules(ratings.ruleFlags(tenant.db())), false));
        replies.add(new Reply(Protocol.seatStatus(false), false));
        if (fresh && account != null) {
            String welcome = prompt(account.welcomeMessage(), account.welcomeMessageMultilingual(), session);
            if (!welcome.isEmpty()) {
                replies.add(new Reply(MsgBody.text(welcome), !thirdParty));
            }
            if (!thirdParty) {
                RobotConfig config = robots.liveConfig(tenant, session.robotId(), session.languageTag());
                if (config.welcomeCardEnable() == 1 && !config.welcomeCardQuestions().isEmpty()) {
                    replies.add(new Reply(Protocol.card("welcome_msg", config.welcomeCardTitle(), "",
                            config.welcomeCardQuestions()), true));
                }
            }
        }
        return new Plan(replies, false, false);
    }

    /** A question: the robot's decision as text, rich text, a clarify card, the fallback, or a wish for a human. */
    private Plan onText(Tenant tenant, Session session, String text) {
        String question = text.length() > AnswerService.MAX_QUESTION_CHARS
                ? text.substring(0, AnswerService.MAX_QUESTION_CHARS) : text;
        AnswerService.Reply answer;
        try {
            answer = answers.decide(tenant, session.robotId(), session.languageTag(), question, 0, "session");
        } catch (DeskException | InvalidRequest e) {
            // the session's robot or language is gone (deleted since the session began): nothing to answer with
            LOG.warning("session " + session.id() + " of app " + tenant.sdkAppId() + ": the robot cannot answer: "
                    + e.getMessage());
            return Plan.NOTHING;
        }
        Reply reply = switch (answer.type()) {
            case FAQ, CHITCHAT -> new Reply(answer.answerType() == Question.RICH_TEXT
                    ? Protocol.richText(answer.answer()) : MsgBody.text(answer.answer()), true);
            case CLARIFY -> new Reply(Protocol.card("clarify_msg", answer.answer(), answer.answer(), answer.clarify()), true);
            case FALLBACK -> new Reply(MsgBody.text(answer.answer()), true);
            case TO_AGENT -> null;
        };
        return reply == null ? new Plan(List.of(), false, true) : new Plan(List.of(reply), false, false, answer.unanswered());
    }

    /** Stores the answer to a pending message, unless another worker did or the session moved on meanwhile. */
    private void apply(Tenant tenant, Message m, Session seen, Plan plan) {
        boolean asked = tenant.db().inGroupTransaction(tx -> {
            long seq = store.lock(tx);
            if (!store.claim(tx, m)) {
                return false; // handled by another worker or node
            }
            Session session = seen == null ? null : sessions.byId(tx, seen.id()).orElse(null);
            if (session == null || session.state() != SessionState.CHATBOT) {
                return false; // the session moved on (ended, taken by a human) while we were thinking
            }
            return answer(tx, session, plan, seq);
        });
        store.committed(tenant);
        if (asked) {
            human.afterRequest(tenant, seen.id());
        }
    }

    /**
     * Writes a plan in the robot phase: its replies (with their callbacks), the unanswered question, a
     * request for a human, the user's end.
     *
     * @param seq a sequence value the transaction holds unused (0: none)
     * @return whether the plan asked for a human (routed once the transaction has committed)
     */
    private boolean answer(TenantDb tx, Session session, Plan plan, long seq) {
        long now = clock.millis();
        for (Reply r : plan.replies()) {
            NewMessage reply = NewMessage.system(session.customerServiceId(), session.userId(), random(), r.body(),
                    session.id());
            Message sent = (seq > 0 ? store.store(tx, reply, seq) : store.store(tx, reply)).message();
            seq = 0;
            if (r.callback()) {
                events.emit(tx, session, SessionEvents.Event.ROBOT_SEND, sent);
            }
        }
        if (plan.unanswered() != null) {
            answers.record(tx, plan.unanswered()); // with the reply: one commit
        }
        if (plan.askHuman()) {
            human.requested(tx, session, plan.group());
        }
        if (plan.end()) {
            if (!sessions.transition(tx, session, SessionState.ENDED, session.agentId(), REASON_USER_END, now)) {
                throw new IllegalStateException("session " + session.id() + " changed concurrently; retrying");
            }
            events.emit(tx, session, SessionEvents.Event.USER_END);
            events.emit(tx, session, SessionEvents.Event.SESSION_END);
        }
        // no touch: the user's message touched the session; the idle time counts from the user
        return plan.askHuman();
    }

    // ---- idle robot-phase sessions

    /** Ends robot-phase sessions without activity for the idle time: src 20 to the user, SessionEnd. Answers how many. */
    public int endIdle(Tenant tenant) {
        int ended = 0;
        for (Session idle : sessions.idle(tenant.db(), SessionState.CHATBOT, clock.millis() - robotIdleMillis, 100)) {
            boolean done = tenant.db().inGroupTransaction(tx -> {
                store.lock(tx);
                Session s = sessions.byId(tx, idle.id()).orElse(null);
                long now = clock.millis();
                if (s == null || s.state() != SessionState.CHATBOT || s.lastActivityAt() >= now - robotIdleMillis
                        || !sessions.transition(tx, s, SessionState.ENDED, "", REASON_ROBOT_IDLE, now)) {
                    return false;
                }
                store.store(tx, NewMessage.system(s.customerServiceId(), s.userId(), random(), Protocol.ended(true), s.id()));
                events.emit(tx, s, SessionEvents.Event.SESSION_END);
                return true;
            });
            if (done) {
                ended++;
            }
        }
        if (ended > 0) {
            store.committed(tenant);
        }
        return ended;
    }

    /** A prompt in the session's language: the multilingual map's entry, else the base text. */
    public static String prompt(String base, Map<String, String> multilingual, Session session) {
        if (multilingual != null && !session.languageTag().isEmpty()) {
            String text = multilingual.get(session.languageTag());
            if (text != null && !text.isBlank()) {
                return text;
            }
        }
        return base == null ? "" : base;
    }

    private static long random() {
        return RANDOM.nextLong(1, 4_294_967_296L);
    }
}
