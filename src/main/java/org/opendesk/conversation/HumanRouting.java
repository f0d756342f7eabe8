package org.opendesk.conversation;

import org.opendesk.tenant.TenantDb;

import java.util.Optional;

/**
 * Where a session that asks for a human goes. Human routing (agents, groups, queues) is a later
 * issue; until then {@link #NONE} answers honestly that no agent is online.
 */
public interface HumanRouting {
    /** The agent who takes the session, or empty when no agent is online. */
    Optional<String> assign(TenantDb tx, Session session);

    HumanRouting NONE = (tx, session) -> Optional.empty();
}
