package org.opendesk.agent;

import io.helidon.common.Errors;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkOctet;
import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import org.opendesk.error.DeskError;
import org.opendesk.team.Member;
import org.opendesk.team.TeamService;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantRegistry;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent API's bearer tokens: JWTs signed with HS256 (helidon-security-jwt). Each app's key is
 * derived from its secret key, HMAC-SHA256(secret key, "desk-agent-token"), so every node agrees
 * on it without sharing anything else, and rotating the app's key ends every token of the app.
 * Claims: {@code sdkappid}, {@code sub} (the MemberId), {@code pwd_ver} (the member's password
 * version), {@code pwd_change} (issued on a generated one-time password: only the password route
 * takes it), {@code iat}, {@code nbf} (= iat) and {@code exp}.
 *
 * <p>Verification checks, in order: the token parses as an HS256 JWT with those claims (70003),
 * its app exists (70020), the signature matches the app's key (70009), it has not expired and was
 * not issued in the future (70001 / 70003, 30 s of clock skew between nodes allowed), its member
 * still exists and its password did not change since (70052), the member is not forced offline
 * (70051) and still has the workbench role (141004).
 */
public final class AgentTokens {
    static final String KEY_LABEL = "desk-agent-token";
    static final String SDKAPPID = "sdkappid";
    static final String PASSWORD_VERSION = "pwd_ver";
    static final String PASSWORD_CHANGE = "pwd_change";
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    /** A token just issued and how many seconds it is valid. */
    public record Issued(String token, long expiresIn) {
    }

    /**
     * A verified token: the app, the member as stored now, whether only the password route takes
     * it, and when it expires (unix seconds).
     */
    public record Bearer(Tenant tenant, Member member, boolean passwordChangeRequired, long expiresAt) {
    }

    private record Key(String secretKey, JwkOctet jwk, JwkKeys keys) {
    }

    private final TenantRegistry tenants;
    private final TeamService team;
    private final Clock clock;
    private final Duration lifetime;
    private final Map<Long, Key> keys = new ConcurrentHashMap<>();

    public AgentTokens(TenantRegistry tenants, TeamService team, Clock clock, Duration lifetime) {
        this.tenants = tenants;
        this.team = team;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** A token for a member who just proved its password. */
    public Issued issue(Tenant tenant, Member member) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Key key = key(tenant);
        Jwt jwt = Jwt.builder()
                .type("JWT")
                .algorithm(JwkOctet.ALG_HS256)
                .keyId(key.jwk().keyId())
                .subject(member.memberId())
                .addPayloadClaim(SDKAPPID, tenant.sdkAppId())
                .addPayloadClaim(PASSWORD_VERSION, member.passwordVersion())
                .addPayloadClaim(PASSWORD_CHANGE, member.passwordGenerated())
                .issueTime(now)
                .notBefore(now)
                .expirationTime(now.plus(lifetime))
                .build();
        return new Issued(SignedJwt.sign(jwt, key.jwk()).tokenContent(), lifetime.toSeconds());
    }

