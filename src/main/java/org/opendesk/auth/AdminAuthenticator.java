package org.opendesk.auth;

import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantRegistry;

/**
 * Authenticates an admin REST call: the app must exist, the UserSig must verify for the
 * identifier, and the identifier must be one of the app's administrators.
 */
public final class AdminAuthenticator {
    private final TenantRegistry tenants;
    private final UserSigVerifier verifier;

    public AdminAuthenticator(TenantRegistry tenants, UserSigVerifier verifier) {
        this.tenants = tenants;
        this.verifier = verifier;
    }

    /** Authenticates a user with their own UserSig (the visitor WebSocket): the app must exist and the sig verify. */
    public Tenant authenticateUser(long sdkAppId, String identifier, String usersig) {
        Tenant tenant = tenants.find(sdkAppId).orElseThrow(() -> new DeskException(DeskError.SIG_APP_NOT_FOUND,
                "SDKAppID " + sdkAppId + " does not exist on this server"));
        verifier.verify(tenant.app(), identifier, usersig);
        return tenant;
    }

    /**
     * @param notAdmin the code to answer when the identifier is not an administrator (each
     *                 vendor service documents its own: 70403, -20, or the public 60010)
     */
    public Tenant authenticate(long sdkAppId, String identifier, String usersig, DeskError notAdmin) {
        Tenant tenant = tenants.find(sdkAppId).orElseThrow(() -> new DeskException(DeskError.SIG_APP_NOT_FOUND,
                "SDKAppID " + sdkAppId + " does not exist on this server"));
        verifier.verify(tenant.app(), identifier, usersig);
        if (!tenant.app().isAdmin(identifier)) {
            throw new DeskException(notAdmin, "identifier '" + identifier
                    + "' is not an administrator of SDKAppID " + sdkAppId + "; use one of the app's admin identifiers");
        }
        return tenant;
    }
}
