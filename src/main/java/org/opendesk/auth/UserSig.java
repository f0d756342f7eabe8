package org.opendesk.auth;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.json.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The TLS v2 UserSig format: {@code base64url'(zlib(json))} where the JSON carries the
 * identifier, SDKAppID, issue time, lifetime and an HMAC-SHA256 over them keyed by the
 * app's secret key. Base64 is the standard alphabet with {@code + / =} replaced by
 * {@code * - _}. This class both mints (for the development tool) and parses tokens;
 * it knows nothing about apps or admins.
 */
public final class UserSig {
    /** Decompressed tokens are tiny; anything bigger than this is not a UserSig. */
    private static final int MAX_JSON_BYTES = 4096;
    private static final int MAX_TOKEN_CHARS = 2048;

    private UserSig() {
    }

    /** A token's claims, as parsed; {@link #verify} checks the signature. */
    public record Claims(String identifier, long sdkAppId, long time, long expire, String userBuf, String sig) {
        /** Unix second after which the token is no longer valid. */
        public long expiresAt() {
            return time + expire;
        }

        /** Constant-time check of the signature against the given secret key. */
        public boolean verify(String secretKey) {
            byte[] expected = hmac(secretKey, identifier, sdkAppId, time, expire, userBuf)
                    .getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Mints a token exactly as the official generator does (zlib with default settings). */
    public static String generate(long sdkAppId, String secretKey, String identifier, long expireSeconds, long nowSeconds) {
        String sig = hmac(secretKey, identifier, sdkAppId, nowSeconds, expireSeconds, null);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("TLS.ver", "2.0");
        json.put("TLS.identifier", identifier);
        json.put("TLS.sdkappid", sdkAppId);
        json.put("TLS.expire", expireSeconds);
        json.put("TLS.time", nowSeconds);
        json.put("TLS.sig", sig);
        try {
            return encode(Json.mapper().writeValueAsBytes(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** zlib (default settings) then the token alphabet: the wire form of any JSON document. */
    static String encode(byte[] raw) {
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[512];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return toUrlSafe(Base64.getEncoder().encodeToString(out.toByteArray()));
    }

    /**
     * Parses a token. Anything that is not a well-formed v2 token (bad Base64, bad zlib,
     * bad JSON, missing or mistyped claims) is {@link DeskError#SIG_PARSE}.
     */
    public static Claims parse(String token) {
        if (token == null || token.isEmpty()) {
            throw new DeskException(DeskError.ACCOUNT_OR_SIG, "usersig is empty: pass the admin's UserSig in the usersig query parameter");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new DeskException(DeskError.SIG_PARSE, "usersig is " + token.length() + " characters long, not a UserSig");
        }
        byte[] compressed;
        try {
            compressed = Base64.getDecoder().decode(fromUrlSafe(token));
        } catch (IllegalArgumentException e) {
            throw new DeskException(DeskError.SIG_PARSE, "usersig is not valid Base64 (was it truncated or URL-decoded twice?)");
        }
        byte[] json = inflate(compressed);
        JsonNode node;
        try {
            node = Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new DeskException(DeskError.SIG_PARSE, "usersig does not contain a JSON document");
        }
        if (node == null || !node.isObject()) {
            throw new DeskException(DeskError.SIG_PARSE, "usersig does not contain a JSON object");
        }
        String identifier = text(node, "TLS.identifier");
        long sdkAppId = number(node, "TLS.sdkappid");
        long time = number(node, "TLS.time");
        long expire = number(node, "TLS.expire");
        String sig = text(node, "TLS.sig");
        JsonNode userBuf = node.get("TLS.userbuf");
        return new Claims(identifier, sdkAppId, time, expire, userBuf == null || userBuf.isNull() ? null : userBuf.asText(), sig);
    }

    /** The JSON document inside a token, for tests that tamper with tokens. */
    static byte[] decode(String token) {
        return inflate(Base64.getDecoder().decode(fromUrlSafe(token)));
    }

    static String hmac(String secretKey, String identifier, long sdkAppId, long time, long expire, String userBuf) {
        StringBuilder content = new StringBuilder(128)
                .append("TLS.identifier:").append(identifier).append('\n')
                .append("TLS.sdkappid:").append(sdkAppId).append('\n')
                .append("TLS.time:").append(time).append('\n')
                .append("TLS.expire:").append(expire).append('\n');
        if (userBuf != null) {
            content.append("TLS.userbuf:").append(userBuf).append('\n');
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[512];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DeskException(DeskError.SIG_PARSE, "usersig is truncated: its compressed content ends early");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_JSON_BYTES) {
                    throw new DeskException(DeskError.SIG_PARSE, "usersig content is too large to be a UserSig");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new DeskException(DeskError.SIG_PARSE, "usersig is not zlib-compressed data");
        } finally {
            inflater.end();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new DeskException(DeskError.SIG_PARSE, "usersig has no " + field);
        }
        return v.asText();
    }

    private static long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v != null && v.canConvertToLong() && v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v != null && v.isTextual()) {
            try {
                return Long.parseLong(v.asText());
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        throw new DeskException(DeskError.SIG_PARSE, "usersig has no numeric " + field);
    }

    private static String toUrlSafe(String b64) {
        return b64.replace('+', '*').replace('/', '-').replace('=', '_');
    }

    private static String fromUrlSafe(String token) {
        return token.replace('*', '+').replace('-', '/').replace('_', '=');
    }
}
