package org.opendesk.testing;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import org.opendesk.Desk;
import org.opendesk.team.TeamService;
import org.opendesk.tenant.Tenant;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Calls the agent API (/agent/v1) over real HTTP, and makes members to call it as. */
public final class AgentClient {
    /** The password {@link #member} gives its members (their one-time password is changed already). */
    public static final String PASSWORD = "correct horse battery";

    private final AdminClient http;

    public AgentClient(Http1Client http) {
        this.http = new AdminClient(http);
    }

    /** A route under /agent/v1 with an optional bearer token and body (a String or an object to serialize). */
    public AdminClient.Reply call(Method method, String path, String token, Object body) {
        Map<String, String> query = new LinkedHashMap<>();
        int q = path.indexOf('?');
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            path = path.substring(0, q);
        }
        return http.raw(method, "/agent/v1" + path, query, body == null ? null : AdminClient.json(body),
                token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    public AdminClient.Reply post(String path, String token, Object body) {
        return call(Method.POST, path, token, body == null ? "" : body);
    }

    public AdminClient.Reply get(String path, String token) {
        return call(Method.GET, path, token, null);
    }

    public AdminClient.Reply login(String memberId, String password) {
        return post("/login", null, Map.of("MemberId", memberId, "Password", password));
    }

    /** The Token of a login that must succeed. */
    public String token(String memberId) {
        AdminClient.Reply r = login(memberId, PASSWORD);
        if (r.status() != 200) {
            throw new AssertionError("login of " + memberId + " -> " + r.raw());
        }
        return r.json().path("Token").asText();
    }

    /** Adds a member with these roles to an app and replaces its one-time password with {@link #PASSWORD}. */
    public static void member(Desk desk, long sdkAppId, String memberId, String... roles) {
        Tenant tenant = desk.tenants().find(sdkAppId).orElseThrow();
        TeamService.Added added = desk.team().addMember(tenant, memberId, memberId.substring(0, memberId.indexOf('@')),
                List.of(roles.length == 0 ? new String[] {"staff"} : roles));
        desk.team().changePassword(tenant, added.member().memberId(), added.password(), PASSWORD);
    }

    /** The agent socket of a token, from now on (since null) or after a Seq. */
    public static WsClient socket(int port, String token, Long since) {
        return WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/agent/v1/ws?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8) + (since == null ? "" : "&since=" + since)));
    }
}
