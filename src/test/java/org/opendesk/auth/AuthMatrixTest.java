package org.opendesk.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.json.Json;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDesk;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opendesk.testing.TestDesk.ADMIN;
import static org.opendesk.testing.TestDesk.APP_A;
import static org.opendesk.testing.TestDesk.APP_B;
import static org.opendesk.testing.TestDesk.KEY_A;
import static org.opendesk.testing.TestDesk.KEY_B;

/**
 * Every way an admin UserSig can be wrong, each with the vendor's code. Tokens come from
 * Tencent's official tls-sig-api-v2 generator, so the verifier is checked against it.
 */
@ServerTest
class AuthMatrixTest {
    private static final MutableClock CLOCK = new MutableClock();
    private static final String CHECK = "{\"CheckItem\":[{\"UserID\":\"@customer_service_account\"}]}";
    private static Desk desk;

    private final AdminClient client;

    AuthMatrixTest(Http1Client http) {
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, CLOCK, Map.of("DESK_ADMIN", ADMIN + ",ops_admin"));
    }

    private AdminClient.Reply check(long sdkAppId, String identifier, String usersig) {
        return client.call("im_open_login_svc", "account_check", AdminClient.query(sdkAppId, identifier, usersig), CHECK);
    }

    private static void assertFail(AdminClient.Reply reply, int code) {
        assertEquals(200, reply.status(), reply.raw());
        assertEquals("FAIL", reply.json().path("ActionStatus").asText(), reply.raw());
        assertEquals(code, reply.code(), reply.raw());
        assertTrue(reply.info().length() > 10, "ErrorInfo must say what to fix: " + reply.raw());
    }

    @Test
    void validOfficialTokenIsAccepted() {
        AdminClient.Reply reply = check(APP_A, ADMIN, TestDesk.sig(APP_A, KEY_A, ADMIN, 86_400));
        assertTrue(reply.ok(), reply.raw());
        assertEquals("Imported", reply.json().path("ResultItem").get(0).path("AccountStatus").asText());
    }

    @Test
    void everyConfiguredAdminIsAccepted() {
        assertTrue(check(APP_A, "ops_admin", TestDesk.sig(APP_A, KEY_A, "ops_admin", 3600)).ok());
    }

    @Test
    void tokenWithUserBufFromOfficialGeneratorIsAccepted() {
        // genPrivateMapKey signs TLS.userbuf too: the verifier must include it in the HMAC.
        String token = new com.tencentyun.TLSSigAPIv2(APP_A, KEY_A).genPrivateMapKey(ADMIN, 3600, 1234, 255);
        assertTrue(check(APP_A, ADMIN, token).ok());
    }

    @Test
    void expiredToken() {
        String token = TestDesk.sig(APP_A, KEY_A, "ops_admin", 60);
        assertTrue(check(APP_A, "ops_admin", token).ok(), "valid first (and now cached)");
        CLOCK.advance(Duration.ofSeconds(120));
        try {
            assertFail(check(APP_A, "ops_admin", token), 70001);
        } finally {
            CLOCK.advance(Duration.ofSeconds(-120));
        }
    }

    @Test
    void tokenSignedWithAnotherKey() {
        assertFail(check(APP_A, ADMIN, TestDesk.sig(APP_A, "not-the-key", ADMIN, 86_400)), 70009);
    }

    @Test
    void forgedSignature() {
        String genuine = TestDesk.sig(APP_A, KEY_A, ADMIN, 86_400);
        ObjectNode json = decode(genuine);
        json.put("TLS.expire", 999_999_999L); // extend the lifetime, keep the old signature
        assertFail(check(APP_A, ADMIN, encode(json)), 70009);
        ObjectNode other = decode(genuine);
        other.put("TLS.sig", Base64.getEncoder().encodeToString(new byte[32]));
        assertFail(check(APP_A, ADMIN, encode(other)), 70009);
    }

    @Test
    void truncatedToken() {
        String genuine = TestDesk.sig(APP_A, KEY_A, ADMIN, 86_400);
        assertFail(check(APP_A, ADMIN, genuine.substring(0, genuine.length() / 2)), 70003);
    }

    @Test
    void garbageTokens() {
        for (String garbage : List.of("garbage", "eJw", "!!!!", "eJyrVkrOz0nNzVGyUjI0MDC0NDA3MjVXMjQyMjI2NzdXqgUAZZkG2A__")) {
            assertFail(check(APP_A, ADMIN, garbage), 70003);
        }
        // valid zlib + base64 of something that is not a token
        assertFail(check(APP_A, ADMIN, encodeRaw("[1,2,3]".getBytes())), 70003);
        assertFail(check(APP_A, ADMIN, encodeRaw("{\"TLS.ver\":\"2.0\"}".getBytes())), 70003);
    }

    @Test
    void identifierMismatch() {
        assertFail(check(APP_A, ADMIN, TestDesk.sig(APP_A, KEY_A, "ops_admin", 86_400)), 70013);
    }

    @Test
    void nonAdminIdentifier() {
        AdminClient.Reply reply = check(APP_A, "alice", TestDesk.sig(APP_A, KEY_A, "alice", 86_400));
        // im_open_login_svc documents its own code for this (70403), not the public 60010
        assertFail(reply, 70403);
        assertTrue(reply.info().contains("alice"), reply.info());
    }

    @Test
    void unknownSdkAppId() {
        assertFail(check(1_400_999_999L, ADMIN, TestDesk.sig(1_400_999_999L, KEY_A, ADMIN, 86_400)), 70020);
    }

    @Test
    void tokenOfAppAUsedForAppB() {
        assertFail(check(APP_B, ADMIN, TestDesk.sig(APP_A, KEY_A, ADMIN, 86_400)), 70014);
        // ...and a token claiming app B but signed with A's key
        assertFail(check(APP_B, ADMIN, TestDesk.sig(APP_B, KEY_A, ADMIN, 86_400)), 70009);
        assertTrue(check(APP_B, ADMIN, TestDesk.sig(APP_B, KEY_B, ADMIN, 86_400)).ok());
    }

    @Test
    void missingCredentials() {
        Map<String, String> q = AdminClient.query(APP_A, ADMIN, TestDesk.sigA(ADMIN));
        for (String param : List.of("identifier", "usersig")) {
            Map<String, String> without = new java.util.LinkedHashMap<>(q);
            without.remove(param);
            assertFail(client.call("im_open_login_svc", "account_check", without, CHECK), 60004);
        }
        Map<String, String> noApp = new java.util.LinkedHashMap<>(q);
        noApp.remove("sdkappid");
        assertFail(client.call("im_open_login_svc", "account_check", noApp, CHECK), 60012);
        Map<String, String> badApp = new java.util.LinkedHashMap<>(q);
        badApp.put("sdkappid", "14000x");
        assertFail(client.call("im_open_login_svc", "account_check", badApp, CHECK), 60006);
    }

    @Test
    void rotatedKeyInvalidatesCachedTokens() {
        long app = 1_400_000_077L;
        desk.tenants().upsert(app, "first-key", List.of(ADMIN));
        String old = TestDesk.sig(app, "first-key", ADMIN, 86_400);
        assertTrue(check(app, ADMIN, old).ok());
        desk.tenants().upsert(app, "second-key", List.of(ADMIN));
        assertFail(check(app, ADMIN, old), 70009);
        assertTrue(check(app, ADMIN, TestDesk.sig(app, "second-key", ADMIN, 86_400)).ok());
    }

    private static ObjectNode decode(String token) {
        try {
            return (ObjectNode) Json.mapper().readTree(UserSig.decode(token));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String encode(ObjectNode json) {
        try {
            return UserSig.encode(Json.mapper().writeValueAsBytes(json));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String encodeRaw(byte[] raw) {
        return UserSig.encode(raw);
    }
}
