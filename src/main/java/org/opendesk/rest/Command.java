package org.opendesk.rest;

import org.opendesk.error.DeskError;

/**
 * One row of a command table: the command's name, the type its body binds to, its
 * handler, its rate limit (calls per second per app; 0 = none) and whether it is an
 * extension of ours rather than a vendor command; {@code malformedJson} is the command's own code
 * for a body that is not JSON, or null for the service's.
 */
public record Command<R>(String service, String name, Class<R> requestType, CommandHandler<R> handler,
                         int ratePerSecond, boolean extension, DeskError malformedJson) {
    public String path() {
        return "/v4/" + service + "/" + name;
    }
}
