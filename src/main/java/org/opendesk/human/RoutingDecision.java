package org.opendesk.human;

/**
 * What routing decided for a request for a human: a member took it (automatic reception), it is
 * offered to a member until a deadline (manual reception), it queues at a position, nobody who
 * could take it is online, it is outside working hours, or the business server refused it.
 */
sealed interface RoutingDecision {
    record Assigned(String memberId, String nickName) implements RoutingDecision {
    }

    record Offered(String memberId, long deadline) implements RoutingDecision {
    }

    record Queued(int position) implements RoutingDecision {
    }

    record NoAgentOnline() implements RoutingDecision {
    }

    record OutsideWorkingHours() implements RoutingDecision {
    }

    record Denied() implements RoutingDecision {
    }

    /** The user is asked to pick an agent group (AssignmentStrategy 1); routing waits for the choice. */
    record ChoosingGroup() implements RoutingDecision {
    }
}
