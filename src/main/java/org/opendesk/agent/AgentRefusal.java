package org.opendesk.agent;

import org.opendesk.error.DeskError;

/**
 * A refused agent request that is not the domain's to decide: a token that is missing, unreadable,
 * expired or ended (401), a member who may not do this (403), a body too large (413). The agent API answers its status with the vendor code and the detail; the agent
 * socket answers the code and the detail in an Error frame.
 */
final class AgentRefusal extends RuntimeException {
    static final int UNAUTHORIZED = 401;
    static final int FORBIDDEN = 403;

    private final int status;
    private final DeskError error;

    AgentRefusal(int status, DeskError error, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.error = error;
    }

    static AgentRefusal unauthorized(DeskError error, String detail) {
        return new AgentRefusal(UNAUTHORIZED, error, detail);
    }

    static AgentRefusal forbidden(DeskError error, String detail) {
        return new AgentRefusal(FORBIDDEN, error, detail);
    }

    int status() {
        return status;
    }

    DeskError error() {
        return error;
    }
}
