package org.opendesk.conversation;

import io.helidon.dbclient.DbRow;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.List;
import java.util.Optional;

/** SQL of desk_session, beside its row mapper. State changes are optimistic: version and state must match. */
public final class SessionRepository {
    private static final String OPEN = "open";
    private static final String COLUMNS = "SELECT session_id, client_user_id, customer_service_id, state, version, "
            + "channel_type, language_tag, robot_id, agent_id, started_at, last_activity_at, ended_at, end_reason, "
            + "queue_priority, queue_seq, target_group, target_agents, passed_agents, announced_position, group_choice, "
            + "transfer_requested_at, accepted_at, offer_deadline, suspended, mark, starred, user_timeout_on, contact_user "
            + "FROM desk_session ";
    private static final String INSERT = "INSERT INTO desk_session (sdkappid, session_id, client_user_id, customer_service_id, "
            + "open_slot, state, version, channel_type, language_tag, robot_id, agent_id, started_at, last_activity_at) VALUES "
            + "(:sdkappid, :id, :user, :cs, '" + OPEN + "', :state, 0, :channel, :lang, :robot, '', :now, :now)";
    private static final String BY_ID = COLUMNS + "WHERE sdkappid = :sdkappid AND session_id = :id";
    private static final String OPEN_OF = COLUMNS + "WHERE sdkappid = :sdkappid AND client_user_id = :user "
            + "AND customer_service_id = :cs AND open_slot = '" + OPEN + "'";
    private static final String TRANSITION = "UPDATE desk_session SET state = :to, version = version + 1, "
            + "open_slot = :slot, agent_id = :agent, ended_at = :ended, end_reason = :reason, last_activity_at = :now "
            + "WHERE sdkappid = :sdkappid AND session_id = :id AND version = :version AND state = :from";
    private static final String SAVE = "UPDATE desk_session SET state = :to, version = version + 1, open_slot = :slot, "
            + "agent_id = :agent, ended_at = :ended, end_reason = :reason, queue_priority = :priority, queue_seq = :qseq, "
            + "target_group = :tgroup, target_agents = :tagents, passed_agents = :passed, announced_position = :announced, "
            + "group_choice = :choice, transfer_requested_at = :requested, accepted_at = :accepted, offer_deadline = :deadline "
            + "WHERE sdkappid = :sdkappid AND session_id = :id AND version = :version AND state = :from";
    private static final String TOUCH = "UPDATE desk_session SET last_activity_at = :now WHERE sdkappid = :sdkappid "
            + "AND session_id = :id AND last_activity_at < :now";
    private static final String IDLE = COLUMNS + "WHERE sdkappid = :sdkappid AND state = :state AND last_activity_at < :before "
            + "ORDER BY last_activity_at LIMIT :limit";
    private static final String QUEUED = COLUMNS + "WHERE sdkappid = :sdkappid AND state = 'Queueing' "
            + "ORDER BY queue_priority, queue_seq LIMIT :limit";
    private static final String QUEUED_OF = COLUMNS + "WHERE sdkappid = :sdkappid AND client_user_id = :user "
            + "AND open_slot = '" + OPEN + "' AND state = 'Queueing'";
    private static final String OF_AGENT = COLUMNS + "WHERE sdkappid = :sdkappid AND agent_id = :agent "
            + "AND state IN ('WaitingForAgentAnswering', 'Agent') ORDER BY started_at";
    private static final String AHEAD = "SELECT COUNT(*) AS n FROM desk_session WHERE sdkappid = :sdkappid AND state = 'Queueing' "
            + "AND target_group = :tgroup AND target_agents = :tagents AND (queue_priority < :priority "
            + "OR (queue_priority = :priority AND queue_seq < :qseq))";
    private static final String ANNOUNCED = "UPDATE desk_session SET announced_position = :position "
            + "WHERE sdkappid = :sdkappid AND session_id = :id";

    private static final String MARKS = "UPDATE desk_session SET suspended = :suspended, mark = :mark, starred = :starred, "
            + "user_timeout_on = :timeout, contact_user = :contact WHERE sdkappid = :sdkappid AND session_id = :id AND open_slot = '" + OPEN + "'";

    void insert(TenantDb tx, Session s) {
        tx.dml("session-insert", INSERT, Params.of("id", s.id(), "user", s.userId(), "cs", s.customerServiceId())
                .put("state", s.state().wire()).put("channel", s.channelType()).put("lang", s.languageTag())
                .put("robot", s.robotId()).put("now", s.startedAt()));
    }

    public Optional<Session> byId(TenantDb db, String id) {
        return db.one("session-by-id", BY_ID, Params.of("id", id), SessionRepository::map);
    }

    public Optional<Session> openOf(TenantDb db, String user, String cs) {
        return db.one("session-open-of", OPEN_OF, Params.of("user", user, "cs", cs), SessionRepository::map);
    }

    /** Moves a session from its state at {@code s.version()}; false when someone changed it first. */
    boolean transition(TenantDb tx, Session s, SessionState to, String agentId, String reason, long now) {
        s.state().transition(to);
        boolean ended = to == SessionState.ENDED;
        return tx.dml("session-transition", TRANSITION, Params.of("id", s.id(), "version", s.version(), "from", s.state().wire())
                .put("to", to.wire()).put("slot", ended ? s.id() : OPEN).put("agent", agentId)
                .put("ended", ended ? now : 0L).put("reason", reason).put("now", now)) == 1;
    }

