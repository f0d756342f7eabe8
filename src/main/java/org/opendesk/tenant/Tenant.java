package org.opendesk.tenant;

/**
 * An authenticated tenant as seen by a command: its app settings and the database
 * gateway bound to its SDKAppID. Only {@link TenantRegistry} creates tenants.
 */
public final class Tenant {
    private final App app;
    private final TenantDb db;

    Tenant(App app, TenantDb db) {
        this.app = app;
        this.db = db;
    }

    public long sdkAppId() {
        return app.sdkAppId();
    }

    public App app() {
        return app;
    }

    public TenantDb db() {
        return db;
    }
}
