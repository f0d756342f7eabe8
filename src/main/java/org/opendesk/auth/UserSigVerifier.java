package org.opendesk.auth;

import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.tenant.App;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks that a UserSig was issued by the app's secret key for this identifier and
 * SDKAppID and has not expired. Successful verifications are cached (bounded), keyed by
 * the token and remembered with the key that verified them, so the hot path is a map
 * lookup and an expiry check, and a rotated key invalidates old entries at once.
 */
public final class UserSigVerifier {
    private final Clock clock;
    private final int maxEntries;
    private final Map<String, Verified> cache = new ConcurrentHashMap<>();

    private record Verified(long sdkAppId, String identifier, long expiresAtMillis, String secretKey) {
    }

    public UserSigVerifier(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /**
     * Verifies {@code usersig} for {@code identifier} in {@code app}, throwing the vendor's
     * code for the first thing wrong: 70003 unparseable, 70014 other SDKAppID, 70013 other
     * identifier, 70009 bad signature, 70001 expired.
     */
    public void verify(App app, String identifier, String usersig) {
        long now = clock.millis();
        Verified hit = cache.get(usersig);
        if (hit != null && hit.sdkAppId == app.sdkAppId() && hit.identifier.equals(identifier)
                && hit.secretKey.equals(app.secretKey())) {
            if (now > hit.expiresAtMillis) {
                cache.remove(usersig);
                throw expired(hit.expiresAtMillis);
            }
            return;
        }
        UserSig.Claims claims = UserSig.parse(usersig);
        if (claims.sdkAppId() != app.sdkAppId()) {
            throw new DeskException(DeskError.SIG_SDKAPPID_MISMATCH, "usersig was generated for SDKAppID "
                    + claims.sdkAppId() + " but the request is for SDKAppID " + app.sdkAppId());
        }
        if (!claims.identifier().equals(identifier)) {
            throw new DeskException(DeskError.SIG_IDENTIFIER_MISMATCH, "usersig was generated for identifier '"
                    + claims.identifier() + "' but the request's identifier is '" + identifier + "'");
        }
        if (!claims.verify(app.secretKey())) {
            throw new DeskException(DeskError.SIG_VERIFY, "usersig signature does not match: generate it with the"
                    + " secret key of SDKAppID " + app.sdkAppId());
        }
        long expiresAtMillis = saturatedMillis(claims.time(), claims.expire());
        if (now > expiresAtMillis) {
            throw expired(expiresAtMillis);
        }
        if (cache.size() >= maxEntries) {
            evictSome();
        }
        cache.put(usersig, new Verified(app.sdkAppId(), identifier, expiresAtMillis, app.secretKey()));
    }

    /** (time + expire) seconds as milliseconds, clamped instead of overflowing on absurd claims. */
    private static long saturatedMillis(long time, long expire) {
        try {
            return Math.multiplyExact(Math.addExact(time, expire), 1000L);
        } catch (ArithmeticException e) {
            return (time > 0 || expire > 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }

    private static DeskException expired(long expiresAtMillis) {
        return new DeskException(DeskError.SIG_EXPIRED, "usersig expired at unix time " + (expiresAtMillis / 1000)
                + "; generate a new one (a lifetime of at least 24 hours is advised)");
    }

    /** Drops about a quarter of the entries: a cheap bound that keeps the hot ones mostly. */
    private void evictSome() {
        int toDrop = Math.max(1, maxEntries / 4);
        Iterator<String> it = cache.keySet().iterator();
        while (toDrop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    int size() {
        return cache.size();
    }
}
