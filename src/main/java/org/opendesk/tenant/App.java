package org.opendesk.tenant;

import java.util.Set;

/** One tenant: an SDKAppID with its own secret key and administrator identifiers. */
public record App(long sdkAppId, String secretKey, Set<String> admins) {
    public App {
        admins = Set.copyOf(admins);
    }

    public boolean isAdmin(String identifier) {
        return admins.contains(identifier);
    }
}
