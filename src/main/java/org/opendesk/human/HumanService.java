package org.opendesk.human;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.dbclient.DbClient;
import org.opendesk.agent.AgentEventLog;
import org.opendesk.agent.AgentHub;
import org.opendesk.agent.Workbench;
import org.opendesk.realtime.Presence;
import org.opendesk.callback.CallbackService;
import org.opendesk.conversation.ConversationService;
import org.opendesk.conversation.HumanPhase;
import org.opendesk.conversation.Protocol;
import org.opendesk.conversation.Session;
import org.opendesk.conversation.SessionEvents;
import org.opendesk.conversation.SessionEvents.Event;
import org.opendesk.conversation.SessionRepository;
import org.opendesk.conversation.SessionState;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.imagent.ImAgentService;
import org.opendesk.imagent.ImAgentSettings;
import org.opendesk.json.Json;
import org.opendesk.message.Message;
import org.opendesk.message.MessageStore;
import org.opendesk.message.MsgBody;
import org.opendesk.message.NewMessage;
import org.opendesk.robot.AnswerService;
import org.opendesk.robot.Library;
import org.opendesk.team.AgentGroup;
import org.opendesk.team.DeskSettings;
import org.opendesk.team.Member;
import org.opendesk.team.MemberStatus;
import org.opendesk.team.TeamService;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;
import org.opendesk.tenant.TenantRegistry;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The human phase of sessions. A request for a human (transfer_to_human, the robot's to-human
 * intent, the group a user picked) is routed in one transaction of its app, which holds the app's
 * message lock like every writer of the app: the session enters the queue (priority, then arrival),
 * and the queue is served at once, each head taking a seat of the eligible member who has gone the
 * longest without a new session (a conditional write: never above capacity). What stays queued is
 * told its position; nobody online means NoAgentOnline. Manual reception offers the session with a
 * durable accept timer; a seat that frees, a member who sets free or a capacity increase serves the
 * queue again. Members work through the {@link Workbench} (the agent API); every change is written
 * with its messages, callback events and agent events in one transaction.
 */
