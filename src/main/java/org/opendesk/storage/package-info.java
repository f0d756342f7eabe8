/**
 * Storage: Flyway migrations, the DbClient, and {@link org.opendesk.storage.TenantDb},
 * the tenant-bound gateway through which every repository reaches tenant data.
 */
package org.opendesk.storage;
