package org.opendesk.testing;

import org.opendesk.storage.DbSettings;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The database a test server runs on. {@code -Ddesk.test.db=h2} (default) gives a private
 * in-memory H2; {@code mariadb} creates a fresh database on the server named by
 * DESK_TEST_MARIADB_URL. A missing or unreachable MariaDB fails the test: never a skip.
 */
public final class TestDb {
    private TestDb() {
    }

    public static boolean mariadb() {
        return "mariadb".equals(System.getProperty("desk.test.db", "h2"));
    }

    /** A new, empty database. */
    public static DbSettings fresh() {
        if (mariadb()) {
            return createMariaDb();
        }
        return new DbSettings("jdbc:h2:mem:t" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;DB_CLOSE_DELAY=-1", "sa", "", 8);
    }

    /** A new database that outlives its server, for restart tests (a file for H2). */
    public static DbSettings durable(Path dir) {
        if (mariadb()) {
            return createMariaDb();
        }
        return DbSettings.embedded(dir.toString());
    }

    private static DbSettings createMariaDb() {
        String base = System.getenv("DESK_TEST_MARIADB_URL");
        if (base == null || base.isBlank()) {
            throw new IllegalStateException("desk.test.db=mariadb but DESK_TEST_MARIADB_URL is not set;"
                    + " run the suite through .ci/run, which starts MariaDB");
        }
        String user = System.getenv().getOrDefault("DESK_TEST_MARIADB_USER", "desk");
        String password = System.getenv().getOrDefault("DESK_TEST_MARIADB_PASSWORD", "");
        String name = "desk_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on MariaDB at " + base + ": " + e.getMessage(), e);
        }
        String url = base.endsWith("/") ? base + name : base + "/" + name;
        return new DbSettings(url, user, password, 8);
    }
}
