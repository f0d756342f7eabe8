package org.opendesk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import org.opendesk.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Calls the admin REST API over real HTTP and parses the envelope. */
public final class AdminClient {
    private final Http1Client http;

    public AdminClient(Http1Client http) {
        this.http = http;
    }

    /** A reply: HTTP status, the parsed body and the X-Request-Id header. */
    public record Reply(int status, JsonNode json, String requestIdHeader, String raw) {
        public int code() {
            return json.path("ErrorCode").asInt(Integer.MIN_VALUE);
        }

        public String info() {
            return json.path("ErrorInfo").asText();
        }

        public boolean ok() {
            return "OK".equals(json.path("ActionStatus").asText()) && code() == 0;
        }
    }

    /** The five query parameters for an admin call with a fresh random. */
    public static Map<String, String> query(long sdkAppId, String identifier, String usersig) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("sdkappid", Long.toString(sdkAppId));
        q.put("identifier", identifier);
        q.put("usersig", usersig);
        q.put("random", Long.toString(ThreadLocalRandom.current().nextLong(4_294_967_296L)));
        q.put("contenttype", "json");
        return q;
    }

    /** A request body: a String as it is, anything else serialized with the shared mapper. */
    public static String json(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot serialize " + body, e);
        }
    }

    /** App A's administrator calling service/command with a body (a String or an object to serialize). */
    public Reply callA(String service, String command, Object body) {
        return callA(service, command, json(body));
    }

    /** As {@link #callA(String, String, Object)}, failing unless the answer is ActionStatus OK. */
    public Reply okA(String service, String command, Object body) {
        Reply reply = callA(service, command, json(body));
        if (!reply.ok()) {
            throw new AssertionError(service + "/" + command + " " + json(body) + " -> " + reply.raw());
        }
        return reply;
    }

    /** App A's administrator calling service/command. */
    public Reply callA(String service, String command, String body) {
        return call(service, command, query(TestDesk.APP_A, TestDesk.ADMIN, TestDesk.sigA(TestDesk.ADMIN)), body);
    }

    public Reply callB(String service, String command, String body) {
        return call(service, command, query(TestDesk.APP_B, TestDesk.ADMIN,
                TestDesk.sig(TestDesk.APP_B, TestDesk.KEY_B, TestDesk.ADMIN, 86_400)), body);
    }

    public Reply call(String service, String command, Map<String, String> query, String body) {
        return raw(Method.POST, "/v4/" + service + "/" + command, query, body, Map.of());
    }

    public Reply raw(Method method, String path, Map<String, String> query, String body, Map<String, String> headers) {
        Http1ClientRequest req = http.method(method).path(path);
        query.forEach(req::queryParam);
        headers.forEach((name, value) -> req.header(io.helidon.http.HeaderNames.create(name), value));
        try (Http1ClientResponse res = body == null ? req.request() : req.submit(body)) {
            String raw = res.as(String.class);
            JsonNode json;
            try {
                json = Json.mapper().readTree(raw);
            } catch (Exception e) {
                throw new AssertionError("response is not JSON: " + raw, e);
            }
            return new Reply(res.status().code(), json, res.headers().first(io.helidon.http.HeaderNames.create("X-Request-Id"))
                    .orElse(null), raw);
        }
    }
}
