package org.opendesk.realtime;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;
import org.opendesk.tenant.TenantRegistry;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Which users have a visitor socket open, across nodes (desk_presence): a row per user and node
 * while the user has a socket on that node, refreshed by the node's heartbeat. A user is online
 * while a fresh row exists; a killed node's rows go stale after {@link #STALE_MILLIS} and any node
 * removes them. Listeners hear a user come online (its first socket anywhere) and go offline (its
 * last socket closed, or its node's rows went stale). Times are the wall clock: presence is about
 * processes being alive, not the domain clock. Users who never used the visitor socket (IM SDK or
 * REST only) have no presence at all and never "go offline".
 */
public final class Presence {
    private static final Logger LOG = Logger.getLogger(Presence.class.getName());
    /** How often a node refreshes its rows. */
    public static final long HEARTBEAT_MILLIS = 10_000;
    /** A row older than this belongs to a node that stopped. */
    public static final long STALE_MILLIS = 35_000;

    private static final String JOIN = "INSERT INTO desk_presence (sdkappid, user_id, node_id, seen_at) VALUES "
            + "(:sdkappid, :user, :node, :now) ON DUPLICATE KEY UPDATE seen_at = :now";
    private static final String LEAVE = "DELETE FROM desk_presence WHERE sdkappid = :sdkappid AND user_id = :user "
            + "AND node_id = :node";
    private static final String ONLINE = "SELECT node_id FROM desk_presence WHERE sdkappid = :sdkappid AND user_id = :user "
            + "AND seen_at >= :fresh LIMIT 1";
    private static final String BEAT = "UPDATE desk_presence SET seen_at = :now WHERE node_id = :node";
    private static final String STALE = "SELECT sdkappid, user_id, node_id FROM desk_presence WHERE seen_at < :fresh LIMIT 500";
    private static final String DROP = "DELETE FROM desk_presence WHERE sdkappid = :sdkappid AND user_id = :user "
            + "AND node_id = :node AND seen_at < :fresh";

    /** What hears users come and go. */
    public interface Listener {
        void cameOnline(Tenant tenant, String userId);

        void wentOffline(Tenant tenant, String userId);
    }

    private final DbClient client;
    private final TenantRegistry tenants;
    private final LongSupplier wallClock;
    private final String node = UUID.randomUUID().toString();
    private final Map<String, Integer> sockets = new ConcurrentHashMap<>(); // "app/user" -> sockets open on this node
    private final Object[] stripes = new Object[64];
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public Presence(DbClient client, TenantRegistry tenants, LongSupplier wallClock) {
        this.client = client;
        this.tenants = tenants;
        this.wallClock = wallClock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /** A socket of the user opened on this node. */
    public void joined(Tenant tenant, String userId) {
        String key = tenant.sdkAppId() + "/" + userId;
        boolean first;
        synchronized (stripe(key)) { // the row follows the count: a join and a leave of one user do not cross
            first = sockets.merge(key, 1, Integer::sum) == 1;
            if (first) {
                tenant.db().dml("presence-join", JOIN, Params.of("user", userId, "node", node).put("now", wallClock.getAsLong()));
            }
        }
        if (first) {
            listeners.forEach(l -> l.cameOnline(tenant, userId));
        }
    }

    /** A socket of the user closed on this node. */
    public void left(Tenant tenant, String userId) {
        String key = tenant.sdkAppId() + "/" + userId;
        boolean last;
        synchronized (stripe(key)) {
            last = sockets.computeIfPresent(key, (k, open) -> open > 1 ? open - 1 : null) == null;
            if (last) {
                tenant.db().dml("presence-leave", LEAVE, Params.of("user", userId, "node", node));
            }
        }
        if (last && !online(tenant.db(), userId)) {
            listeners.forEach(l -> l.wentOffline(tenant, userId));
        }
    }

    /** Whether the user has a socket open on some live node. */
    public boolean online(TenantDb db, String userId) {
        return db.one("presence-online", ONLINE, Params.of("user", userId, "fresh", wallClock.getAsLong() - STALE_MILLIS),
                r -> Sql.string(r, "node_id")).isPresent();
    }

    /**
     * Refreshes this node's rows and removes stale ones of stopped nodes; the users left without a
     * fresh row go offline. Answers how many stale rows were removed.
     */
    public int heartbeat() {
        long now = wallClock.getAsLong();
        client.execute().createNamedDmlStatement("presence-beat", BEAT).addParam("now", now).addParam("node", node).execute();
        List<String[]> stale;
        try (Stream<DbRow> rows = client.execute().createNamedQuery("presence-stale", STALE)
                .addParam("fresh", now - STALE_MILLIS).execute()) {
            stale = rows.map(r -> new String[] {Long.toString(Sql.longValue(r, "sdkappid")), Sql.string(r, "user_id"),
                    Sql.string(r, "node_id")}).toList();
        }
        int removed = 0;
        for (String[] row : stale) {
            Tenant tenant = tenants.find(Long.parseLong(row[0])).orElse(null);
            if (tenant == null) {
                continue;
            }
            try {
                // removed by one node only (the condition on seen_at: a node that came back refreshed it)
                if (tenant.db().dml("presence-drop", DROP, Params.of("user", row[1], "node", row[2])
                        .put("fresh", now - STALE_MILLIS)) == 1) {
                    removed++;
                    if (!online(tenant.db(), row[1])) {
                        listeners.forEach(l -> l.wentOffline(tenant, row[1]));
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stale presence of " + row[1] + " not removed; retried", e);
            }
        }
        return removed;
    }

    /** The node stops: its rows go (its users reconnect elsewhere; nobody is told they went offline). */
    public void close() {
        try {
            client.execute().createNamedDmlStatement("presence-node-gone", "DELETE FROM desk_presence WHERE node_id = :node")
                    .addParam("node", node).execute();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "presence rows of this node not removed (they go stale)", e);
        }
    }

    private Object stripe(String key) {
        return stripes[Math.floorMod(key.hashCode(), stripes.length)];
    }
}
