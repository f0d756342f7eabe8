/**
 * Tenants: every app (SDKAppID) has its own key, admins and data. A {@link org.opendesk.tenant.Tenant}
 * carries a {@link org.opendesk.tenant.TenantDb} bound to its SDKAppID, the only path to tenant data.
 */
package org.opendesk.tenant;