    /**
     * Writes {@code next} (state, member, routing; an end reason when it ends) over {@code current}, if the
     * session is still at current's version and state; answers the stored session, or empty when someone
     * changed it first. The state change must be allowed ({@link SessionState#transition}); a session may
     * also stay in its state with new routing.
     */
    public Optional<Session> save(TenantDb tx, Session current, Session next, long now) {
        if (next.state() != current.state()) {
            current.state().transition(next.state());
        }
        boolean ended = next.state() == SessionState.ENDED;
        Session.Routing r = next.routing();
        long changed = tx.dml("session-save", SAVE, Params.of("id", current.id(), "version", current.version(), "from",
                        current.state().wire()).put("to", next.state().wire()).put("slot", ended ? current.id() : OPEN)
                .put("agent", next.agentId()).put("ended", ended ? now : 0L).put("reason", next.endReason())
                .put("priority", r.priority()).put("qseq", r.queueSeq()).put("tgroup", r.targetGroup())
                .put("tagents", Session.Routing.join(r.targetAgents())).put("passed", Session.Routing.join(r.passedAgents()))
                .put("announced", r.announcedPosition()).put("choice", r.groupChoice() ? 1 : 0)
                .put("requested", r.transferRequestedAt()).put("accepted", r.acceptedAt()).put("deadline", r.offerDeadline()));
        if (changed != 1) {
            return Optional.empty();
        }
        return Optional.of(new Session(current.id(), current.userId(), current.customerServiceId(), next.state(),
                current.version() + 1, current.channelType(), current.languageTag(), current.robotId(), next.agentId(),
                current.startedAt(), current.lastActivityAt(), ended ? now : 0L, next.endReason(), r, next.marks()));
    }

    /**
     * Stores an open session's marks (no version change: not a state change; callers hold the app's
     * message lock, as every change of a human-phase session does); false when it has ended.
     */
    public boolean saveMarks(TenantDb tx, String id, Session.Marks m) {
        return tx.dml("session-marks", MARKS, Params.of("id", id, "suspended", m.suspended() ? 1 : 0).put("mark", m.mark())
                .put("starred", m.starred() ? 1 : 0).put("timeout", m.userTimeoutOn() ? 1 : 0)
                .put("contact", m.contactUser() ? 1 : 0)) == 1;
    }

    public void touch(TenantDb tx, String id, long now) {
        tx.dml("session-touch", TOUCH, Params.of("id", id, "now", now));
    }

    List<Session> idle(TenantDb db, SessionState state, long before, int limit) {
        return db.list("session-idle", IDLE, Params.of("state", state.wire(), "before", before, "limit", limit),
                SessionRepository::map);
    }

    /** Queueing sessions of the app, in the order they are served: priority (0 first), then arrival. */
    public List<Session> queued(TenantDb db, int limit) {
        return db.list("session-queued", QUEUED, Params.of("limit", limit), SessionRepository::map);
    }

    /** A user's queued sessions (one per customer-service account at most). */
    public List<Session> queuedOf(TenantDb db, String userId) {
        return db.list("session-queued-of", QUEUED_OF, Params.of("user", userId), SessionRepository::map);
    }

    /** The open sessions offered to or served by a member. */
    public List<Session> ofAgent(TenantDb db, String memberId) {
        return db.list("session-of-agent", OF_AGENT, Params.of("agent", memberId), SessionRepository::map);
    }

    /** A queued session's position in its lane (sessions waiting for the same members), from 1. */
    public int positionOf(TenantDb db, Session q) {
        Session.Routing r = q.routing();
        long ahead = db.one("session-ahead", AHEAD, Params.of("tgroup", r.targetGroup(), "tagents",
                Session.Routing.join(r.targetAgents()), "priority", r.priority()).put("qseq", r.queueSeq()),
                row -> Sql.longValue(row, "n")).orElse(0L);
        return (int) ahead + 1;
    }

    /** Records the queue position the user was last told (no version change: it is not a state change). */
    public void announced(TenantDb tx, String id, int position) {
        tx.dml("session-announced", ANNOUNCED, Params.of("id", id, "position", position));
    }

    private static Session map(DbRow r) {
        Session.Routing routing = new Session.Routing(Sql.intValue(r, "queue_priority"), Sql.longValue(r, "queue_seq"),
                Sql.longValue(r, "target_group"), Session.Routing.split(Sql.string(r, "target_agents")),
                Session.Routing.split(Sql.string(r, "passed_agents")), Sql.intValue(r, "announced_position"),
                Sql.intValue(r, "group_choice") == 1, Sql.longValue(r, "transfer_requested_at"),
                Sql.longValue(r, "accepted_at"), Sql.longValue(r, "offer_deadline"));
        return new Session(Sql.string(r, "session_id"), Sql.string(r, "client_user_id"), Sql.string(r, "customer_service_id"),
                SessionState.ofWire(Sql.string(r, "state")), Sql.intValue(r, "version"), Sql.string(r, "channel_type"),
                Sql.string(r, "language_tag"), Sql.string(r, "robot_id"), Sql.string(r, "agent_id"),
                Sql.longValue(r, "started_at"), Sql.longValue(r, "last_activity_at"), Sql.longValue(r, "ended_at"),
                Sql.string(r, "end_reason"), routing, new Session.Marks(Sql.intValue(r, "suspended") == 1,
                Sql.string(r, "mark"), Sql.intValue(r, "starred") == 1, Sql.intValue(r, "user_timeout_on") == 1,
                Sql.intValue(r, "contact_user") == 1));
    }
}
