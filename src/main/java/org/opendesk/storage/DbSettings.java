package org.opendesk.storage;

/**
 * Where the data lives. The default is an embedded H2 file database in MySQL mode;
 * a {@code jdbc:mariadb:} or {@code jdbc:mysql:} URL selects a server.
 */
public record DbSettings(String url, String user, String password, int poolSize) {
    public DbSettings {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database URL is empty");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** The default embedded database: a file under the given directory. */
    public static DbSettings embedded(String directory) {
        // WRITE_DELAY=0: a commit reaches the file before the answer goes out, so a killed
        // process loses nothing it acknowledged. AUTO_SERVER lets the CLI (apps, usersig) open
        // the file while the server runs. QUERY_CACHE_SIZE: H2 keeps 8 parsed statements per
        // connection by default; the message path alone uses more, and re-parsing them costs.
        return new DbSettings("jdbc:h2:file:" + directory + "/desk;MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
                + "CASE_INSENSITIVE_IDENTIFIERS=TRUE;WRITE_DELAY=0;AUTO_SERVER=TRUE;QUERY_CACHE_SIZE=256", "desk", "", 16);
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    /** The URL without credentials or options, fit for logs. */
    public String describe() {
        int semicolon = url.indexOf(';');
        int question = url.indexOf('?');
        int cut = semicolon < 0 ? question : (question < 0 ? semicolon : Math.min(semicolon, question));
        return cut < 0 ? url : url.substring(0, cut);
    }
}
