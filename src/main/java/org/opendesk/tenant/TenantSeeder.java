package org.opendesk.tenant;

/**
 * A feature's defaults that every app must have (the default customer-service account,
 * later the default robot). Seeders are idempotent and run for every app at start-up and
 * when an app is created, so a crash half-way through creating an app heals itself.
 */
@FunctionalInterface
public interface TenantSeeder {
    void seed(Tenant tenant);
}
