package org.opendesk.human;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Who may take a session, in the order to try them (pure: no I/O). Eligible: online and free, not
 * forced offline, under capacity. Order (Desk 分配策略, automatic): the member who has gone the
 * longest without a new session first; members who let an offer of this session time out come
 * after all others, so the offer moves on but never strands the session.
 */
final class RoutingPolicy {
    private RoutingPolicy() {
    }

    static List<Seats.Candidate> eligible(List<Seats.Candidate> candidates, int capacity, Set<String> passed) {
        return candidates.stream()
                .filter(c -> c.online() && c.status() == org.opendesk.team.MemberStatus.FREE && c.activeSessions() < capacity)
                .sorted(Comparator.comparing((Seats.Candidate c) -> passed.contains(c.memberId()))
                        .thenComparingLong(Seats.Candidate::lastAssignedAt)
                        .thenComparing(Seats.Candidate::memberId))
                .toList();
    }

    /** Whether anyone of the candidates is online (free, busy or rest): if not, nobody can take the session. */
    static boolean anyOnline(List<Seats.Candidate> candidates) {
        return candidates.stream().anyMatch(Seats.Candidate::online);
    }
}
