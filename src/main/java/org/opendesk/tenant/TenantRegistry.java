package org.opendesk.tenant;

import io.helidon.dbclient.DbClient;
import org.opendesk.storage.Database;
import org.opendesk.storage.Durability;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Knows the apps and hands out {@link Tenant}s. Apps are cached in memory, refreshed
 * from the database periodically and on a miss, so several nodes on one database agree
 * and a key rotated on one node takes effect on the others.
 */
public final class TenantRegistry {
    private static final Logger LOG = Logger.getLogger(TenantRegistry.class.getName());
    /** How long an unknown SDKAppID is remembered as unknown before the database is asked again. */
    private static final long MISS_TTL_MILLIS = 2_000;
    private static final int MAX_MISSES = 10_000;

    private final DbClient db;
    private final AppRepository apps;
    private final Clock clock;
    private final List<TenantSeeder> seeders;
    private final Map<Long, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<Long, Long> misses = new ConcurrentHashMap<>();
    private final GroupCommit groupCommit;
    private final Durability durability;

    public TenantRegistry(Database database, Clock clock, List<TenantSeeder> seeders) {
        this.db = database.client();
        this.durability = database.durability();
        this.groupCommit = new GroupCommit(db, durability);
        this.apps = new AppRepository(db, durability);
        this.clock = clock;
        this.seeders = List.copyOf(seeders);
    }

    /** Stops the group-commit lanes after the work already submitted (up to 5 s); call before closing the database. */
    public void close() {
        groupCommit.close(5, TimeUnit.SECONDS);
    }

    /** The tenant with this SDKAppID, if such an app exists. */
    public Optional<Tenant> find(long sdkAppId) {
        Tenant cached = tenants.get(sdkAppId);
        if (cached != null) {
            return Optional.of(cached);
        }
        long now = clock.millis();
        Long missedAt = misses.get(sdkAppId);
        if (missedAt != null && now - missedAt < MISS_TTL_MILLIS) {
            return Optional.empty();
        }
        Optional<App> app = apps.find(sdkAppId);
        if (app.isEmpty()) {
            if (misses.size() >= MAX_MISSES) {
                misses.clear();
            }
            misses.put(sdkAppId, now);
            return Optional.empty();
        }
        misses.remove(sdkAppId);
        return Optional.of(tenants.computeIfAbsent(sdkAppId, id -> tenant(app.get())));
    }

    /** All apps, as stored. */
    public List<App> apps() {
        return apps.all();
    }

    /**
     * Creates the app, or updates its key and admins when it exists, then makes sure it
     * has every feature's defaults.
     */
    public Tenant upsert(long sdkAppId, String secretKey, Collection<String> admins) {
        App app = new App(sdkAppId, secretKey, Set.copyOf(admins));
        boolean exists = apps.find(sdkAppId).isPresent();
        apps.save(app, exists, clock.millis());
        LOG.info(() -> (exists ? "Updated" : "Created") + " app " + sdkAppId + " with admins " + app.admins());
        Tenant tenant = tenant(app);
        seed(tenant);
        tenants.put(sdkAppId, tenant);
        misses.remove(sdkAppId);
        return tenant;
    }

    /** Runs every seeder for every app: at start-up, so defaults added by a new version appear. */
    public void seedAll() {
        for (App app : apps.all()) {
            Tenant tenant = tenant(app);
            seed(tenant);
            tenants.put(app.sdkAppId(), tenant);
        }
    }

    /** Reloads every app from the database (periodic task; picks up changes made by other nodes). */
    public void refresh() {
        List<App> all = apps.all();
        Map<Long, App> byId = new HashMap<>();
        all.forEach(app -> byId.put(app.sdkAppId(), app));
        tenants.keySet().removeIf(id -> !byId.containsKey(id));
        for (App app : all) {
            Tenant current = tenants.get(app.sdkAppId());
            if (current == null || !current.app().equals(app)) {
                tenants.put(app.sdkAppId(), tenant(app));
            }
        }
    }

    private void seed(Tenant tenant) {
        for (TenantSeeder seeder : seeders) {
            seeder.seed(tenant);
        }
    }

    private Tenant tenant(App app) {
        return new Tenant(app, new TenantDb(db, app.sdkAppId(), groupCommit, durability));
    }
}
