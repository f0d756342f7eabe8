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
        // WRITE_DELAY: H2 writes its store in the background at most this long after a commit; the
        // commits that are acknowledged (every write through TenantDb, message writes) wait for
        // Durability's flush first, so a killed process loses nothing it acknowledged, and the
        // writing happens beside the next transactions instead of inside each commit. (A second
        // process reaching the file through AUTO_SERVER relies on these background writes.)
        // AUTO_SERVER lets the CLI (apps, usersig) open the file while the server runs.
        // QUERY_CACHE_SIZE: H2 keeps 8 parsed statements per connection by default; the message
        // path alone uses more, and re-parsing them costs. (CACHE_SIZE stays H2's 16 MB: 64, 128
        // and 512 MB measured no better, the larger ones worse: longer collector pauses.)
        return new DbSettings("jdbc:h2:file:" + directory + "/desk;MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
                + "CASE_INSENSITIVE_IDENTIFIERS=TRUE;WRITE_DELAY=500;AUTO_SERVER=TRUE;QUERY_CACHE_SIZE=256", "desk", "", 16);
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