public final class HumanService implements HumanPhase, Workbench {
    private static final Logger LOG = Logger.getLogger(HumanService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String END_AGENT = "AgentEndedSession";
    static final String END_USER = "UserEndedSession";
    static final String END_ABANDONED = "UserAbandonedDuringQueueing";
    /** end_session of a session no member serves (queued, offered, with the robot). */
    static final String END_ADMIN = "EndedByApi";
    /** The seed's EndStatus of a session the user reply timeout ended. */
    static final String END_USER_TIMEOUT = "UserTimeout";
    /** The seed's EndStatus of a session the agent reply timeout ended. */
    static final String END_AGENT_TIMEOUT = "AgentTimeout";
    /** A request for a human recorded in the robot phase is routed at once; its timer is the safety net after a crash. */
    static final long ROUTE_RETRY_MILLIS = 5_000;
    private static final int QUEUE_SCAN = 500;
    public static final int MAX_REST_REASON_CHARS = 64;

    private final DbClient client;
    private final TenantRegistry tenants;
    private final MessageStore store;
    private final ConversationService conversations;
    private final SessionRepository sessions;
    private final SessionEvents events;
    private final ImAgentService imAgents;
    private final TeamService team;
    private final CallbackService callbacks;
    private final AgentEventLog agentEvents;
    private final Clock clock;
    private final Seats seats = new Seats();
    private final Timers timers = new Timers();
    private final WorkdayCalendar calendar = new WorkdayCalendar();
    private final AssignWebhook webhook;
    /** Per app: queue announcements running (0 none, 1 running, 2 running and asked again). */
    private final Map<Long, AtomicInteger> announcing = new ConcurrentHashMap<>();
    /** Per app and member: the queue lengths last pushed to the member's socket. */
    private final Map<String, String> pushedQueues = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile Presence presence;
    private final AnswerService answers;
    /** How many FAQ answers a suggested reply offers. */
    static final int SUGGESTIONS = 3;
    /** How far back a suggested reply looks for the user's last text message. */
    private static final int SUGGEST_LOOKBACK = 50;

    public HumanService(DbClient client, TenantRegistry tenants, MessageStore store, ConversationService conversations,
                        ImAgentService imAgents, TeamService team, CallbackService callbacks, AgentEventLog agentEvents,
                        Clock clock, java.time.Duration webhookTimeout, AnswerService answers) {
        this.answers = answers;
        this.client = client;
        this.tenants = tenants;
        this.store = store;
        this.conversations = conversations;
        this.sessions = conversations.sessions();
        this.events = conversations.events();
        this.imAgents = imAgents;
        this.team = team;
        this.callbacks = callbacks;
        this.agentEvents = agentEvents;
        this.clock = clock;
        this.webhook = new AssignWebhook(clock, webhookTimeout);
        conversations.humanPhase(this);
        // the member serving a session sees the user's messages on its socket (a subscriber of the session events)
        events.subscribe((tx, s, event, m) -> {
            if (event == Event.HUMAN_USER_SEND && m != null && !s.agentId().isEmpty()
                    && (s.state() == SessionState.AGENT || s.state() == SessionState.WAITING_FOR_AGENT)) {
                notify(tx, s.agentId(), "Msg", s.id(), message(m));
            }
        });
        team.onMemberGone(this::memberGone);
    }

    // ---- requests for a human

    /** transfer_to_human's options: explicit targets, and the seed's three switches. */
    public record TransferOptions(List<String> agentIds, long groupId, boolean tipIfNoAgent, boolean checkWorkingHours,
                                  boolean promptOutsideHours) {
    }

    /** What transfer_to_human answers: the member who took the session (or "") and whether it queues. */
    public record TransferResult(String agentId, boolean inQueue, RoutingDecision decision) {
    }

    /** transfer_to_human (Desk API): the session must be open in the robot phase. */
    public TransferResult transferToHuman(Tenant tenant, String sessionId, TransferOptions o) {
        TenantDb db = tenant.db();
        Session s = sessions.byId(db, sessionId).filter(Session::open).orElseThrow(() -> new DeskException(
                DeskError.DESK_SESSION_NOT_FOUND, "session " + sessionId + " does not exist or has ended"));
        if (s.state() != SessionState.CHATBOT) {
            throw new DeskException(DeskError.DESK_CANNOT_TRANSFER, "session " + sessionId + " is already "
                    + describe(s) + "; only a session with the robot can be transferred to a human");
        }
        for (String agent : o.agentIds()) {
            if (team.member(db, agent).isEmpty()) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "AgentIdList: '" + agent + "' is not a member of this"
                        + " app (see get_member_list)");
            }
        }
        if (o.groupId() > 0 && !team.groupExists(db, o.groupId())) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, "AgentGroupId " + o.groupId()
                    + " is not an agent group of this app (see get_agent_group_list)");
        }
        Request request = new Request(o.groupId(), o.agentIds(), Session.Routing.DEFAULT_PRIORITY, o.tipIfNoAgent(),
                o.checkWorkingHours(), o.promptOutsideHours(), o.groupId() > 0 || !o.agentIds().isEmpty());
        RoutingDecision decision = route(tenant, s, request, false);
        String agent = switch (decision) {
            case RoutingDecision.Assigned a -> a.memberId();
            case RoutingDecision.Offered offered -> offered.memberId();
            default -> "";
        };
        return new TransferResult(agent, decision instanceof RoutingDecision.Queued, decision);
    }

    /** How one request is routed: its target, priority and the switches of the prompts. */
    private record Request(long groupId, List<String> agentIds, int priority, boolean tipIfNoAgent,
                           boolean checkWorkingHours, boolean promptOutsideHours, boolean explicit) {
        Request withAnswer(AssignWebhook.Answer a) {
            return new Request(a.groupId(), a.agentIds(), a.priority(), tipIfNoAgent, checkWorkingHours, promptOutsideHours,
                    true);
        }
    }

    @Override
    public void requested(TenantDb tx, Session session, long groupId) {
        long now = clock.millis();
        Session.Routing r = session.routing();
        Session next = session.with(SessionState.CHATBOT, "", r.requested(now, groupId, List.of(), r.priority()));
        if (sessions.save(tx, session, next, now).isEmpty()) {
            throw new IllegalStateException("session " + session.id() + " changed concurrently; retrying");
        }
        timers.cancel(tx, session.id(), Timers.ROUTE);
        timers.schedule(tx, Timers.ROUTE, session.id(), Long.toString(groupId), now + ROUTE_RETRY_MILLIS, now);
    }

    @Override
    public void afterRequest(Tenant tenant, String sessionId) {
        try {
            routeRequested(tenant, sessionId);
        } catch (RuntimeException e) {
            // the route timer routes it again shortly
            LOG.log(Level.WARNING, "routing session " + sessionId + " of app " + tenant.sdkAppId() + " failed; retried", e);
        }
    }

    private void dropTimer(Tenant tenant, long id) {
        tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            timers.claim(tx, id).ifPresent(t -> timers.delete(tx, t.id()));
            return null;
        });
    }

    /** Routes a request recorded in the robot phase (once: the route timer is claimed with it). */
    private void routeRequested(Tenant tenant, String sessionId) {
        Session s = sessions.byId(tenant.db(), sessionId).orElse(null);
        Timers.Timer timer = timers.of(tenant.db(), sessionId, Timers.ROUTE).orElse(null);
        if (timer == null) {
            return; // routed already (another node, the timer)
        }
        if (s == null || s.state() != SessionState.CHATBOT) {
            dropTimer(tenant, timer.id()); // the session moved on (routed through transfer_to_human, ended)
            return;
        }
        long group = parseLong(timer.ref());
        if (group > 0 && !team.groupExists(tenant.db(), group)) {
            group = 0;
        }
        // a request of the user (the robot phase) always meets the account's working hours
        route(tenant, s, new Request(group, List.of(), s.routing().priority(), true, true, true, group > 0), true);
    }

    private boolean withinWorkingHours(TenantDb db, ImAgentSettings account, DeskSettings settings, long now) {
        ImAgentSettings.WorkTimeConfig config = account.workTimeConfig();
        WorkingHours.Workdays days = WorkingHours.usesCalendar(config)
                ? calendar.around(db, Instant.ofEpochMilli(now).atZone(settings.zone()).toLocalDate())
                : WorkingHours::usualWorkday;
        return WorkingHours.within(config, settings.zone(), now, days);
    }

    /** Sets and removes dates of the app's legal-workday calendar (update_workday_calendar). */
    public void updateCalendar(Tenant tenant, List<WorkdayCalendar.Day> days, List<LocalDate> removed) {
        long now = clock.millis();
        tenant.db().inTransaction(tx -> {
            calendar.set(tx, days, removed, now);
            return null;
        });
    }

    /** The app's calendar dates from one date to another, both included (get_workday_calendar). */
    public List<WorkdayCalendar.Day> calendar(Tenant tenant, LocalDate from, LocalDate to) {
        return calendar.between(tenant.db(), from, to);
    }

    /**
     * Routes one request: working hours, the account's strategy (the business server's answer, the
     * user's choice of a group), then the routing transaction. {@code viaTimer}: the request was
     * recorded with a route timer, claimed (and so done once) by the transaction.
     */
    private RoutingDecision route(Tenant tenant, Session s, Request request, boolean viaTimer) {
        ImAgentSettings account = account(tenant.db(), s);
        long now = clock.millis();
        DeskSettings settings = team.liveSettings(tenant.db());
        if (request.checkWorkingHours() && account != null && !withinWorkingHours(tenant.db(), account, settings, now)) {
            return write(tenant, s, viaTimer, (tx, cur) -> {
                if (request.promptOutsideHours()) {
                    say(tx, cur, prompt(account.notWorkTimePrompt(), account.notWorkTimePromptMultilingual(), cur));
                }
                clearRequest(tx, cur);
                return new RoutingDecision.OutsideWorkingHours();
            });
        }
        int strategy = account == null || account.assignmentStrategy() == null ? 0 : account.assignmentStrategy();
        Request effective = request;
        if (!request.explicit() && strategy == 2 && account.assignedByWebhookUrl() != null
                && !account.assignedByWebhookUrl().isBlank()) {
            Optional<AssignWebhook.Answer> answer = webhook.ask(tenant.sdkAppId(), account.assignedByWebhookUrl(),
                    callbacks.liveSettings(tenant.db()), s.id(), s.userId(), s.customerServiceId());
            if (answer.isPresent() && answer.get().denied()) {
                return write(tenant, s, viaTimer, (tx, cur) -> {
                    say(tx, cur, prompt(account.transferToHumanFailPrompt(), account.transferToHumanFailPromptMultilingual(),
                            cur));
                    clearRequest(tx, cur);
                    return new RoutingDecision.Denied();
                });
            }
            if (answer.isPresent()) {
                effective = usable(tenant.db(), request.withAnswer(answer.get()), s);
            }
        }
        if (!effective.explicit() && strategy == 1 && account.displayGroupsChoices() != null
                && !account.displayGroupsChoices().isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Long id : account.displayGroupsChoices()) {
                team.group(tenant.db(), id).map(AgentGroup::name).ifPresent(names::add);
            }
            if (!names.isEmpty()) {
                return write(tenant, s, viaTimer, (tx, cur) -> {
                    String header = prompt(account.chooseSkillGroupPrompt(), account.chooseSkillGroupPromptMultilingual(), cur);
                    send(tx, cur, Protocol.branch(header.isEmpty() ? "请选择您要咨询的服务" : header, names, ""));
                    Session next = cur.with(SessionState.CHATBOT, "", cur.routing().choosingGroup(true));
                    save(tx, cur, next);
                    return new RoutingDecision.ChoosingGroup();
                });
            }
        }
        Request chosen = effective;
        RoutingDecision decision = write(tenant, s, viaTimer, (tx, cur) -> routeInTransaction(tx, cur, chosen, account));
        if (decision instanceof RoutingDecision.Queued) {
            announce(tenant);
        }
        return decision;
    }

    /** The business server's answer, without what is not usable (unknown group or members: logged, left out). */
    private Request usable(TenantDb db, Request r, Session s) {
        long group = r.groupId();
        if (group > 0 && !team.groupExists(db, group)) {
            LOG.warning("ChatBot.OnAssignHuman for session " + s.id() + " named AgentGroupId " + group
                    + ", which is no agent group of the app; ignored");
            group = 0;
        }
        List<String> agents = new ArrayList<>();
        for (String a : r.agentIds()) {
            if (team.member(db, a).isPresent()) {
                agents.add(a);
            } else {
                LOG.warning("ChatBot.OnAssignHuman for session " + s.id() + " named " + a + ", who is no member; ignored");
            }
        }
        return new Request(group, agents, r.priority(), r.tipIfNoAgent(), r.checkWorkingHours(), r.promptOutsideHours(),
                group > 0 || !agents.isEmpty());
    }

    private interface Work {
        RoutingDecision run(TenantDb tx, Session current);
    }

    /**
     * Runs routing work for a session in a transaction of its app (message lock first, the session
     * re-read at its current version); with {@code viaTimer} only if the route timer is still there (then
     * it goes with the work). A session no longer with the robot answers what it is now.
     */
    private RoutingDecision write(Tenant tenant, Session s, boolean viaTimer, Work work) {
        RoutingDecision decision = tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            Session cur = sessions.byId(tx, s.id()).orElse(null);
            if (viaTimer) {
                Optional<Timers.Timer> timer = timers.of(tx, s.id(), Timers.ROUTE).flatMap(t -> timers.claim(tx, t.id()));
                if (timer.isEmpty()) {
                    return null;
                }
                timers.delete(tx, timer.get().id());
            } else {
                timers.cancel(tx, s.id(), Timers.ROUTE); // routed now, whatever the robot phase asked meanwhile
            }
            if (cur == null || cur.state() != SessionState.CHATBOT) {
                return cur == null ? new RoutingDecision.Denied() : current(cur);
            }
            return work.run(tx, cur);
        });
        store.committed(tenant);
        agentEvents.committed(tenant);
        return decision == null ? current(sessions.byId(tenant.db(), s.id()).orElse(s)) : decision;
    }

    /** What a session's state says about its routing, for a request that finds it routed already. */
    private static RoutingDecision current(Session s) {
        return switch (s.state()) {
            case AGENT -> new RoutingDecision.Assigned(s.agentId(), "");
            case WAITING_FOR_AGENT -> new RoutingDecision.Offered(s.agentId(), s.routing().offerDeadline());
            case QUEUEING -> new RoutingDecision.Queued(s.routing().announcedPosition());
            default -> new RoutingDecision.NoAgentOnline();
        };
    }

    /** The routing transaction: TransferringToHuman, then assigned, offered, queued or nobody online. */
    private RoutingDecision routeInTransaction(TenantDb tx, Session cur, Request request, ImAgentSettings account) {
        long now = clock.millis();
        events.emit(tx, cur, Event.TRANSFERRING);
        if (account != null) {
            say(tx, cur, prompt(account.transferToHumanPrompt(), account.transferToHumanPromptMultilingual(), cur));
        }
        Target target = target(request.groupId(), request.agentIds(), account);
        List<Seats.Candidate> candidates = candidates(tx, target, null);
        if (!RoutingPolicy.anyOnline(candidates)) {
            if (request.tipIfNoAgent() && account != null) {
                say(tx, cur, prompt(account.transferToHumanFailPrompt(), account.transferToHumanFailPromptMultilingual(), cur));
            }
            Session after = clearRequest(tx, cur);
            events.emit(tx, after, Event.NO_AGENT_ONLINE);
            return new RoutingDecision.NoAgentOnline();
        }
        // into the queue in its order, then the queue is served: a free seat goes to whoever is first
        long seq = store.lock(tx);
        Session.Routing routing = cur.routing().requested(cur.routing().transferRequestedAt() > 0
                ? cur.routing().transferRequestedAt() : now, target.groupId(), target.agentIds(), request.priority())
                .queued(seq, request.priority());
        Session queued = save(tx, cur, cur.with(SessionState.QUEUEING, "", routing));
        serveQueue(tx, team.liveSettings(tx));
        Session after = sessions.byId(tx, cur.id()).orElseThrow();
        return switch (after.state()) {
            case AGENT -> new RoutingDecision.Assigned(after.agentId(), "");
            case WAITING_FOR_AGENT -> new RoutingDecision.Offered(after.agentId(), after.routing().offerDeadline());
            default -> {
                int position = sessions.positionOf(tx, after);
                events.emit(tx, after, Event.TRANSFERRING_WAIT);
                sayQueueing(tx, after, account, position);
                sessions.announced(tx, after.id(), position);
                yield new RoutingDecision.Queued(position);
            }
        };
    }

    /** Who may take a session: named members, else a group (the request's or the account's), else everyone. */
    private record Target(long groupId, List<String> agentIds) {
    }

    private static Target target(long groupId, List<String> agentIds, ImAgentSettings account) {
        if (!agentIds.isEmpty()) {
            return new Target(0, agentIds);
        }
        if (groupId > 0) {
            return new Target(groupId, List.of());
        }
        long accountGroup = account == null || account.agentGroupId() == null ? 0 : account.agentGroupId();
        return new Target(accountGroup, List.of());
    }

    /** The candidates of a target (read once per group within a transaction through {@code cache}). */
    private List<Seats.Candidate> candidates(TenantDb tx, Target t, Map<Object, List<Seats.Candidate>> cache) {
        if (!t.agentIds().isEmpty()) {
            List<Seats.Candidate> all = cache == null ? seats.all(tx) : cache.computeIfAbsent("all", k -> seats.all(tx));
            Set<String> wanted = new HashSet<>(t.agentIds());
            return all.stream().filter(c -> wanted.contains(c.memberId())).toList();
        }
        if (t.groupId() > 0) {
            return cache == null ? seats.ofGroup(tx, t.groupId()) : cache.computeIfAbsent(t.groupId(), g -> seats.ofGroup(tx, t.groupId()));
        }
        return cache == null ? seats.all(tx) : cache.computeIfAbsent("all", k -> seats.all(tx));
    }

    private Session clearRequest(TenantDb tx, Session cur) {
        Session.Routing r = cur.routing();
        return save(tx, cur, cur.with(SessionState.CHATBOT, "", new Session.Routing(r.priority(), 0, 0, List.of(), List.of(),
                0, false, 0, 0, 0)));
    }

    // ---- the queue

    /**
     * Serves the queue in its order: each queued session takes a seat of its first eligible member,
     * while any seat is free. Answers how many sessions were assigned or offered.
     */
    private int serveQueue(TenantDb tx, DeskSettings settings) {
        int assigned = 0;
        Map<Object, List<Seats.Candidate>> cache = new HashMap<>();
        Map<String, Integer> taken = new HashMap<>();
        cache.put("all", seats.all(tx));
        if (!anyFreeSeat(cache.get("all"), taken, settings.maxSessionsPerAgent())) {
            return 0;
        }
        for (Session q : sessions.queued(tx, QUEUE_SCAN)) {
            Target target = new Target(q.routing().targetGroup(), q.routing().targetAgents());
            List<Seats.Candidate> eligible = RoutingPolicy.eligible(withTaken(candidates(tx, target, cache), taken),
                    settings.maxSessionsPerAgent(), new HashSet<>(q.routing().passedAgents()));
            for (Seats.Candidate c : eligible) {
                if (seats.claim(tx, c.memberId(), settings.maxSessionsPerAgent(), clock.millis(), List.of(MemberStatus.FREE))) {
                    taken.merge(c.memberId(), 1, Integer::sum);
                    assign(tx, q, c, settings);
                    assigned++;
                    break;
                }
            }
            if (!anyFreeSeat(cache.get("all"), taken, settings.maxSessionsPerAgent())) {
                break;
            }
        }
        return assigned;
    }

    /** The candidates with the seats this transaction took since it read them, and the latest assignment first. */
    private List<Seats.Candidate> withTaken(List<Seats.Candidate> candidates, Map<String, Integer> taken) {
        if (taken.isEmpty()) {
            return candidates;
        }
        long now = clock.millis();
        return candidates.stream().map(c -> taken.containsKey(c.memberId()) ? new Seats.Candidate(c.memberId(), c.nickName(),
                c.status(), c.activeSessions() + taken.get(c.memberId()), now, c.forcedOffline()) : c).toList();
    }

    private static boolean anyFreeSeat(List<Seats.Candidate> members, Map<String, Integer> taken, int capacity) {
        for (Seats.Candidate c : members) {
            if (c.online() && c.status() == MemberStatus.FREE
                    && c.activeSessions() + taken.getOrDefault(c.memberId(), 0) < capacity) {
                return true;
            }
        }
        return false;
    }

    /** A seat was taken for a queued session: assigned (automatic reception) or offered until the deadline (manual). */
    private void assign(TenantDb tx, Session q, Seats.Candidate member, DeskSettings settings) {
        long now = clock.millis();
        if (settings.manual()) {
            long deadline = now + settings.acceptTimeoutSeconds() * 1000L;
            Session offered = save(tx, q, q.with(SessionState.WAITING_FOR_AGENT, member.memberId(), q.routing().offered(deadline)));
            timers.schedule(tx, Timers.ACCEPT, q.id(), member.memberId(), deadline, now);
            ObjectNode p = sessionPayload(offered);
            p.put("AcceptDeadline", deadline);
            notify(tx, member.memberId(), "Offered", q.id(), p);
        } else {
            Session served = save(tx, q, q.with(SessionState.AGENT, member.memberId(), q.routing().accepted(now)));
            connected(tx, served, member.nickName(), "");
        }
    }

    /** A member now serves the session: the success prompt with its nickname, src 26 inSeat, the events. */
    private void connected(TenantDb tx, Session served, String nick, String forwardFrom) {
        ImAgentSettings account = account(tx, served);
        if (account != null) {
            String text = prompt(account.transferToHumanSuccessPrompt(), account.transferToHumanSuccessPromptMultilingual(),
                    served).replace("${StaffNickName}", nick);
            say(tx, served, text);
        }
        send(tx, served, Protocol.seatStatus(true));
        if (forwardFrom.isEmpty()) {
            events.emit(tx, served, Event.TRANSFER_SUCCESS);
        } else {
            events.emit(tx, served, Event.AGENT_FORWARD, null, forwardFrom);
        }
        ObjectNode p = sessionPayload(served);
        p.put("ForwardFromAgentId", forwardFrom);
        notify(tx, served.agentId(), "Assigned", served.id(), p);
    }

    /** Serves the queue of an app after a seat freed, a member set free or the capacity grew; then tells positions. */
    @Override
    public void afterSeatFreed(Tenant tenant) {
        dispatch(tenant);
    }

    /** Serves the app's queue (any node may; the transactions serialise on the app's lock) and announces positions. */
    public int dispatch(Tenant tenant) {
        int assigned = tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            return serveQueue(tx, team.liveSettings(tx));
        });
        store.committed(tenant);
        agentEvents.committed(tenant);
        announce(tenant);
        return assigned;
    }

    /**
     * Queue positions per lane (sessions that compete for the same members), from 1, in the order
     * the queue is served.
     */
    static Map<String, Integer> positions(List<Session> queued) {
        Map<String, Integer> lanes = new HashMap<>();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Session q : queued) {
            String lane = q.routing().targetGroup() + "/" + String.join(",", q.routing().targetAgents());
            out.put(q.id(), lanes.merge(lane, 1, Integer::sum));
        }
        return out;
    }

    /**
     * Tells every queued user whose position changed its new position (QueueingPrompt), and members
     * the queue lengths of their groups, in the background. Calls for one app coalesce: one pass
     * runs, and runs once more if asked meanwhile.
     */
    public void announce(Tenant tenant) {
        if (closed) {
            return; // the server is stopping: the positions are told by the next start's pass
        }
        AtomicInteger state = announcing.computeIfAbsent(tenant.sdkAppId(), k -> new AtomicInteger());
        if (state.getAndUpdate(v -> v == 0 ? 1 : 2) != 0) {
            return; // the running one goes again
        }
        // off the caller's thread: a request that moved the queue does not wait for every user to be told
        Thread.ofVirtual().name("queue-announce-" + tenant.sdkAppId()).start(() -> {
            try {
                while (true) {
                    announceOnce(tenant);
                    if (state.compareAndSet(1, 0)) {
                        return;
                    }
                    state.set(1); // asked again meanwhile
                }
            } catch (RuntimeException e) {
                state.set(0);
                LOG.log(closed ? Level.FINE : Level.WARNING, "announcing queue positions of app " + tenant.sdkAppId()
                        + " failed; the next pass retries", e);
            }
        });
    }

    private void announceOnce(Tenant tenant) {
        List<Session> snapshot = sessions.queued(tenant.db(), QUEUE_SCAN);
        Map<String, Integer> seen = positions(snapshot);
        boolean changed = snapshot.stream().anyMatch(q -> q.routing().announcedPosition() != seen.get(q.id()));
        if (changed) {
            tenant.db().inGroupTransaction(tx -> {
                store.lock(tx);
                List<Session> queued = sessions.queued(tx, QUEUE_SCAN);
                Map<String, Integer> positions = positions(queued);
                for (Session q : queued) {
                    int position = positions.get(q.id());
                    if (q.routing().announcedPosition() != position) {
                        sayQueueing(tx, q, account(tx, q), position);
                        sessions.announced(tx, q.id(), position);
                    }
                }
                return null;
            });
            store.committed(tenant);
        }
        pushQueueLengths(tenant, snapshot);
    }

    /** Members online get the queue lengths of their groups when they changed (an event on their socket). */
    private void pushQueueLengths(Tenant tenant, List<Session> queued) {
        Map<Long, Integer> byGroup = new HashMap<>();
        for (Session q : queued) {
            byGroup.merge(q.routing().targetGroup(), 1, Integer::sum);
        }
        List<Seats.Candidate> online = seats.all(tenant.db()).stream().filter(Seats.Candidate::online).toList();
        Map<String, ObjectNode> changes = new LinkedHashMap<>();
        for (Seats.Candidate c : online) {
            ObjectNode p = Json.mapper().createObjectNode();
            p.put("Total", queued.size());
            var groups = p.putArray("Groups");
            for (Long g : team.groupsOf(tenant.db(), c.memberId())) {
                groups.addObject().put("AgentGroupId", g).put("Length", byGroup.getOrDefault(g, 0));
            }
            String key = tenant.sdkAppId() + "/" + c.memberId();
            String text = MsgBody.write(p);
            if (!text.equals(pushedQueues.put(key, text))) {
                changes.put(c.memberId(), p);
            }
        }
        if (!changes.isEmpty()) {
            tenant.db().inGroupTransaction(tx -> {
                changes.forEach((member, p) -> notify(tx, member, "QueueLength", "", p));
                return null;
            });
            agentEvents.committed(tenant);
        }
    }

    private void sayQueueing(TenantDb tx, Session q, ImAgentSettings account, int position) {
        if (account == null) {
            return;
        }
        String text = prompt(account.queueingPrompt(), account.queueingPromptMultilingual(), q)
                .replace("${QueuePosition}", Integer.toString(position)).replace("${WaitNo}", Integer.toString(position - 1));
        say(tx, q, text);
    }

    // ---- queued users who go offline

    /** Listens to the visitor sockets' presence: a queued user offline too long loses the place. */
    public void watch(Presence presence) {
        this.presence = presence;
        presence.listen(new Presence.Listener() {
            @Override
            public void cameOnline(Tenant tenant, String userId) {
                queuedUserBack(tenant, userId);
            }

            @Override
            public void wentOffline(Tenant tenant, String userId) {
                queuedUserGone(tenant, userId);
            }
        });
    }

    /**
     * A user's last visitor socket closed: each of its queued sessions gets a durable timer of the
     * desk's QueueOfflineTimeout (0: none); coming back online cancels them.
     */
    private void queuedUserGone(Tenant tenant, String userId) {
        int seconds = team.liveSettings(tenant.db()).queueOfflineTimeoutSeconds();
        if (seconds <= 0 || sessions.queuedOf(tenant.db(), userId).isEmpty()) {
            return;
        }
        tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            long now = clock.millis();
            for (Session s : sessions.queuedOf(tx, userId)) {
                if (timers.of(tx, s.id(), Timers.QUEUE_OFFLINE).isEmpty()) {
                    timers.schedule(tx, Timers.QUEUE_OFFLINE, s.id(), userId, now + seconds * 1000L, now);
                }
            }
            return null;
        });
    }

    private void queuedUserBack(Tenant tenant, String userId) {
        if (sessions.queuedOf(tenant.db(), userId).isEmpty()) {
            return;
        }
        tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            for (Session s : sessions.queuedOf(tx, userId)) {
                timers.cancel(tx, s.id(), Timers.QUEUE_OFFLINE);
            }
            return null;
        });
    }

    /** Still queued and still offline: SessionPendingAutoFinishEnd; the users behind move up. */
    private boolean queuedUserTimedOut(TenantDb tx, Timers.Timer t) {
        Session s = sessions.byId(tx, t.sessionId()).orElse(null);
        if (s == null || s.state() != SessionState.QUEUEING || presence != null && presence.online(tx, s.userId())) {
            return false;
        }
        end(tx, s, END_ABANDONED, Event.PENDING_AUTO_FINISH);
        return true; // positions change
    }

    /** The server is stopping: no new background announcements (the writes in flight finish). */
    public void close() {
        closed = true;
    }

    // ---- timers

    /** Fires the timers that are due (accept timeouts, route requests left by a crash); answers how many fired. */
    public int fireDueTimers() {
        int fired = 0;
        for (Timers.Due due : Timers.due(client, clock.millis(), 100)) {
            Tenant tenant = tenants.find(due.sdkAppId()).orElse(null);
            if (tenant == null) {
                continue;
            }
            try {
                fired += fire(tenant, due.id()) ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "timer " + due.id() + " of app " + due.sdkAppId() + " failed; retried", e);
            }
        }
        return fired;
    }

    private boolean fire(Tenant tenant, long timerId) {
        Optional<Timers.Timer> routeTimer = timers.byId(tenant.db(), timerId).filter(t -> Timers.ROUTE.equals(t.kind()));
        if (routeTimer.isPresent()) {
            routeRequested(tenant, routeTimer.get().sessionId()); // claims it inside its own transaction
            return true;
        }
        Boolean freed = tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            Timers.Timer t = timers.claim(tx, timerId).orElse(null);
            if (t == null) {
                return null;
            }
            timers.delete(tx, t.id());
            if (Timers.ACCEPT.equals(t.kind())) {
                return acceptTimedOut(tx, t);
            }
            if (Timers.USER_REPLY.equals(t.kind())) {
                return userTimedOut(tx, t);
            }
            if (Timers.AGENT_REPLY.equals(t.kind())) {
                return agentTimedOut(tx, t);
            }
            if (Timers.QUEUE_OFFLINE.equals(t.kind())) {
                return queuedUserTimedOut(tx, t);
            }
            return false;
        });
        store.committed(tenant);
        agentEvents.committed(tenant);
        if (Boolean.TRUE.equals(freed)) {
            dispatch(tenant);
        }
        return freed != null;
    }

    /** The member did not accept in time: MemberAccessTimeout, rest if the desk says so, and the session moves on. */
    private boolean acceptTimedOut(TenantDb tx, Timers.Timer t) {
        Session s = sessions.byId(tx, t.sessionId()).orElse(null);
        if (s == null || s.state() != SessionState.WAITING_FOR_AGENT || !s.agentId().equals(t.ref())) {
            return false;
        }
        events.emit(tx, s, Event.MEMBER_ACCESS_TIMEOUT);
        seats.release(tx, t.ref());
        ObjectNode p = sessionPayload(s);
        p.put("Reason", "AcceptTimeout");
        notify(tx, t.ref(), "OfferWithdrawn", s.id(), p);
        DeskSettings settings = team.liveSettings(tx);
        if (settings.restAfterAcceptTimeout()) {
            team.updateStatus(tx, t.ref(), MemberStatus.REST, "AcceptTimeout");
            statusNotice(tx, t.ref(), MemberStatus.REST, "AcceptTimeout", "system");
        }
        requeue(tx, s, s.routing().passedBy(t.ref()));
        return true;
    }

    /** Back into the queue at its place (its arrival is kept), without a member. */
    private void requeue(TenantDb tx, Session s, Session.Routing routing) {
        long seq = routing.queueSeq() > 0 ? routing.queueSeq() : store.lock(tx);
        save(tx, s, s.with(SessionState.QUEUEING, "", routing.queued(seq, routing.priority())));
    }

    // ---- the user in the human phase

    @Override
    public boolean onUserMessage(TenantDb tx, Session session, Message m, String src) {
        if (Protocol.TYPING.equals(src) || m.onlineOnly()) {
            if (session.state() == SessionState.AGENT && Protocol.TYPING.equals(src)) {
                notify(tx, session.agentId(), "UserTyping", session.id(), sessionPayload(session));
            }
            return false;
        }
        if (Protocol.SESSION_START.equals(src)) {
            // the user (re)opens the conversation: the rating rules and whether a member is connected
            send(tx, session, Protocol.ratingRules(conversations.ratings().ruleFlags(tx)));
            send(tx, session, Protocol.seatStatus(session.state() == SessionState.AGENT));
            return false;
        }
        if (Protocol.USER_END.equals(src)) {
            return end(tx, session, session.state() == SessionState.QUEUEING ? END_ABANDONED : END_USER, Event.USER_END);
        }
        events.emit(tx, session, Event.HUMAN_USER_SEND, m);
        if (session.state() == SessionState.AGENT) {
            timers.cancel(tx, session.id(), Timers.USER_REPLY); // the user answered
            startAgentCountdown(tx, session, false);
        }
        return false;
    }

    @Override
    public void onAccountMessage(TenantDb tx, Session session, Message m, boolean excludeFromTimeout) {
        if (!excludeFromTimeout && !m.onlineOnly()) {
            timers.cancel(tx, session.id(), Timers.AGENT_REPLY); // answered
            startUserCountdown(tx, session);
        }
    }

    /**
     * The agent reply timeout (our desk setting AgentReplyTimeout, 0 off): a user message in a served,
     * unsuspended session starts it unless it runs already (the user waits since the first unanswered
     * message); a message of the account side stops it. {@code afresh}: from now, replacing a running one.
     */
    private void startAgentCountdown(TenantDb tx, Session s, boolean afresh) {
        if (afresh) {
            timers.cancel(tx, s.id(), Timers.AGENT_REPLY);
        }
        if (s.state() != SessionState.AGENT || s.marks().suspended()) {
            return;
        }
        int seconds = team.liveSettings(tx).agentReplyTimeoutSeconds();
        if (seconds > 0 && (afresh || timers.of(tx, s.id(), Timers.AGENT_REPLY).isEmpty())) {
            long now = clock.millis();
            timers.schedule(tx, Timers.AGENT_REPLY, s.id(), s.agentId(), now + seconds * 1000L, now);
        }
    }

    /** The user's message waited too long for an answer: SessionAgentTimeoutEnd, EndPrompt, src 20. */
    private boolean agentTimedOut(TenantDb tx, Timers.Timer t) {
        Session s = sessions.byId(tx, t.sessionId()).orElse(null);
        if (s == null || s.state() != SessionState.AGENT || s.marks().suspended()) {
            return false;
        }
        return end(tx, s, END_AGENT_TIMEOUT, Event.AGENT_TIMEOUT_END, true, false);
    }

    /**
     * The user reply timeout (rule 66): after a message of the account side (the member's, or
     * send_msg without ExcludeFromUserRespTimeout) in a served session, the account's UserTimeout
     * counts down from that message; a user message stops it; a suspended session, or one whose
     * UserTimeoutSwitch is 0, has none. One durable timer per session, replaced by each message.
     */
    private void startUserCountdown(TenantDb tx, Session s) {
        timers.cancel(tx, s.id(), Timers.USER_REPLY);
        if (s.state() != SessionState.AGENT || s.marks().suspended() || !s.marks().userTimeoutOn()) {
            return;
        }
        ImAgentSettings account = account(tx, s);
        int seconds = account == null || account.userTimeout() == null ? 0 : account.userTimeout();
        if (seconds > 0) {
            long now = clock.millis();
            timers.schedule(tx, Timers.USER_REPLY, s.id(), s.agentId(), now + seconds * 1000L, now);
        }
    }

    /**
     * Suspended, switched off, or back: the countdown stops, or starts afresh when the user has not
     * answered the account side's last counted message.
     */
    private void recountUserReply(TenantDb tx, Session s) {
        timers.cancel(tx, s.id(), Timers.USER_REPLY);
        if (s.state() == SessionState.AGENT && !s.marks().suspended() && s.marks().userTimeoutOn()
                && awaitsUser(tx, s)) {
            startUserCountdown(tx, s);
        }
    }

    /** Suspended or back: the agent countdown stops, or starts afresh when the user's message is unanswered. */
    private void recountAgentReply(TenantDb tx, Session s) {
        timers.cancel(tx, s.id(), Timers.AGENT_REPLY);
        if (s.state() == SessionState.AGENT && !s.marks().suspended() && awaitsAgent(tx, s)) {
            startAgentCountdown(tx, s, true);
        }
    }

    /** Whether the newest counted conversational message (Desk protocol messages aside) is the account side's. */
    private boolean awaitsUser(TenantDb tx, Session s) {
        return lastSpeaker(tx, s).map(from -> !from.equals(s.userId())).orElse(false);
    }

    /** Whether the newest counted conversational message is the user's. */
    private boolean awaitsAgent(TenantDb tx, Session s) {
        return lastSpeaker(tx, s).map(from -> from.equals(s.userId())).orElse(false);
    }

    private Optional<String> lastSpeaker(TenantDb tx, Session s) {
        for (Message m : store.countedOfSession(tx, s.id(), 20)) {
            if (Protocol.src(MsgBody.parse(m.body())) == null) {
                return Optional.of(m.from());
            }
        }
        return Optional.empty();
    }

    /** The user did not answer in time: SessionUserTimeoutEnd, TimeoutEndPrompt, src 20; answers whether a seat was freed. */
    private boolean userTimedOut(TenantDb tx, Timers.Timer t) {
        Session s = sessions.byId(tx, t.sessionId()).orElse(null);
        if (s == null || s.state() != SessionState.AGENT || s.marks().suspended() || !s.marks().userTimeoutOn()) {
            return false;
        }
        return end(tx, s, END_USER_TIMEOUT, Event.USER_TIMEOUT_END, true, true);
    }

    @Override
    public void onEdited(TenantDb tx, Session session, Message message) {
        if (!session.agentId().isEmpty() && session.state() != SessionState.QUEUEING) {
            notify(tx, session.agentId(), "MsgModified", session.id(), message(message));
        }
    }

    @Override
    public long chosenGroup(Tenant tenant, Session session, String text) {
        ImAgentSettings account = account(tenant.db(), session);
        if (account == null || account.displayGroupsChoices() == null) {
            return 0;
        }
        for (Long id : account.displayGroupsChoices()) {
            Optional<AgentGroup> g = team.group(tenant.db(), id);
            if (g.isPresent() && g.get().name().equals(text)) {
                return id;
            }
        }
        return 0;
    }

    /**
     * Ends a session of the human phase: EndPrompt, src 19, src 26 outSeat, the events, the member's
     * seat and timers freed. Answers whether a seat was freed.
     */
    private boolean end(TenantDb tx, Session s, String reason, Event who) {
        return end(tx, s, reason, who, false, false);
    }

    /**
     * {@link #end}; a timeout sends src 20 instead of src 19, and with {@code timeoutPrompt} (the user
     * did not answer) TimeoutEndPrompt instead of EndPrompt.
     */
    private boolean end(TenantDb tx, Session s, String reason, Event who, boolean timeout, boolean timeoutPrompt) {
        long now = clock.millis();
        boolean withMember = s.state() == SessionState.AGENT || s.state() == SessionState.WAITING_FOR_AGENT;
        boolean seat = withMember && s.holdsSeat();
        Session ended = sessions.save(tx, s, s.ending(reason), now).orElseThrow(
                () -> new IllegalStateException("session " + s.id() + " changed concurrently; retrying"));
        ImAgentSettings account = account(tx, s);
        if (account != null) {
            say(tx, ended, timeoutPrompt ? prompt(account.timeoutEndPrompt(), account.timeoutEndPromptMultilingual(), ended)
                    : prompt(account.endPrompt(), account.endPromptMultilingual(), ended));
        }
        send(tx, ended, Protocol.ended(timeout));
        if (withMember) {
            send(tx, ended, Protocol.seatStatus(false));
            if (seat) {
                seats.release(tx, s.agentId());
            }
            ObjectNode p = sessionPayload(ended);
            p.put("EndReason", reason);
            notify(tx, s.agentId(), s.state() == SessionState.AGENT ? "SessionEnded" : "OfferWithdrawn", s.id(), p);
        }
        timers.cancelAll(tx, s.id());
        if (who != null) {
            events.emit(tx, ended, who);
        }
        events.emit(tx, ended, Event.SESSION_END);
        if (s.state() == SessionState.AGENT) {
            conversations.ratings().onEnded(tx, ended); // the rating card, when the settings send it at the end
        }
        return seat;
    }

    // ---- members at the workbench

    @Override
    public void setStatus(Tenant tenant, String memberId, MemberStatus status, String restReason) {
        if (restReason != null && restReason.strip().length() > MAX_REST_REASON_CHARS) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, "RestReason is longer than " + MAX_REST_REASON_CHARS
                    + " characters");
        }
        boolean serve = tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            Member m = team.member(tx, memberId).orElseThrow(() -> new DeskException(DeskError.DESK_INVALID_PARAM,
                    "no member " + memberId));
            team.updateStatus(tx, memberId, status, restReason == null ? "" : restReason.strip());
            statusNotice(tx, memberId, status, status == MemberStatus.REST ? restReason : "", "self");
            boolean withdrew = status == MemberStatus.OFFLINE && withdrawOffers(tx, memberId, "MemberOffline");
            return withdrew || (status == MemberStatus.FREE && m.status() != MemberStatus.FREE);
        });
        store.committed(tenant);
        agentEvents.committed(tenant);
        if (serve) {
            dispatch(tenant);
        }
    }

    /** Sessions offered to the member go back to the queue at their place; answers whether there were any. */
    private boolean withdrawOffers(TenantDb tx, String memberId, String reason) {
        boolean any = false;
        for (Session s : sessions.ofAgent(tx, memberId)) {
            if (s.state() == SessionState.WAITING_FOR_AGENT) {
                timers.cancel(tx, s.id(), Timers.ACCEPT);
                seats.release(tx, memberId);
                ObjectNode p = sessionPayload(s);
                p.put("Reason", reason);
                notify(tx, memberId, "OfferWithdrawn", s.id(), p);
                requeue(tx, s, s.routing().offered(0));
                any = true;
            }
        }
        return any;
    }

    /** A member forced offline or deleted: offline, its offers and its sessions go back to the queue. */
    private void memberGone(Tenant tenant, String memberId, boolean deleted) {
        tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            if (!deleted) {
                team.updateStatus(tx, memberId, MemberStatus.OFFLINE, "");
                statusNotice(tx, memberId, MemberStatus.OFFLINE, "", "admin");
            }
            withdrawOffers(tx, memberId, deleted ? "MemberDeleted" : "MemberForcedOffline");
            for (Session s : sessions.ofAgent(tx, memberId)) {
                if (s.state() == SessionState.AGENT) {
                    if (!deleted && s.holdsSeat()) {
                        seats.release(tx, memberId);
                    }
                    if (s.marks().suspended()) {
                        sessions.saveMarks(tx, s.id(), s.marks().suspended(false)); // queued again, it is not suspended
                    }
                    ObjectNode p = sessionPayload(s);
                    p.put("Reason", deleted ? "MemberDeleted" : "MemberForcedOffline");
                    notify(tx, memberId, "TransferredAway", s.id(), p);
                    // served first: it waited already
                    requeue(tx, s, new Session.Routing(0, 0, s.routing().targetGroup(), s.routing().targetAgents(),
                            List.of(memberId), 0, false, s.routing().transferRequestedAt(), 0, 0));
                }
            }
            // the member's open agent sockets, on every node, get this last and are closed
            notify(tx, memberId, AgentEventLog.SIGNED_OUT, "", AgentHub.signedOut(deleted ? "MemberDeleted" : "MemberForcedOffline",
                    deleted ? "member deleted" : "forced offline by an administrator"));
            return null;
        });
        store.committed(tenant);
        agentEvents.committed(tenant);
        dispatch(tenant);
    }

    @Override
    public List<SessionView> sessions(Tenant tenant, String memberId) {
        return sessions.ofAgent(tenant.db(), memberId).stream().map(HumanService::view).toList();
    }

    @Override
    public void accept(Tenant tenant, String memberId, String sessionId) {
        tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            Session s = mine(tx, memberId, sessionId);
            if (s.state() != SessionState.WAITING_FOR_AGENT) {
                throw new DeskException(DeskError.DESK_CANNOT_FORWARD, "session " + sessionId + " is " + describe(s)
                        + "; only a session offered to you can be accepted");
            }
            timers.cancel(tx, s.id(), Timers.ACCEPT);
            Session served = save(tx, s, s.with(SessionState.AGENT, memberId, s.routing().accepted(clock.millis())));
            connected(tx, served, nick(tx, memberId), "");
            return null;
        });
        store.committed(tenant);
        agentEvents.committed(tenant);
    }

    @Override
    public MessagePage messages(Tenant tenant, String memberId, String sessionId, boolean newestFirst, int offset, int limit) {
        Session s = sessions.byId(tenant.db(), sessionId).filter(x -> x.agentId().equals(memberId)).orElseThrow(
                () -> notYours(sessionId));
        ConversationService.Page page = conversations.messages(tenant, s.id(), newestFirst, offset, limit);
        return new MessagePage(page.total(), page.messages());
    }

    @Override
    public Sent send(Tenant tenant, String memberId, String sessionId, long random, String body, String cloudCustomData) {
        MessageStore.Stored stored = tenant.db().inGroupTransaction(tx -> {
            long seq = store.lock(tx);
            Session s = served(tx, memberId, sessionId);
            MessageStore.Stored st = store.store(tx, new NewMessage(s.customerServiceId(), s.userId(), random, body,
                    cloudCustomData, s.id(), Message.Role.AGENT, false, false, true, false), seq);
            if (!st.duplicate()) {
                sessions.touch(tx, s.id(), st.message().time());
                events.emit(tx, s, Event.HUMAN_AGENT_SEND, st.message());
                timers.cancel(tx, s.id(), Timers.AGENT_REPLY); // answered
                startUserCountdown(tx, s);
            }
            return st;
        });
        store.committed(tenant);
        agentEvents.committed(tenant);
        return new Sent(stored.message().key(), stored.message().seq(), stored.message().time());
    }

    @Override
    public Suggested suggestReply(Tenant tenant, String memberId, String sessionId) {
        Session s = sessions.byId(tenant.db(), sessionId).filter(Session::open).filter(x -> x.agentId().equals(memberId))
                .orElseThrow(() -> notYours(sessionId));
        if (s.state() != SessionState.AGENT) {
            throw new DeskException(DeskError.DESK_CANNOT_FORWARD, "session " + sessionId + " is " + describe(s)
                    + "; accept it first");
        }
        Message last = conversations.messages(tenant, s.id(), true, 0, SUGGEST_LOOKBACK).messages().stream()
                .filter(m -> m.role() == Message.Role.USER && !m.onlineOnly())
                .filter(m -> MsgBody.firstText(MsgBody.parse(m.body())).filter(t -> !t.isBlank()).isPresent())
                .findFirst().orElseThrow(() -> new DeskException(DeskError.DESK_CANNOT_FORWARD, "the user has written no"
                        + " text in session " + sessionId + " yet: there is nothing to suggest a reply to"));
        String question = MsgBody.firstText(MsgBody.parse(last.body())).orElseThrow().strip();
        if (question.length() > AnswerService.MAX_QUESTION_CHARS) {
            question = question.substring(0, AnswerService.MAX_QUESTION_CHARS);
        }
        AnswerService.Reply reply = answers.decide(tenant, s.robotId(), s.languageTag(), question, SUGGESTIONS * 2, "agent");
        List<SuggestedAnswer> out = reply.candidates().stream().filter(r -> r.library() == Library.FAQ).limit(SUGGESTIONS)
                .map(r -> new SuggestedAnswer(r.candidate().id(), r.candidate().standard(), r.candidate().matchedText(),
                        r.candidate().answer(), r.candidate().answerType(), r.candidate().similarity()))
                .toList();
        return new Suggested(last.key(), question, out);
    }

    @Override
    public void inviteRating(Tenant tenant, String memberId, String sessionId) {
        tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            conversations.ratings().invite(tx, served(tx, memberId, sessionId));
            return null;
        });
        store.committed(tenant);
    }

    @Override
    public void end(Tenant tenant, String memberId, String sessionId) {
        tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            end(tx, served(tx, memberId, sessionId), END_AGENT, Event.AGENT_END);
            return null;
        });
        store.committed(tenant);
        agentEvents.committed(tenant);
        dispatch(tenant);
    }

    /** The session served by this member; 141005 when it is not (or no longer) theirs, 141026 in another state. */
    private Session served(TenantDb tx, String memberId, String sessionId) {
        Session s = mine(tx, memberId, sessionId);
        if (s.state() != SessionState.AGENT) {
            throw new DeskException(DeskError.DESK_CANNOT_FORWARD, "session " + sessionId + " is " + describe(s)
                    + "; accept it first");
        }
        return s;
    }

    private Session mine(TenantDb tx, String memberId, String sessionId) {
        return sessions.byId(tx, sessionId).filter(Session::open).filter(s -> s.agentId().equals(memberId))
                .orElseThrow(() -> notYours(sessionId));
    }

    private static DeskException notYours(String sessionId) {
        return new DeskException(DeskError.DESK_SESSION_NOT_FOUND, "session " + sessionId
                + " does not exist, has ended, or is not yours");
    }

    @Override
    public void transfer(Tenant tenant, String memberId, String sessionId, String toMemberId, Long toGroupId) {
        boolean toMember = toMemberId != null && !toMemberId.isBlank();
        if (toMember == (toGroupId != null && toGroupId > 0)) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, "give MemberId (a member) or AgentGroupId (a group)");
        }
        String target = toMember ? TeamService.memberId(toMemberId) : null;
        if (memberId.equals(target)) {
            throw new DeskException(DeskError.DESK_TRANSFER_TO_SELF, "you cannot transfer a session to yourself");
        }
        moveTo(tenant, tx -> served(tx, memberId, sessionId), target, toMember ? 0 : toGroupId);
    }

    /**
     * transfer_session (Desk API): a session a member serves goes to another member (MemberId, which
     * wins when GroupId comes too: the group is then only checked), to a free member of a group, or,
     * with neither, to a free member of the account's group (any member when it has none).
     */
    public void transferSession(Tenant tenant, String sessionId, String toMemberId, long groupId) {
        String target = toMemberId == null || toMemberId.isBlank() ? null : TeamService.memberId(toMemberId);
        moveTo(tenant, tx -> {
            Session s = openSession(tx, sessionId);
            if (s.state() != SessionState.AGENT) {
                throw new DeskException(DeskError.DESK_CANNOT_FORWARD, "session " + sessionId + " is " + describe(s)
                        + "; only a session a member serves can be transferred");
            }
            if (s.agentId().equals(target)) {
                throw new DeskException(DeskError.DESK_TRANSFER_TO_SELF, "session " + sessionId + " is served by " + target
                        + " already: a session cannot be transferred to the member who serves it");
            }
            if (groupId > 0 && !team.groupExists(tx, groupId)) {
                throw new DeskException(DeskError.DESK_GROUP_INVALID, "GroupId " + groupId + " is not an agent group of this"
                        + " app (see get_agent_group_list)");
            }
            return s;
        }, target, target != null ? 0 : groupId);
    }

    /**
     * Moves a served session to {@code target}, or to a free member of {@code group} (0: the account's
     * group, or anyone), in one transaction: the taker's seat is claimed first, the previous member's
     * freed, AgentForward called back, both members told, the user told who serves now.
     */
    private void moveTo(Tenant tenant, java.util.function.Function<TenantDb, Session> find, String target, long group) {
        tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            Session s = find.apply(tx);
            String from = s.agentId();
            DeskSettings settings = team.liveSettings(tx);
            Seats.Candidate taker;
            if (target != null) {
                Seats.Candidate c = seats.one(tx, target).orElseThrow(() -> new DeskException(DeskError.DESK_INVALID_PARAM,
                        "MemberId '" + target + "' is not a member of this app (see get_member_list)"));
                if (!c.online()) {
                    throw new DeskException(DeskError.DESK_NO_AGENT_ONLINE, target + " is offline");
                }
                if (!seats.claim(tx, target, settings.maxSessionsPerAgent(), clock.millis(),
                        List.of(MemberStatus.FREE, MemberStatus.BUSY, MemberStatus.REST))) {
                    throw new DeskException(DeskError.DESK_ALL_AGENTS_BUSY, target + " serves " + c.activeSessions()
                            + " sessions, the most one member may (MaxSessionsPerAgent)");
                }
                taker = c;
            } else {
                long lane = group;
                if (lane == 0) {
                    ImAgentSettings account = account(tx, s);
                    lane = account == null || account.agentGroupId() == null ? 0 : account.agentGroupId();
                }
                if (lane > 0 && !team.groupExists(tx, lane)) {
                    throw new DeskException(DeskError.DESK_GROUP_INVALID, "AgentGroupId " + lane
                            + " is not an agent group of this app");
                }
                String where = lane > 0 ? "group " + lane : "this app";
                List<Seats.Candidate> others = (lane > 0 ? seats.ofGroup(tx, lane) : seats.all(tx)).stream()
                        .filter(c -> !c.memberId().equals(from)).toList();
                taker = null;
                for (Seats.Candidate c : RoutingPolicy.eligible(others, settings.maxSessionsPerAgent(), Set.of())) {
                    if (seats.claim(tx, c.memberId(), settings.maxSessionsPerAgent(), clock.millis(),
                            List.of(MemberStatus.FREE))) {
                        taker = c;
                        break;
                    }
                }
                if (taker == null) {
                    throw RoutingPolicy.anyOnline(others)
                            ? new DeskException(DeskError.DESK_ALL_AGENTS_BUSY, "every other member of " + where
                            + " online is busy or at capacity")
                            : new DeskException(DeskError.DESK_NO_AGENT_ONLINE, "no other member of " + where + " is online");
                }
            }
            if (s.holdsSeat()) {
                seats.release(tx, from);
            } else {
                sessions.saveMarks(tx, s.id(), s.marks().suspended(false)); // the taker holds a seat for it
            }
            Session moved = save(tx, s, s.with(SessionState.AGENT, taker.memberId(), s.routing().accepted(clock.millis())));
            ObjectNode p = sessionPayload(moved);
            p.put("ToAgentId", taker.memberId());
            notify(tx, from, "TransferredAway", s.id(), p);
            connected(tx, moved, taker.nickName(), from);
            return null;
        });
        store.committed(tenant);
        agentEvents.committed(tenant);
        dispatch(tenant);
    }

    // ---- session control (Desk API)

    /** What contact_user opened: the member who serves the session, and the session. */
    public record Contact(String memberId, String sessionId) {
    }

    /**
     * contact_user (Desk API): a member opens a human session with a user through a customer-service
     * account (rule 144). The member named (MemberId wins), else a free member of GroupId, else of the
     * account's group (any member when it has none) takes a seat of it; an open robot-phase session of
     * the user with the account is taken over, otherwise a new one begins. Every session event of it
     * carries IsContactUser true. The seed's 141011-141019 say what stands in the way.
     */
    public Contact contactUser(Tenant tenant, String customerServiceId, String userId, String memberId, long groupId) {
        String target = memberId == null || memberId.isBlank() ? null : TeamService.memberId(memberId);
        Contact contact = tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            DeskSettings settings = team.liveSettings(tx);
            if (!settings.contactUserEnabled()) {
                throw new DeskException(DeskError.DESK_CONTACT_OFF, "contacting users is switched off for this app"
                        + " (update_desk_settings ContactUserEnabled 1 switches it on)");
            }
            ImAgentSettings account = imAgents.find(tx, customerServiceId).map(ImAgentService.ImAgent::settings)
                    .orElseThrow(() -> new DeskException(DeskError.DESK_INVALID_PARAM, "IMAgentUserId '" + customerServiceId
                            + "' is not a customer-service account of this app (see get_im_agent_list)"));
            if (!conversations.isUser(tx, userId)) {
                throw new DeskException(DeskError.DESK_USER_UNKNOWN, "ClientUserId '" + userId + "' is not a user of this app"
                        + " (import it with im_open_login_svc/account_import)");
            }
            Session open = sessions.openOf(tx, userId, customerServiceId).orElse(null);
            if (open != null && open.state() != SessionState.CHATBOT) {
                throw new DeskException(DeskError.DESK_USER_IN_HUMAN_SESSION, "user " + userId + " is " + describe(open)
                        + " with " + customerServiceId + " (session " + open.id() + ")");
            }
            long accountGroup = account.agentGroupId() == null ? 0 : account.agentGroupId();
            if (groupId > 0) {
                if (!team.groupExists(tx, groupId)) {
                    throw new DeskException(DeskError.DESK_CONTACT_GROUP_INVALID, "GroupId " + groupId
                            + " is not an agent group of this app (see get_agent_group_list)");
                }
                List<Long> choices = account.displayGroupsChoices() == null ? List.of() : account.displayGroupsChoices();
                if (accountGroup > 0 && groupId != accountGroup && !choices.contains(groupId)) {
                    throw new DeskException(DeskError.DESK_GROUP_NOT_PERMITTED, "agent group " + groupId + " does not serve "
                            + customerServiceId + " (its AgentGroupId is " + accountGroup + "; DisplayGroupsChoices "
                            + choices + ")");
                }
            }
            Seats.Candidate taker = target != null ? contactMember(tx, target, settings)
                    : contactGroup(tx, groupId > 0 ? groupId : accountGroup, settings);
            Session s = open != null ? open.with(open.marks().contact()) : conversations.openForContact(tx, userId,
                    customerServiceId);
            if (open != null) {
                sessions.saveMarks(tx, s.id(), s.marks());
                timers.cancel(tx, s.id(), Timers.ROUTE); // a request of the robot phase is answered by this
            }
            Session served = save(tx, s, s.with(SessionState.AGENT, taker.memberId(), s.routing().accepted(clock.millis())));
            send(tx, served, Protocol.seatStatus(true));
            ObjectNode p = sessionPayload(served);
            p.put("ForwardFromAgentId", "");
            p.put("ContactUser", true);
            notify(tx, taker.memberId(), "Assigned", served.id(), p);
            return new Contact(taker.memberId(), served.id());
        });
        store.committed(tenant);
        agentEvents.committed(tenant);
        return contact;
    }

    /** The named member of contact_user: online (141011), not resting (141013), under capacity (141012). */
    private Seats.Candidate contactMember(TenantDb tx, String target, DeskSettings settings) {
        Seats.Candidate c = seats.one(tx, target).orElseThrow(() -> new DeskException(DeskError.DESK_INVALID_PARAM,
                "MemberId '" + target + "' is not a member of this app (see get_member_list)"));
        if (!c.online()) {
            throw new DeskException(DeskError.DESK_AGENT_OFFLINE, target + " is offline" + (c.forcedOffline()
                    ? " (forced offline)" : ""));
        }
        if (c.status() == MemberStatus.REST) {
            throw new DeskException(DeskError.DESK_AGENT_RESTING, target + " is on a break (rest)");
        }
        if (!seats.claim(tx, target, settings.maxSessionsPerAgent(), clock.millis(),
                List.of(MemberStatus.FREE, MemberStatus.BUSY))) {
            throw new DeskException(DeskError.DESK_AGENT_AT_CAPACITY, target + " serves " + c.activeSessions()
                    + " sessions, the most one member may (MaxSessionsPerAgent " + settings.maxSessionsPerAgent() + ")");
        }
        return c;
    }

    /** A free member of a group (0: any member) with a seat: 141017 when none is online, 141001 when none can take it. */
    private Seats.Candidate contactGroup(TenantDb tx, long group, DeskSettings settings) {
        List<Seats.Candidate> members = group > 0 ? seats.ofGroup(tx, group) : seats.all(tx);
        for (Seats.Candidate c : RoutingPolicy.eligible(members, settings.maxSessionsPerAgent(), Set.of())) {
            if (seats.claim(tx, c.memberId(), settings.maxSessionsPerAgent(), clock.millis(), List.of(MemberStatus.FREE))) {
                return c;
            }
        }
        String where = group > 0 ? "agent group " + group : "this app";
        throw RoutingPolicy.anyOnline(members)
                ? new DeskException(DeskError.DESK_NO_AGENT_ONLINE, "every member of " + where
                + " online is busy, on a break or at capacity")
                : new DeskException(DeskError.DESK_NO_MEMBER_ONLINE, "no member of " + where + " is online");
    }

    /**
     * end_session (Desk API): ends an open session in any state. Served by a member it ends as the
     * member's end (SessionAgentEnd); queued, offered or with the robot it just ends (SessionEnd).
     * EndPrompt and src 19 as for any active end.
     */
    public void endSession(Tenant tenant, String sessionId) {
        tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            Session s = openSession(tx, sessionId);
            end(tx, s, s.state() == SessionState.AGENT ? END_AGENT : END_ADMIN,
                    s.state() == SessionState.AGENT ? Event.AGENT_END : null);
            return null;
        });
        store.committed(tenant);
        agentEvents.committed(tenant);
        dispatch(tenant);
    }

    /**
     * suspend_session / unsuspend_session (Desk API): a suspended session stays with its member but
     * holds no seat (so the member may take another) and the user reply timeout does not end it;
     * unsuspended it holds a seat again, even when that puts the member above MaxSessionsPerAgent
     * (the seed gives unsuspend no refusal; such a member gets no new session until below it).
     * Only a session a member serves can be suspended (141004 otherwise); doing it twice is no error.
     */
    public void suspend(Tenant tenant, String sessionId, boolean on) {
        boolean freed = tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            Session s = openSession(tx, sessionId);
            if (s.state() != SessionState.AGENT) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "session " + sessionId + " is " + describe(s)
                        + "; only a session a member serves can be " + (on ? "suspended" : "unsuspended"));
            }
            if (s.marks().suspended() == on) {
                return false;
            }
            sessions.saveMarks(tx, s.id(), s.marks().suspended(on));
            recountUserReply(tx, s.with(s.marks().suspended(on)));
            recountAgentReply(tx, s.with(s.marks().suspended(on)));
            if (on) {
                seats.release(tx, s.agentId());
            } else {
                seats.take(tx, s.agentId());
            }
            ObjectNode p = sessionPayload(s);
            p.put("Suspended", on);
            notify(tx, s.agentId(), on ? "Suspended" : "Unsuspended", s.id(), p);
            return on;
        });
        agentEvents.committed(tenant);
        if (freed) {
            dispatch(tenant); // the seat it held takes the next queued session
        }
    }

    /** mark_session (Desk API): the fields given replace the session's; the others stay. */
    public Session.Marks mark(Tenant tenant, String sessionId, String mark, Boolean starred, Boolean userTimeoutOn) {
        return tenant.db().inGroupTransaction(tx -> {
            store.lock(tx);
            Session s = openSession(tx, sessionId);
            Session.Marks m = s.marks();
            Session.Marks next = new Session.Marks(m.suspended(), mark != null ? mark : m.mark(),
                    starred != null ? starred : m.starred(), userTimeoutOn != null ? userTimeoutOn : m.userTimeoutOn(),
                    m.contactUser());
            sessions.saveMarks(tx, s.id(), next);
            if (next.userTimeoutOn() != m.userTimeoutOn()) {
                recountUserReply(tx, s.with(next));
            }
            return next;
        });
    }

    private Session openSession(TenantDb tx, String sessionId) {
        return sessions.byId(tx, sessionId).filter(Session::open).orElseThrow(() -> new DeskException(
                DeskError.DESK_SESSION_NOT_FOUND, "session " + sessionId + " does not exist or has ended"));
    }

    // ---- helpers

    private Session save(TenantDb tx, Session cur, Session next) {
        return sessions.save(tx, cur, next, clock.millis()).orElseThrow(
                () -> new IllegalStateException("session " + cur.id() + " changed concurrently; retrying"));
    }

    /** A text prompt to the user; in the robot phase it is the robot's message (ChatBot.RobotSendMsg), as before. */
    private void say(TenantDb tx, Session s, String text) {
        if (text != null && !text.isBlank()) {
            Message m = send(tx, s, MsgBody.text(text));
            if (s.state() == SessionState.CHATBOT) {
                events.emit(tx, s, Event.ROBOT_SEND, m);
            }
        }
    }

    /** A message of the customer-service account to the user in the session (a prompt, a protocol message). */
    private Message send(TenantDb tx, Session s, String body) {
        return store.store(tx, NewMessage.system(s.customerServiceId(), s.userId(), RANDOM.nextLong(1, 4_294_967_296L), body,
                s.id())).message();
    }

    private void notify(TenantDb tx, String memberId, String type, String sessionId, ObjectNode payload) {
        agentEvents.append(tx, memberId, type, sessionId, payload);
    }

    private void statusNotice(TenantDb tx, String memberId, MemberStatus status, String reason, String by) {
        ObjectNode p = Json.mapper().createObjectNode();
        p.put("Status", status.wire());
        p.put("RestReason", reason == null ? "" : reason);
        p.put("ChangedBy", by);
        notify(tx, memberId, "StatusChanged", "", p);
    }

    private String nick(TenantDb tx, String memberId) {
        return team.member(tx, memberId).map(Member::nickName).orElse(memberId);
    }

    private ImAgentSettings account(TenantDb db, Session s) {
        return imAgents.find(db, s.customerServiceId()).map(ImAgentService.ImAgent::settings).orElse(null);
    }

    private static String prompt(String base, Map<String, String> multilingual, Session s) {
        return ConversationService.prompt(base, multilingual, s);
    }

    private static ObjectNode sessionPayload(Session s) {
        ObjectNode p = Json.mapper().createObjectNode();
        p.put("SessionId", s.id());
        p.put("ClientUserId", s.userId());
        p.put("CustomerServiceId", s.customerServiceId());
        p.put("State", s.state().wire());
        return p;
    }

    private static ObjectNode message(Message m) {
        ObjectNode p = Json.mapper().createObjectNode();
        p.put("SessionId", m.sessionId());
        ObjectNode msg = p.putObject("Msg");
        msg.put("MsgKey", m.key());
        msg.put("MsgSeq", m.seq());
        msg.put("FromAccount", m.from());
        msg.put("ToAccount", m.to());
        msg.put("FromAccountRole", m.role().code());
        msg.put("MsgTime", m.time() / 1000);
        msg.set("MsgBody", MsgBody.parse(m.body()));
        msg.put("CloudCustomData", m.cloudCustomData());
        return p;
    }

    private static SessionView view(Session s) {
        return new SessionView(s.id(), s.userId(), s.customerServiceId(), s.state().wire(), s.startedAt(),
                s.routing().transferRequestedAt(), s.routing().acceptedAt(), s.routing().offerDeadline());
    }

    private static String describe(Session s) {
        return switch (s.state()) {
            case AGENT -> "served by " + s.agentId();
            case WAITING_FOR_AGENT -> "offered to " + s.agentId();
            case QUEUEING -> "queueing for a human";
            case CHATBOT -> "with the robot";
            default -> "ended";
        };
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
