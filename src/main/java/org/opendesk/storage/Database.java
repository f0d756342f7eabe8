package org.opendesk.storage;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import org.flywaydb.core.Flyway;

import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Opens the database: migrates the schema with Flyway (scripts in {@code db/migration},
 * shipped on the classpath) and builds the DbClient on a Hikari pool.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    private final DbSettings settings;
    private final DbClient client;
    private final Durability durability;

    private Database(DbSettings settings, DbClient client) {
        this.settings = settings;
        this.client = client;
        this.durability = Durability.of(client, settings);
    }

    public static Database open(DbSettings settings) {
        Flyway.configure()
                .dataSource(settings.url(), settings.user(), settings.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        Map<String, String> cfg = new HashMap<>();
        cfg.put("source", "jdbc");
        cfg.put("connection.url", settings.url());
        cfg.put("connection.username", settings.user());
        cfg.put("connection.password", settings.password());
        cfg.put("connection.maximumPoolSize", Integer.toString(settings.poolSize()));
        cfg.put("connection.poolName", "desk");
        DbClient client = DbClient.create(Config.just(ConfigSources.create(cfg)));
        LOG.info(() -> "Database ready: " + settings.describe());
        return new Database(settings, client);
    }

    public DbClient client() {
        return client;
    }

    /** When a commit is on disk (see {@link Durability}). */
    public Durability durability() {
        return durability;
    }

    public DbSettings settings() {
        return settings;
    }

    /** True when a trivial statement succeeds; used by the health check. */
    public boolean ping() {
        try (var rows = client.execute().createNamedQuery("health-ping", "SELECT 1").execute()) {
            return rows.findFirst().isPresent();
        }
    }

    @Override
    public void close() {
        durability.close();
        client.close();
    }
}
