package org.opendesk.conversation;

import java.util.Arrays;
import java.util.List;

/**
 * A session between a user and a customer-service account, as stored. Times in epoch ms.
 * {@link Routing} is where the session stands on its way to a human.
 */
public record Session(String id, String userId, String customerServiceId, SessionState state, int version,
                      String channelType, String languageTag, String robotId, String agentId, long startedAt,
                      long lastActivityAt, long endedAt, String endReason, Routing routing, Marks marks) {
    /** The channel of users who come through the IM SDK, REST sendmsg or the visitor WebSocket (应用/客户端). */
    public static final String CHANNEL_SDK = "SDK";

    public Session(String id, String userId, String customerServiceId, SessionState state, int version, String channelType,
                   String languageTag, String robotId, String agentId, long startedAt, long lastActivityAt, long endedAt,
                   String endReason) {
        this(id, userId, customerServiceId, state, version, channelType, languageTag, robotId, agentId, startedAt,
                lastActivityAt, endedAt, endReason, Routing.NONE, Marks.NONE);
    }

    public boolean open() {
        return state != SessionState.ENDED;
    }

    /** Whether the session is past the robot: queueing, offered to a member, or served by one. */
    public boolean human() {
        return state == SessionState.QUEUEING || state == SessionState.WAITING_FOR_AGENT || state == SessionState.AGENT;
    }

    /** The same session in another state, with another member and routing (version, times unchanged). */
    public Session with(SessionState nextState, String nextAgent, Routing nextRouting) {
        return new Session(id, userId, customerServiceId, nextState, version, channelType, languageTag, robotId, nextAgent,
                startedAt, lastActivityAt, endedAt, endReason, nextRouting, marks);
    }

    /** The same session with other marks. */
    public Session with(Marks nextMarks) {
        return new Session(id, userId, customerServiceId, state, version, channelType, languageTag, robotId, agentId,
                startedAt, lastActivityAt, endedAt, endReason, routing, nextMarks);
    }

    /** The same session ended for a reason (AgentEndedSession, UserEndedSession, ...), member and routing kept. */
    public Session ending(String reason) {
        return new Session(id, userId, customerServiceId, SessionState.ENDED, version, channelType, languageTag, robotId,
                agentId, startedAt, lastActivityAt, endedAt, reason, routing, marks);
    }

    /** Whether the member serving it holds a seat for it: offered, or served and not suspended. */
    public boolean holdsSeat() {
        return state == SessionState.WAITING_FOR_AGENT || state == SessionState.AGENT && !marks.suspended();
    }

    /**
     * What the business and the member set on a session (suspend_session, mark_session): suspended (it
     * holds no seat and the user reply timeout does not end it), the mark (the business's data), the
     * star, and whether the user reply timeout may end it (UserTimeoutSwitch).
     */
    public record Marks(boolean suspended, String mark, boolean starred, boolean userTimeoutOn, boolean contactUser) {
        public static final Marks NONE = new Marks(false, "", false, true, false);
        /** Mark's limit, in bytes of UTF-8 (the seed: 200 bytes). */
        public static final int MAX_MARK_BYTES = 200;

        public Marks {
            mark = mark == null ? "" : mark;
        }

        public Marks(boolean suspended, String mark, boolean starred, boolean userTimeoutOn) {
            this(suspended, mark, starred, userTimeoutOn, false);
        }

        public Marks suspended(boolean on) {
            return new Marks(on, mark, starred, userTimeoutOn, contactUser);
        }

        /** A session a member opened with contact_user (IsContactUser in its events). */
        public Marks contact() {
            return new Marks(suspended, mark, starred, userTimeoutOn, true);
        }
    }

    /**
     * The routing state of a session: its place in the queue (queueSeq > 0 while queueing, priority 0
     * highest to 9), who may take it (a group, a list of members; 0 / empty = the account's group or
     * anyone), the members who let an offer of it time out, the queue position the user was last told,
     * whether the user is asked to pick a group, and when a human was requested, accepted the session,
     * or must accept it by.
     */
    public record Routing(int priority, long queueSeq, long targetGroup, List<String> targetAgents,
                          List<String> passedAgents, int announcedPosition, boolean groupChoice,
                          long transferRequestedAt, long acceptedAt, long offerDeadline) {
        public static final int DEFAULT_PRIORITY = 5;
        public static final Routing NONE = new Routing(DEFAULT_PRIORITY, 0, 0, List.of(), List.of(), 0, false, 0, 0, 0);

        public Routing {
            targetAgents = List.copyOf(targetAgents);
            passedAgents = List.copyOf(passedAgents);
        }

        public Routing queued(long seq, int newPriority) {
            return new Routing(newPriority, seq, targetGroup, targetAgents, passedAgents, 0, false, transferRequestedAt,
                    acceptedAt, 0);
        }

        public Routing requested(long at, long group, List<String> agents, int newPriority) {
            return new Routing(newPriority, 0, group, agents, List.of(), 0, false, at, 0, 0);
        }

        public Routing offered(long deadline) {
            return new Routing(priority, queueSeq, targetGroup, targetAgents, passedAgents, announcedPosition, false,
                    transferRequestedAt, 0, deadline);
        }

        public Routing accepted(long at) {
            return new Routing(priority, 0, targetGroup, targetAgents, passedAgents, 0, false, transferRequestedAt, at, 0);
        }

        public Routing passedBy(String memberId) {
            List<String> passed = new java.util.ArrayList<>(passedAgents);
            if (!passed.contains(memberId)) {
                passed.add(memberId);
            }
            return new Routing(priority, queueSeq, targetGroup, targetAgents, passed, announcedPosition, false,
                    transferRequestedAt, acceptedAt, 0);
        }

        public Routing choosingGroup(boolean on) {
            return new Routing(priority, queueSeq, targetGroup, targetAgents, passedAgents, announcedPosition, on,
                    transferRequestedAt, acceptedAt, offerDeadline);
        }

        public Routing announced(int position) {
            return new Routing(priority, queueSeq, targetGroup, targetAgents, passedAgents, position, groupChoice,
                    transferRequestedAt, acceptedAt, offerDeadline);
        }

        static List<String> split(String stored) {
            return stored.isEmpty() ? List.of() : Arrays.asList(stored.split(","));
        }

        static String join(List<String> ids) {
            return String.join(",", ids);
        }
    }
}
