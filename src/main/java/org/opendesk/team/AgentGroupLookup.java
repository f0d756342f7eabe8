package org.opendesk.team;

import org.opendesk.tenant.TenantDb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The agent groups as other features check their references to them (a customer-service account's
 * AgentGroupId and DisplayGroupsChoices). It needs nothing but the caller's transaction, so it can be
 * built before the tenants (which the customer-service accounts help seed) and the team service.
 */
public final class AgentGroupLookup {
    private final TeamRepository repository = new TeamRepository();

    /**
     * Of the given ids, those that are not agent groups of the app, in increasing order. The groups that
     * exist stay locked until the caller's transaction ends, so none is deleted while the caller starts to
     * use it (delete_agent_group waits, then sees the use).
     */
    public List<Long> missing(TenantDb tx, Collection<Long> groupIds) {
        List<Long> missing = new ArrayList<>();
        for (long id : new TreeSet<>(groupIds)) { // one order for every caller: no deadlock between two of them
            if (!repository.lockGroup(tx, id)) {
                missing.add(id);
            }
        }
        return missing;
    }
}