    /** The token's app and member, or an {@link AgentRefusal} saying why it is not accepted. */
    public Bearer verify(String token) {
        if (token == null || token.isBlank()) {
            throw AgentRefusal.unauthorized(DeskError.ACCOUNT_OR_SIG, "no token: log in with POST /agent/v1/login and send"
                    + " the Token it answers as Authorization: Bearer <Token>");
        }
        SignedJwt signed;
        try {
            signed = SignedJwt.parseToken(token.strip());
        } catch (RuntimeException e) {
            throw unparsable("it is not a JWT (three Base64url parts separated by dots)");
        }
        Jwt jwt = signed.getJwt();
        if (!JwkOctet.ALG_HS256.equals(jwt.algorithm().orElse(""))) {
            throw AgentRefusal.unauthorized(DeskError.SIG_VERIFY, "the token is not signed with HS256 by this server");
        }
        long sdkAppId = number(jwt, SDKAPPID).orElseThrow(() -> unparsable("it has no numeric claim " + SDKAPPID));
        String memberId = jwt.subject().orElseThrow(() -> unparsable("it has no claim sub (the MemberId)"));
        long passwordVersion = number(jwt, PASSWORD_VERSION).orElseThrow(() -> unparsable("it has no numeric claim "
                + PASSWORD_VERSION));
        boolean passwordChange = jwt.payloadClaim(PASSWORD_CHANGE).map(v -> v == JsonValue.TRUE).orElse(false);
        Tenant tenant = tenants.find(sdkAppId).orElseThrow(() -> AgentRefusal.unauthorized(DeskError.SIG_APP_NOT_FOUND,
                "the token names SDKAppID " + sdkAppId + ", which does not exist on this server"));
        Errors signature = signed.verifySignature(key(tenant).keys());
        if (!signature.isValid()) {
            throw AgentRefusal.unauthorized(DeskError.SIG_VERIFY, "the token's signature does not match: it was not issued"
                    + " by this server for SDKAppID " + sdkAppId + ", was altered, or the app's key changed since");
        }
        Instant now = clock.instant();
        Instant expires = jwt.expirationTime().orElseThrow(() -> unparsable("it has no claim exp"));
        jwt.issueTime().orElseThrow(() -> unparsable("it has no claim iat"));
        if (now.isAfter(expires.plus(CLOCK_SKEW))) {
            throw AgentRefusal.unauthorized(DeskError.SIG_EXPIRED, "the token expired at unix time "
                    + expires.getEpochSecond() + ": log in again");
        }
        Errors time = JwtValidator.builder().addDefaultTimeValidators(now, CLOCK_SKEW, false).build().validate(jwt);
        if (!time.isValid()) {
            throw unparsable("its times do not hold (" + time.getFirst().getMessage() + ")");
        }
        Member member = team.member(tenant.db(), memberId).orElseThrow(() -> AgentRefusal.unauthorized(DeskError.SIG_REVOKED,
                "MemberId " + memberId + " is no longer a member of this app"));
        if (member.passwordVersion() != passwordVersion) {
            throw AgentRefusal.unauthorized(DeskError.SIG_REVOKED, "the password of " + memberId + " changed since this"
                    + " token was issued: log in again");
        }
        if (member.forcedOffline()) {
            throw AgentRefusal.forbidden(DeskError.ACCOUNT_BARRED, memberId + " was forced offline by an administrator"
                    + " and cannot work until restored");
        }
        if (!member.agent()) {
            throw AgentRefusal.forbidden(DeskError.DESK_INVALID_PARAM, memberId + " no longer has the workbench role"
                    + " (staff)");
        }
        return new Bearer(tenant, member, passwordChange, expires.getEpochSecond());
    }

    private static AgentRefusal unparsable(String why) {
        return AgentRefusal.unauthorized(DeskError.SIG_PARSE, "the token cannot be read: " + why);
    }

    private static Optional<Long> number(Jwt jwt, String claim) {
        return jwt.payloadClaim(claim).filter(v -> v instanceof JsonNumber n && n.isIntegral())
                .map(v -> ((JsonNumber) v).longValue());
    }

    /** The app's signing key, derived again when its secret key changed. */
    private Key key(Tenant tenant) {
        String secret = tenant.app().secretKey();
        Key key = keys.get(tenant.sdkAppId());
        if (key == null || !key.secretKey().equals(secret)) {
            key = derive(tenant.sdkAppId(), secret);
            keys.put(tenant.sdkAppId(), key);
        }
        return key;
    }

    private static Key derive(long sdkAppId, String secretKey) {
        byte[] bytes;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            bytes = mac.doFinal(KEY_LABEL.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
        JwkOctet jwk = JwkOctet.create(jakarta.json.Json.createObjectBuilder()
                .add("kty", "oct")
                .add("kid", "desk-agent-" + sdkAppId)
                .add("alg", JwkOctet.ALG_HS256)
                .add("k", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))
                .build());
        return new Key(secretKey, jwk, JwkKeys.builder().addKey(jwk).build());
    }
}
