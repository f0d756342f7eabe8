package org.opendesk.agent;

import org.opendesk.error.DeskError;
import org.opendesk.team.MemberStatus;
import org.opendesk.tenant.Tenant;

import java.util.List;

/**
 * The workbench while no human service is wired into the server: login, password and the
 * member's own profile work, every workbench route answers HTTP 503 with 141002 saying so.
 * Nothing is pretended: no status is stored, no session is listed.
 */
public final class NoWorkbench implements Workbench {
    private static AgentRefusal unavailable() {
        return new AgentRefusal(503, DeskError.DESK_INTERNAL, "the human service is not available on this server yet:"
                + " the workbench routes cannot be served");
    }

    @Override
    public void setStatus(Tenant tenant, String memberId, MemberStatus status, String restReason) {
        throw unavailable();
    }

    @Override
    public List<SessionView> sessions(Tenant tenant, String memberId) {
        throw unavailable();
    }

    @Override
    public void accept(Tenant tenant, String memberId, String sessionId) {
        throw unavailable();
    }

    @Override
    public MessagePage messages(Tenant tenant, String memberId, String sessionId, boolean newestFirst, int offset, int limit) {
        throw unavailable();
    }

    @Override
    public Sent send(Tenant tenant, String memberId, String sessionId, long random, String body, String cloudCustomData) {
        throw unavailable();
    }

    @Override
    public void end(Tenant tenant, String memberId, String sessionId) {
        throw unavailable();
    }

    @Override
    public void transfer(Tenant tenant, String memberId, String sessionId, String toMemberId, Long toGroupId) {
        throw unavailable();
    }
}
