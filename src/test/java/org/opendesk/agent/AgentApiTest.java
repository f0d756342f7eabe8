package org.opendesk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Method;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkOctet;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.team.TeamService;
import org.opendesk.tenant.Tenant;
import org.opendesk.testing.AdminClient.Reply;
import org.opendesk.testing.AgentClient;
import org.opendesk.testing.TestDesk;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent API over real HTTP: login and its refusals, the one-time password, tokens (tampered,
 * forged, of another app, ended), the JSON errors with their HTTP statuses, and the mapping of
 * every workbench route onto the Workbench port (a recording one: the human service is tested
 * end to end elsewhere).
 */
@ServerTest
class AgentApiTest {
    private static final RecordingWorkbench WORKBENCH = new RecordingWorkbench();
    private static final int MAX_BODY = 4_096;
    private static Desk desk;
    private final AgentClient agent;

    AgentApiTest(Http1Client http) {
        this.agent = new AgentClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_MAX_BODY_BYTES", Integer.toString(MAX_BODY)),
                d -> WORKBENCH);
    }

    private static Tenant tenant(long app) {
        return desk.tenants().find(app).orElseThrow();
    }

    private static void assertError(Reply r, int status, int code, String infoPart) {
        assertEquals(status, r.status(), r.raw());
        assertEquals(code, r.code(), r.raw());
        assertTrue(r.info().contains(infoPart), r.raw());
        assertFalse(r.json().path("RequestId").asText().isEmpty(), r.raw());
        assertFalse(r.raw().contains("Exception") || r.raw().contains("org.opendesk"), "no class names: " + r.raw());
    }

    // ---- login

    @Test
    void aMemberLogsInAndSeesItself() {
        AgentClient.member(desk, TestDesk.APP_A, "ann@example.com");
        Reply login = agent.login("Ann@Example.com ", AgentClient.PASSWORD);
        assertEquals(200, login.status(), login.raw());
        JsonNode j = login.json();
        assertEquals(28_800, j.path("ExpiresIn").asLong());
        assertEquals(TestDesk.APP_A, j.path("SDKAppID").asLong());
        assertEquals("ann@example.com", j.path("MemberId").asText());
        assertEquals("ann", j.path("NickName").asText());
        assertFalse(j.path("PasswordChangeRequired").asBoolean(true));
        assertEquals(3, j.path("Token").asText().split("\\.").length, "a JWT");
        assertFalse(login.requestIdHeader().isEmpty());

        Reply me = agent.get("/me", j.path("Token").asText());
        assertEquals(200, me.status(), me.raw());
        assertEquals("ann@example.com", me.json().path("MemberId").asText());
        assertEquals(List.of("staff"), List.of(me.json().path("Roles").get(0).asText()));
        assertEquals("offline", me.json().path("Status").asText());
        assertTrue(me.json().path("TokenExpiresAt").asLong() > Instant.now().getEpochSecond());
    }

    @Test
    void aWrongPasswordAndAnUnknownMemberReadTheSame() {
        AgentClient.member(desk, TestDesk.APP_A, "ben@example.com");
        Reply wrong = agent.login("ben@example.com", "not the password");
        Reply unknown = agent.login("nobody@example.com", AgentClient.PASSWORD);
        assertError(wrong, 401, 60004, "wrong MemberId or password");
        assertError(unknown, 401, 60004, "wrong MemberId or password");
        assertEquals(wrong.info(), unknown.info());
        assertError(agent.post("/login", null, Map.of("MemberId", "ben@example.com")), 400, 141004, "Password is required");
        assertError(agent.post("/login", null, Map.of("MemberId", 5, "Password", "x")), 400, 141004,
                "MemberId must be a string");
        assertError(agent.post("/login", null, Map.of("MemberId", "ben@example.com", "Password", AgentClient.PASSWORD,
                "SDKAppID", "1400000001")), 400, 141004, "SDKAppID must be an integer");
    }

    @Test
    void aForcedOfflineMemberCannotLogInNorUseItsToken() {
        AgentClient.member(desk, TestDesk.APP_A, "cid@example.com");
        String token = agent.token("cid@example.com");
        desk.team().forceOffline(tenant(TestDesk.APP_A), "cid@example.com");
        assertError(agent.login("cid@example.com", AgentClient.PASSWORD), 403, 70051, "forced offline");
        assertError(agent.get("/me", token), 403, 70051, "forced offline");
        desk.team().restore(tenant(TestDesk.APP_A), "cid@example.com");
        assertEquals(200, agent.get("/me", token).status(), "restored, the token works again");
    }

    @Test
    void aMemberWithoutTheStaffRoleCannotLogIn() {
        AgentClient.member(desk, TestDesk.APP_A, "dee@example.com", "admin");
        assertError(agent.login("dee@example.com", AgentClient.PASSWORD), 403, 141004, "workbench role");
    }

    @Test
    void aMemberOfTwoAppsNamesTheApp() {
        AgentClient.member(desk, TestDesk.APP_A, "eve@example.com");
        AgentClient.member(desk, TestDesk.APP_B, "eve@example.com");
        assertError(agent.login("eve@example.com", AgentClient.PASSWORD), 400, 60012, "SDKAppID");
        Reply b = agent.post("/login", null, Map.of("MemberId", "eve@example.com", "Password", AgentClient.PASSWORD,
                "SDKAppID", TestDesk.APP_B));
        assertEquals(200, b.status(), b.raw());
        assertEquals(TestDesk.APP_B, b.json().path("SDKAppID").asLong());
        assertEquals(TestDesk.APP_B, agent.get("/me", b.json().path("Token").asText()).json().path("SDKAppID").asLong());
    }

    // ---- the one-time password

    @Test
    void theOneTimePasswordMustBeChangedFirst() {
        TeamService.Added added = desk.team().addMember(tenant(TestDesk.APP_A), "fay@example.com", "Fay", List.of("staff"));
        Reply first = agent.login("fay@example.com", added.password());
        assertEquals(200, first.status(), first.raw());
        assertTrue(first.json().path("PasswordChangeRequired").asBoolean());
        String once = first.json().path("Token").asText();
        assertError(agent.get("/me", once), 403, 141004, "POST /agent/v1/password");
        assertError(agent.get("/sessions", once), 403, 141004, "POST /agent/v1/password");
        assertError(agent.post("/status", once, Map.of("Status", "free")), 403, 141004, "POST /agent/v1/password");
        assertTrue(WORKBENCH.calls.stream().noneMatch(c -> c.contains("fay@example.com")), "the workbench was not called");

        assertError(agent.post("/password", once, Map.of("OldPassword", "guess", "NewPassword", "a new password")), 403,
                60004, "OldPassword is wrong");
        assertError(agent.post("/password", once, Map.of("OldPassword", added.password(), "NewPassword", "short")), 400,
                141004, "NewPassword");
        Reply changed = agent.post("/password", once, Map.of("OldPassword", added.password(), "NewPassword",
                "my own password"));
        assertEquals(200, changed.status(), changed.raw());
        assertFalse(changed.json().path("PasswordChangeRequired").asBoolean(true));
        String token = changed.json().path("Token").asText();
        assertEquals(200, agent.get("/me", token).status());

        assertError(agent.login("fay@example.com", added.password()), 401, 60004, "wrong MemberId or password");
        assertEquals(200, agent.login("fay@example.com", "my own password").status());
        assertError(agent.post("/password", once, Map.of("OldPassword", "my own password", "NewPassword", "another one")),
                401, 70052, "password of fay@example.com changed");
    }

    // ---- tokens

    @Test
    void aMissingOrUnreadableTokenIsRefused() {
        assertError(agent.get("/me", null), 401, 60004, "Authorization");
        assertError(agent.call(Method.GET, "/me", null, null), 401, 60004, "Authorization");
        assertError(agent.get("/me", "not-a-jwt"), 401, 70003, "cannot be read");
    }

    @Test
    void aTamperedTokenIsRefused() {
        AgentClient.member(desk, TestDesk.APP_A, "gus@example.com");
        String token = agent.token("gus@example.com");
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("gus@example.com", "ann@example.com");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertError(agent.get("/me", tampered), 401, 70009, "signature");
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        assertError(agent.get("/me", unsigned), 401, 70009, "HS256");
    }

    @Test
    void aTokenMadeWithAnotherAppsKeyOrForAnUnknownAppIsRefused() {
        AgentClient.member(desk, TestDesk.APP_A, "hal@example.com");
        int version = desk.team().member(tenant(TestDesk.APP_A).db(), "hal@example.com").orElseThrow().passwordVersion();
        // the key as documented: HMAC-SHA256(app secret key, "desk-agent-token")
        assertEquals(200, agent.get("/me", forge(TestDesk.APP_A, TestDesk.KEY_A, "hal@example.com", version)).status(),
                "a token made as documented with the app's own key works");
        assertError(agent.get("/me", forge(TestDesk.APP_A, TestDesk.KEY_B, "hal@example.com", version)), 401, 70009,
                "signature");
        assertError(agent.get("/me", forge(1_499_999_999L, TestDesk.KEY_A, "hal@example.com", version)), 401, 70020,
                "does not exist");
    }

    @Test
    void rotatingTheAppsKeyEndsItsTokens() {
        AgentClient.member(desk, TestDesk.APP_B, "ivy@example.com");
        String token = agent.post("/login", null, Map.of("MemberId", "ivy@example.com", "Password", AgentClient.PASSWORD,
                "SDKAppID", TestDesk.APP_B)).json().path("Token").asText();
        assertEquals(200, agent.get("/me", token).status());
        desk.tenants().upsert(TestDesk.APP_B, "a rotated key of app B", List.of(TestDesk.ADMIN));
        try {
            assertError(agent.get("/me", token), 401, 70009, "signature");
        } finally {
            desk.tenants().upsert(TestDesk.APP_B, TestDesk.KEY_B, List.of(TestDesk.ADMIN));
        }
    }

    @Test
    void aDeletedMembersTokenIsRefused() {
        AgentClient.member(desk, TestDesk.APP_A, "jo@example.com");
        String token = agent.token("jo@example.com");
        desk.team().deleteMember(tenant(TestDesk.APP_A), "jo@example.com");
        assertError(agent.get("/me", token), 401, 70052, "no longer a member");
    }

    private static String forge(long sdkAppId, String secretKey, String memberId, int passwordVersion) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] key = mac.doFinal("desk-agent-token".getBytes(StandardCharsets.UTF_8));
            JwkOctet jwk = JwkOctet.create(jakarta.json.Json.createObjectBuilder().add("kty", "oct").add("alg", "HS256")
                    .add("kid", "desk-agent-" + sdkAppId).add("k", Base64.getUrlEncoder().withoutPadding().encodeToString(key))
                    .build());
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Jwt jwt = Jwt.builder().algorithm("HS256").keyId("desk-agent-" + sdkAppId).subject(memberId)
                    .addPayloadClaim("sdkappid", sdkAppId).addPayloadClaim("pwd_ver", passwordVersion)
                    .addPayloadClaim("pwd_change", false).issueTime(now).expirationTime(now.plusSeconds(600)).build();
            return SignedJwt.sign(jwt, jwk).tokenContent();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    // ---- HTTP errors

    @Test
    void badBodiesAndUnknownRoutesAnswerJsonErrors() {
        assertError(agent.post("/login", null, "{\"MemberId\": "), 400, 60003, "not valid JSON");
        assertError(agent.post("/login", null, "[1, 2]"), 400, 60003, "JSON object");
        assertError(agent.post("/login", null, "{\"MemberId\":\"a@b.cd\",\"MemberId\":\"e@f.gh\"}"), 400, 60003, "JSON");
        assertError(agent.post("/login", null, "{\"Password\":\"" + "x".repeat(MAX_BODY) + "\"}"), 413, 60008,
                "larger than the " + MAX_BODY);
        assertError(agent.get("/nothing", null), 404, 60009, "POST /agent/v1/login");
        Reply wrongMethod = agent.get("/login", null);
        assertError(wrongMethod, 405, 60008, "use POST");
    }

    // ---- the workbench routes

    private String workingToken(String memberId) {
        AgentClient.member(desk, TestDesk.APP_A, memberId);
        return agent.token(memberId);
    }

    @Test
    void statusGoesToTheWorkbench() {
        String token = workingToken("kim@example.com");
        Reply rest = agent.post("/status", token, Map.of("Status", "REST", "RestReason", " lunch "));
        assertEquals(200, rest.status(), rest.raw());
        assertEquals("rest", rest.json().path("Status").asText());
        assertEquals("setStatus kim@example.com REST lunch", WORKBENCH.last());
        agent.post("/status", token, Map.of("Status", "free", "RestReason", "ignored"));
        assertEquals("setStatus kim@example.com FREE ", WORKBENCH.last());
        assertError(agent.post("/status", token, Map.of("Status", "dancing")), 400, 141004, "free, busy, rest, offline");
        assertError(agent.post("/status", token, Map.of("Status", 1)), 400, 141004, "Status must be a string");
        assertError(agent.post("/status", token, Map.of("Status", "rest", "RestReason", "r".repeat(65))), 400, 141004,
                "RestReason");
    }

    @Test
    void sessionsAndAcceptMapToTheWorkbenchAndItsFailuresToStatuses() {
        String token = workingToken("lee@example.com");
        JsonNode s = agent.get("/sessions", token).json().path("Sessions").path(0);
        assertEquals(RecordingWorkbench.SESSION, s.path("SessionId").asText());
        assertEquals("user-1", s.path("ClientUserId").asText());
        assertEquals("@customer_service_account", s.path("CustomerServiceId").asText());
        assertEquals("Agent", s.path("State").asText());
        assertEquals(3_000, s.path("AcceptedAt").asLong());

        Reply accepted = agent.post("/sessions/" + RecordingWorkbench.SESSION + "/accept", token, null);
        assertEquals(200, accepted.status(), accepted.raw());
        assertEquals("accept lee@example.com " + RecordingWorkbench.SESSION, WORKBENCH.last());
        assertError(agent.post("/sessions/" + RecordingWorkbench.MISSING + "/accept", token, null), 404, 141005,
                "no open session");
        assertError(agent.post("/sessions/" + RecordingWorkbench.WRONG_STATE + "/accept", token, null), 409, 141026,
                "queueing");
        Reply broken = agent.post("/sessions/" + RecordingWorkbench.BROKEN + "/accept", token, null);
        assertError(broken, 500, 141002, "RequestId " + broken.json().path("RequestId").asText());
        assertFalse(broken.raw().contains("boom"), broken.raw());
        assertError(agent.post("/sessions/not-a-session/accept", token, null), 400, 141006, "not a session id");
    }

    @Test
    void messagesAreListedAndSent() {
        String token = workingToken("max@example.com");
        String path = "/sessions/" + RecordingWorkbench.SESSION + "/messages";
        Reply page = agent.get(path + "?Limit=5&Offset=2&Order=1", token);
        assertEquals(200, page.status(), page.raw());
        assertEquals("messages max@example.com " + RecordingWorkbench.SESSION + " newestFirst=false offset=2 limit=5",
                WORKBENCH.last());
        assertEquals(3, page.json().path("TotalCount").asLong());
        JsonNode m = page.json().path("Messages").path(0);
        assertEquals("41_7_1700000000", m.path("MsgKey").asText());
        assertEquals(41, m.path("MsgSeq").asLong());
        assertEquals("user-1", m.path("FromAccount").asText());
        assertEquals(1, m.path("FromAccountRole").asInt());
        assertEquals(1_700_000_000L, m.path("MsgTime").asLong());
        assertEquals("hello", m.path("MsgBody").path(0).path("MsgContent").path("Text").asText());
        agent.get(path, token);
        assertEquals("messages max@example.com " + RecordingWorkbench.SESSION + " newestFirst=true offset=0 limit=20",
                WORKBENCH.last());
        assertError(agent.get(path + "?Limit=0", token), 400, 141004, "Limit");
        assertError(agent.get(path + "?Offset=x", token), 400, 141004, "Offset must be an integer");
        assertError(agent.get(path + "?Order=3", token), 400, 141004, "Order");

        String text = "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi there\"}}]";
        Reply sent = agent.post(path, token, "{\"MsgRandom\":7,\"MsgBody\":" + text + ",\"CloudCustomData\":\"c\"}");
        assertEquals(200, sent.status(), sent.raw());
        assertEquals("send max@example.com " + RecordingWorkbench.SESSION + " 7 " + text + " c", WORKBENCH.last());
        assertEquals("42_7_1700000001", sent.json().path("MsgKey").asText());
        assertEquals(42, sent.json().path("MsgSeq").asLong());
        assertEquals(1_700_000_001L, sent.json().path("MsgTime").asLong());
        Reply generated = agent.post(path, token, "{\"MsgBody\":" + text + "}");
        assertEquals(200, generated.status(), generated.raw());
        long random = Long.parseLong(WORKBENCH.last().split(" ")[3]);
        assertTrue(random >= 0 && random <= 4_294_967_295L, "a generated MsgRandom: " + random);
        assertError(agent.post(path, token, "{\"MsgBody\":{}}"), 400, 90007, "MsgBody must be an array");
        assertError(agent.post(path, token, "{\"MsgBody\":[{\"MsgType\":\"TIMTextElem\"}]}"), 400, 90002, "MsgContent");
        assertError(agent.post(path, token, "{\"MsgRandom\":-1,\"MsgBody\":" + text + "}"), 400, 90005, "MsgRandom");
        assertError(agent.post(path, token, "{\"MsgBody\":" + text + ",\"CloudCustomData\":5}"), 400, 141004,
                "CloudCustomData must be a string");
    }

    @Test
    void endAndTransferGoToTheWorkbench() {
        String token = workingToken("ned@example.com");
        String session = "/sessions/" + RecordingWorkbench.SESSION;
        assertEquals(200, agent.post(session + "/end", token, null).status());
        assertEquals("end ned@example.com " + RecordingWorkbench.SESSION, WORKBENCH.last());
        assertEquals(200, agent.post(session + "/transfer", token, Map.of("MemberId", " Ann@Example.com")).status());
        assertEquals("transfer ned@example.com " + RecordingWorkbench.SESSION + " ann@example.com null", WORKBENCH.last());
        assertEquals(200, agent.post(session + "/transfer", token, Map.of("AgentGroupId", 1001)).status());
        assertEquals("transfer ned@example.com " + RecordingWorkbench.SESSION + " null 1001", WORKBENCH.last());
        assertError(agent.post(session + "/transfer", token, Map.of()), 400, 141004, "exactly one");
        assertError(agent.post(session + "/transfer", token, Map.of("MemberId", "ann@example.com", "AgentGroupId", 1001)),
                400, 141004, "exactly one");
        assertError(agent.post(session + "/transfer", token, Map.of("AgentGroupId", "1001")), 400, 141004,
                "AgentGroupId must be an integer");
        assertError(agent.post(session + "/transfer", token, Map.of("MemberId", "not-an-email")), 400, 141004, "e-mail");
    }
}
