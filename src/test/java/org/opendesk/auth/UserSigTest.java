package org.opendesk.auth;

import com.tencentyun.TLSSigAPIv2;
import org.junit.jupiter.api.Test;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.tenant.App;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The codec against Tencent's generator and the published vector. */
class UserSigTest {
    @Test
    void knownVector() {
        // STACK.md: sdkappid 1400000000, key test-key, identifier administrator, expire 86400, time 1795306371
        assertEquals("lNuQyvjaYlj7LmowiCj82fZ6epVZpvXG83rmvdap5tE=",
                UserSig.hmac("test-key", "administrator", 1_400_000_000L, 1_795_306_371L, 86_400, null));
        String token = UserSig.generate(1_400_000_000L, "test-key", "administrator", 86_400, 1_795_306_371L);
        UserSig.Claims claims = UserSig.parse(token);
        assertEquals("lNuQyvjaYlj7LmowiCj82fZ6epVZpvXG83rmvdap5tE=", claims.sig());
        assertTrue(claims.verify("test-key"));
        assertTrue(token.startsWith("eJ"), "zlib with default settings, as the official generator");
    }

    @Test
    void parsesOfficialTokens() {
        String token = new TLSSigAPIv2(1_400_000_123L, "k-123").genUserSig("用户_1", 600);
        UserSig.Claims claims = UserSig.parse(token);
        assertEquals("用户_1", claims.identifier());
        assertEquals(1_400_000_123L, claims.sdkAppId());
        assertEquals(600, claims.expire());
        assertTrue(claims.verify("k-123"));
        assertTrue(!claims.verify("k-124"));
    }

    @Test
    void ourTokensMatchTheOfficialShape() {
        long now = System.currentTimeMillis() / 1000;
        UserSig.Claims ours = UserSig.parse(UserSig.generate(1_400_000_123L, "k", "admin", 3600, now));
        UserSig.Claims theirs = UserSig.parse(new TLSSigAPIv2(1_400_000_123L, "k").genUserSig("admin", 3600));
        assertEquals(theirs.identifier(), ours.identifier());
        assertEquals(theirs.expire(), ours.expire());
        if (theirs.time() == ours.time()) {
            assertEquals(theirs.sig(), ours.sig());
        }
    }

    @Test
    void verifierChecksExpiryAgainstItsClock() {
        App app = new App(1_400_000_123L, "k", Set.of("admin"));
        String token = UserSig.generate(app.sdkAppId(), "k", "admin", 100, 1_000_000);
        Clock before = Clock.fixed(Instant.ofEpochSecond(1_000_050), ZoneOffset.UTC);
        Clock after = Clock.fixed(Instant.ofEpochSecond(1_000_101), ZoneOffset.UTC);
        new UserSigVerifier(before, 10).verify(app, "admin", token);
        DeskException e = assertThrows(DeskException.class, () -> new UserSigVerifier(after, 10).verify(app, "admin", token));
        assertEquals(DeskError.SIG_EXPIRED, e.error());
    }

    @Test
    void cacheStaysBounded() {
        App app = new App(1_400_000_123L, "k", Set.of("admin"));
        UserSigVerifier verifier = new UserSigVerifier(Clock.systemUTC(), 8);
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 50; i++) {
            verifier.verify(app, "admin", UserSig.generate(app.sdkAppId(), "k", "admin", 3600 + i, now));
        }
        assertTrue(verifier.size() <= 8, "cache size " + verifier.size());
    }
}
