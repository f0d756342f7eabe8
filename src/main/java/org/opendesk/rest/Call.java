package org.opendesk.rest;

import org.opendesk.tenant.Tenant;

/**
 * One authenticated command call as a handler sees it: the tenant, the bound request
 * body, the administrator who called and the request id. No HTTP types.
 */
public record Call<R>(Tenant tenant, R body, String identifier, String requestId) {
}
