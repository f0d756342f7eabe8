package org.opendesk.rest;

/**
 * One row of a command table: the command's name, the type its body binds to, its
 * handler, its rate limit (calls per second per app; 0 = none) and whether it is an
 * extension of ours rather than a vendor command.
 */
public record Command<R>(String service, String name, Class<R> requestType, CommandHandler<R> handler,
                         int ratePerSecond, boolean extension) {
    public String path() {
        return "/v4/" + service + "/" + name;
    }
}
