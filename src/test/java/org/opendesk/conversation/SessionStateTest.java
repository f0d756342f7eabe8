package org.opendesk.conversation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every pair of session states: the allowed transitions, and a refusal for all others. */
class SessionStateTest {
    private static final Set<String> ALLOWED = Set.of(
            "NotInSession>Chatbot", "NotInSession>Queueing", "NotInSession>WaitingForAgentAnswering", "NotInSession>Agent",
            "Chatbot>Queueing", "Chatbot>WaitingForAgentAnswering", "Chatbot>Agent", "Chatbot>Ended",
            "Queueing>WaitingForAgentAnswering", "Queueing>Agent", "Queueing>Ended",
            "WaitingForAgentAnswering>Agent", "WaitingForAgentAnswering>Queueing", "WaitingForAgentAnswering>Ended",
            "Agent>WaitingForAgentAnswering", "Agent>Queueing", "Agent>Ended");

    static Stream<Arguments> pairs() {
        List<Arguments> all = new ArrayList<>();
        for (SessionState from : SessionState.values()) {
            for (SessionState to : SessionState.values()) {
                all.add(Arguments.of(from, to));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void transitionFollowsTheTable(SessionState from, SessionState to) {
        boolean allowed = ALLOWED.contains(from.wire() + ">" + to.wire());
        assertEquals(allowed, from.canBecome(to));
        if (allowed) {
            assertEquals(to, from.transition(to));
        } else {
            assertThrows(IllegalStateException.class, () -> from.transition(to));
        }
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void wireNamesRoundTrip(SessionState s, SessionState ignored) {
        assertEquals(s, SessionState.ofWire(s.wire()));
    }
}
