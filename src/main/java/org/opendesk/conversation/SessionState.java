package org.opendesk.conversation;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of a customer-service session (get_session_state's CurrentState, plus Ended) and
 * the only transitions allowed between them. NotInSession is the state of a user without an open
 * session; a session row never holds it.
 */
public enum SessionState {
    NOT_IN_SESSION("NotInSession"),
    CHATBOT("Chatbot"),
    WAITING_FOR_AGENT("WaitingForAgentAnswering"),
    QUEUEING("Queueing"),
    AGENT("Agent"),
    ENDED("Ended");

    private static final Map<SessionState, Set<SessionState>> ALLOWED = new EnumMap<>(SessionState.class);

    static {
        // a session starts with the robot, or (contact_user, create_group, no robot) directly with the routing
        ALLOWED.put(NOT_IN_SESSION, EnumSet.of(CHATBOT, QUEUEING, WAITING_FOR_AGENT, AGENT));
        ALLOWED.put(CHATBOT, EnumSet.of(QUEUEING, WAITING_FOR_AGENT, AGENT, ENDED));
        ALLOWED.put(QUEUEING, EnumSet.of(WAITING_FOR_AGENT, AGENT, ENDED));
        // manual reception: accepted, or (not accepted in time) back to the routing
        ALLOWED.put(WAITING_FOR_AGENT, EnumSet.of(AGENT, QUEUEING, ENDED));
        // an agent transfers the session (to a member with manual reception, or to a group that is busy)
        ALLOWED.put(AGENT, EnumSet.of(WAITING_FOR_AGENT, QUEUEING, ENDED));
        ALLOWED.put(ENDED, EnumSet.noneOf(SessionState.class));
    }

    private final String wire;

    SessionState(String wire) {
        this.wire = wire;
    }

    /** The vendor's name (CurrentState). */
    public String wire() {
        return wire;
    }

    public boolean canBecome(SessionState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** The state after a transition, or an exception when the transition is not allowed. */
    public SessionState transition(SessionState next) {
        if (!canBecome(next)) {
            throw new IllegalStateException("session cannot go from " + wire + " to " + next.wire);
        }
        return next;
    }

    public static SessionState ofWire(String wire) {
        for (SessionState s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new IllegalStateException("unknown session state " + wire);
    }
}
