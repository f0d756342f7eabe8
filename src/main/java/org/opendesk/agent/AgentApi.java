package org.opendesk.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.json.Json;
import org.opendesk.message.Message;
import org.opendesk.message.MsgBody;
import org.opendesk.rest.AdminRestService;
import org.opendesk.rest.InvalidRequest;
import org.opendesk.team.Member;
import org.opendesk.team.MemberStatus;
import org.opendesk.team.Role;
import org.opendesk.team.TeamService;
import org.opendesk.tenant.Tenant;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The agent API at {@code /agent/v1}: a member logs in (a JWT, {@link AgentTokens}) and works the
 * workbench through the {@link Workbench} port with {@code Authorization: Bearer <Token>}. A token
 * issued for a generated one-time password is taken by the password route only. Answers are JSON
 * with the vendor's PascalCase names; a failure is {@code {"ErrorCode":n,"ErrorInfo":"..",
 * "RequestId":".."}} with an HTTP status that says what kind it is (400 bad input, 401 no valid
 * token or a bad login, 403 not allowed, 404 no such session, 409 not in a state that allows it,
 * 413 body too large, 500 internal, logged with the request id). Errors are mapped here and nowhere
 * else; handlers never touch the HTTP request.
 */
public final class AgentApi implements HttpService {
    private static final Logger LOG = Logger.getLogger(AgentApi.class.getName());
    public static final String PATH = "/agent/v1";
    static final String CHANGE_PASSWORD_FIRST = "this token was issued for a generated one-time password: change it"
            + " first with POST /agent/v1/password {\"OldPassword\",\"NewPassword\"}, then use the Token that answers";
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    static final int MAX_REST_REASON_CHARS = 64;
    private static final HttpMediaType JSON = HttpMediaType.create("application/json; charset=utf-8");
    private static final Pattern SESSION_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Who may call a route: anyone (login), a token of a one-time password too (password), a member's token. */
    private enum Access { OPEN, PASSWORD, MEMBER }

    /** What a handler gets: the verified token (null for login), the JSON body ({} when none), path and query. */
    private record Call(AgentTokens.Bearer bearer, JsonNode body, Map<String, String> path, Map<String, String> query) {
        Tenant tenant() {
            return bearer.tenant();
        }

        String memberId() {
            return bearer.member().memberId();
        }
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(Call call);
    }

    private record Route(Method method, String path, Access access, Handler handler) {
        Pattern pattern() {
            return Pattern.compile(Pattern.quote(PATH + path).replace("{SessionId}", "\\E[^/]+\\Q"));
        }
    }

    private final TeamService team;
    private final AgentTokens tokens;
    private final Workbench workbench;
    private final AgentHub hub;
    private final int maxBodyBytes;
    private final List<Route> routes;

    public AgentApi(TeamService team, AgentTokens tokens, Workbench workbench, AgentHub hub, int maxBodyBytes) {
        this.team = team;
        this.tokens = tokens;
        this.workbench = workbench;
        this.hub = hub;
        this.maxBodyBytes = maxBodyBytes;
        this.routes = List.of(
                new Route(Method.POST, "/login", Access.OPEN, this::login),
                new Route(Method.POST, "/password", Access.PASSWORD, this::changePassword),
                new Route(Method.GET, "/me", Access.MEMBER, this::me),
                new Route(Method.POST, "/status", Access.MEMBER, this::status),
                new Route(Method.GET, "/sessions", Access.MEMBER, this::sessions),
                new Route(Method.POST, "/sessions/{SessionId}/accept", Access.MEMBER, this::accept),
                new Route(Method.GET, "/sessions/{SessionId}/messages", Access.MEMBER, this::messages),
                new Route(Method.POST, "/sessions/{SessionId}/messages", Access.MEMBER, this::send),
                new Route(Method.POST, "/sessions/{SessionId}/end", Access.MEMBER, this::end),
                new Route(Method.POST, "/sessions/{SessionId}/rating-invitation", Access.MEMBER, this::inviteRating),
                new Route(Method.GET, "/sessions/{SessionId}/suggested-reply", Access.MEMBER, this::suggestReply),
                new Route(Method.POST, "/sessions/{SessionId}/transfer", Access.MEMBER, this::transfer));
    }

    /** Every route as {@code "METHOD /agent/v1/path"} (the OpenAPI check). */
    public List<String> routes() {
        return routes.stream().map(r -> r.method().text() + " " + PATH + r.path()).toList();
    }

    @Override
    public void routing(HttpRules rules) {
        for (Route route : routes) {
            rules.route(route.method(), route.path(), (req, res) -> serve(route, req, res));
        }
        rules.any(this::unmatched);
    }

    // ---- the routes

    record LoginResp(@JsonProperty("Token") String token,
                     @JsonProperty("ExpiresIn") long expiresIn,
                     @JsonProperty("SDKAppID") long sdkAppId,
                     @JsonProperty("MemberId") String memberId,
                     @JsonProperty("NickName") String nickName,
                     @JsonProperty("PasswordChangeRequired") boolean passwordChangeRequired) {
    }

    private Object login(Call call) {
        String id = text(call.body(), "MemberId", true);
        String password = text(call.body(), "Password", true);
        Long sdkAppId = integer(call.body(), "SDKAppID");
        TeamService.Login login = team.authenticate(sdkAppId, id, password);
        return loggedIn(login.tenant(), login.member());
    }

    private LoginResp loggedIn(Tenant tenant, Member member) {
        AgentTokens.Issued issued = tokens.issue(tenant, member);
        return new LoginResp(issued.token(), issued.expiresIn(), tenant.sdkAppId(), member.memberId(), member.nickName(),
                member.passwordGenerated());
    }

    private Object changePassword(Call call) {
        String old = text(call.body(), "OldPassword", true);
        String next = text(call.body(), "NewPassword", true);
        try {
            team.changePassword(call.tenant(), call.memberId(), old, next);
        } catch (TeamService.LoginRefused e) {
            throw AgentRefusal.forbidden(DeskError.ACCOUNT_OR_SIG, "OldPassword is wrong");
        }
        Member changed = team.member(call.tenant().db(), call.memberId()).orElseThrow(() -> AgentRefusal.unauthorized(
                DeskError.SIG_REVOKED, "MemberId " + call.memberId() + " is no longer a member of this app"));
        // the member's open sockets (on any node) were opened with a token that no longer works
        hub.signOut(call.tenant(), call.memberId(), "PasswordChanged", "password changed: reconnect with the new token");
        return loggedIn(call.tenant(), changed);
    }

    record MeResp(@JsonProperty("SDKAppID") long sdkAppId,
                  @JsonProperty("MemberId") String memberId,
                  @JsonProperty("NickName") String nickName,
                  @JsonProperty("Roles") List<String> roles,
                  @JsonProperty("Status") String status,
                  @JsonProperty("RestReason") String restReason,
                  @JsonProperty("ActiveSessions") int activeSessions,
                  @JsonProperty("AgentGroupIds") List<Long> agentGroupIds,
                  @JsonProperty("PasswordChangeRequired") boolean passwordChangeRequired,
                  @JsonProperty("TokenExpiresAt") long tokenExpiresAt) {
    }

    private Object me(Call call) {
        Member m = call.bearer().member();
        return new MeResp(call.tenant().sdkAppId(), m.memberId(), m.nickName(), m.roles().stream().map(Role::wire).toList(),
                m.status().wire(), m.restReason(), m.activeSessions(), team.groupsOf(call.tenant().db(), m.memberId()),
                m.passwordGenerated(), call.bearer().expiresAt());
    }

    record StatusResp(@JsonProperty("Status") String status, @JsonProperty("RestReason") String restReason) {
    }

    private Object status(Call call) {
        String raw = text(call.body(), "Status", true);
        MemberStatus status = MemberStatus.of(raw);
        if (status == null) {
            throw invalid("Status must be one of free, busy, rest, offline; got '" + raw + "'");
        }
        String reason = text(call.body(), "RestReason", false);
        reason = reason == null || status != MemberStatus.REST ? "" : reason.strip();
        if (reason.codePointCount(0, reason.length()) > MAX_REST_REASON_CHARS) {
            throw invalid("RestReason is longer than " + MAX_REST_REASON_CHARS + " characters");
        }
        workbench.setStatus(call.tenant(), call.memberId(), status, reason);
        return new StatusResp(status.wire(), reason);
    }

    record SessionResp(@JsonProperty("SessionId") String sessionId,
                       @JsonProperty("ClientUserId") String clientUserId,
                       @JsonProperty("CustomerServiceId") String customerServiceId,
                       @JsonProperty("State") String state,
                       @JsonProperty("StartedAt") long startedAt,
                       @JsonProperty("TransferRequestedAt") long transferRequestedAt,
                       @JsonProperty("AcceptedAt") long acceptedAt,
                       @JsonProperty("OfferDeadline") long offerDeadline) {
    }

    record SessionsResp(@JsonProperty("Sessions") List<SessionResp> sessions) {
    }

    private Object sessions(Call call) {
        return new SessionsResp(workbench.sessions(call.tenant(), call.memberId()).stream()
                .map(s -> new SessionResp(s.sessionId(), s.clientUserId(), s.customerServiceId(), s.state(), s.startedAt(),
                        s.transferRequestedAt(), s.acceptedAt(), s.offerDeadline()))
                .toList());
    }

    private Object accept(Call call) {
        workbench.accept(call.tenant(), call.memberId(), sessionId(call));
        return null;
    }

    record MessageResp(@JsonProperty("MsgKey") String msgKey,
                       @JsonProperty("MsgSeq") long msgSeq,
                       @JsonProperty("FromAccount") String fromAccount,
                       @JsonProperty("ToAccount") String toAccount,
                       @JsonProperty("FromAccountRole") int fromAccountRole,
                       @JsonProperty("MsgTime") long msgTime,
                       @JsonProperty("MsgBody") JsonNode msgBody,
                       @JsonProperty("CloudCustomData") String cloudCustomData) {
        static MessageResp of(Message m) {
            return new MessageResp(m.key(), m.seq(), m.from(), m.to(), m.role().code(), m.time() / 1000, MsgBody.parse(m.body()),
                    m.cloudCustomData());
        }
    }

    record MessagesResp(@JsonProperty("TotalCount") long totalCount, @JsonProperty("Messages") List<MessageResp> messages) {
    }

    private Object messages(Call call) {
        String session = sessionId(call);
        int limit = queryInt(call, "Limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw invalid("Limit must be 1 to " + MAX_LIMIT + ", got " + limit);
        }
        int offset = queryInt(call, "Offset", 0);
        if (offset < 0) {
            throw invalid("Offset must not be negative, got " + offset);
        }
        int order = queryInt(call, "Order", 2);
        if (order != 1 && order != 2) {
            throw invalid("Order must be 1 (oldest first) or 2 (newest first), got " + order);
        }
        Workbench.MessagePage page = workbench.messages(call.tenant(), call.memberId(), session, order == 2, offset, limit);
        return new MessagesResp(page.total(), page.messages().stream().map(MessageResp::of).toList());
    }

    record SentResp(@JsonProperty("MsgKey") String msgKey, @JsonProperty("MsgSeq") long msgSeq,
                    @JsonProperty("MsgTime") long msgTime) {
    }

    private Object send(Call call) {
        String session = sessionId(call);
        JsonNode randomNode = call.body().get("MsgRandom");
        long random = randomNode == null || randomNode.isNull() ? RANDOM.nextLong(4_294_967_296L) : MsgBody.random(randomNode);
        String ccd = text(call.body(), "CloudCustomData", false);
        ccd = ccd == null ? "" : ccd;
        String body = MsgBody.validate(call.body().get("MsgBody"), ccd);
        Workbench.Sent sent = workbench.send(call.tenant(), call.memberId(), session, random, body, ccd);
        return new SentResp(sent.msgKey(), sent.msgSeq(), sent.msgTime() / 1000);
    }

    private Object end(Call call) {
        workbench.end(call.tenant(), call.memberId(), sessionId(call));
        return null;
    }

    record SuggestedResp(@JsonProperty("MsgKey") String msgKey, @JsonProperty("Question") String question,
                         @JsonProperty("Suggestions") List<SuggestionResp> suggestions) {
    }

    record SuggestionResp(@JsonProperty("StandardQuestionId") String standardQuestionId,
                          @JsonProperty("StandardQuestion") String standardQuestion,
                          @JsonProperty("MatchedQuestion") String matchedQuestion,
                          @JsonProperty("Answer") String answer,
                          @JsonProperty("AnswerType") int answerType,
                          @JsonProperty("Similarity") double similarity) {
    }

    private Object suggestReply(Call call) {
        Workbench.Suggested s = workbench.suggestReply(call.tenant(), call.memberId(), sessionId(call));
        return new SuggestedResp(s.msgKey(), s.question(), s.answers().stream().map(a -> new SuggestionResp(
                a.standardQuestionId(), a.standardQuestion(), a.matchedQuestion(), a.answer(), a.answerType(), a.similarity()))
                .toList());
    }

    private Object inviteRating(Call call) {
        workbench.inviteRating(call.tenant(), call.memberId(), sessionId(call));
        return null;
    }

    private Object transfer(Call call) {
        String session = sessionId(call);
        String rawMember = text(call.body(), "MemberId", false);
        Long group = integer(call.body(), "AgentGroupId");
        if ((rawMember == null) == (group == null)) {
            throw invalid("give exactly one of MemberId (a member of the app) and AgentGroupId (an agent group)");
        }
        workbench.transfer(call.tenant(), call.memberId(), session, rawMember == null ? null : TeamService.memberId(rawMember),
                group);
        return null;
    }

    // ---- request fields

    private static String sessionId(Call call) {
        String id = call.path().getOrDefault("SessionId", "");
        if (!SESSION_ID.matcher(id).matches()) {
            throw new DeskException(DeskError.DESK_SESSION_ID_INVALID, "SessionId '" + abbreviate(id) + "' is not a session"
                    + " id (a UUID such as fd8a2e30-54de-4e40-bcaf-02718409c5cf)");
        }
        return id;
    }

    /** A string field: null when absent (or JSON null) and optional; any other JSON type is refused naming the field. */
    private static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw invalid(field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(field + " must be a string, not " + kind(v));
        }
        if (required && v.asText().isBlank()) {
            throw invalid(field + " must not be empty");
        }
        return v.asText();
    }

    /** An optional integer field. */
    private static Long integer(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw invalid(field + " must be an integer, not " + kind(v));
        }
        return v.asLong();
    }

    private static int queryInt(Call call, String name, int fallback) {
        String raw = call.query().get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw invalid("query parameter " + name + " must be an integer, got '" + abbreviate(raw) + "'");
        }
    }

    private static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static DeskException invalid(String detail) {
        return new DeskException(DeskError.DESK_INVALID_PARAM, detail);
    }

    // ---- HTTP: authorization, body, answers, errors

    /** The token of an {@code Authorization: Bearer <token>} header value, or null. */
    static String bearerToken(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        return h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
    }

    private void serve(Route route, ServerRequest req, ServerResponse res) {
        String requestId = AdminRestService.requestId(req);
        HelidonMdc.set("requestId", requestId);
        try {
            Object out;
            try {
                AgentTokens.Bearer bearer = route.access() == Access.OPEN ? null : authorize(req, route.access());
                JsonNode body = route.method() == Method.POST ? body(req) : Json.mapper().createObjectNode();
                Map<String, String> path = new HashMap<>();
                req.path().pathParameters().toMap().forEach((k, v) -> path.put(k, v.isEmpty() ? "" : v.get(0)));
                Map<String, String> query = new HashMap<>();
                for (String name : req.query().names()) {
                    query.put(name, req.query().first(name).orElse(""));
                }
                out = route.handler().handle(new Call(bearer, body, path, query));
            } catch (RuntimeException | StackOverflowError e) {
                fail(req, res, requestId, route, e);
                return;
            }
            answer(res, Status.OK_200, requestId, out == null ? Json.mapper().createObjectNode() : Json.mapper().valueToTree(out));
        } finally {
            HelidonMdc.remove("requestId");
        }
    }

    private AgentTokens.Bearer authorize(ServerRequest req, Access access) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        String token = bearerToken(header);
        if (token == null || token.isEmpty()) {
            throw AgentRefusal.unauthorized(DeskError.ACCOUNT_OR_SIG, header == null
                    ? "no Authorization header: log in with POST /agent/v1/login and send Authorization: Bearer <Token>"
                    : "the Authorization header must read Bearer <Token>");
        }
        AgentTokens.Bearer bearer = tokens.verify(token);
        if (bearer.passwordChangeRequired() && access != Access.PASSWORD) {
            throw AgentRefusal.forbidden(DeskError.DESK_INVALID_PARAM, CHANGE_PASSWORD_FIRST);
        }
        return bearer;
    }

    private JsonNode body(ServerRequest req) {
        OptionalLong declared = req.headers().contentLength();
        byte[] bytes;
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            bytes = null;
        } else if (req.content().hasEntity()) {
            bytes = AdminRestService.readBounded(req.content().inputStream(), maxBodyBytes);
        } else {
            bytes = new byte[0];
        }
        if (bytes == null) {
            throw new AgentRefusal(Status.REQUEST_ENTITY_TOO_LARGE_413.code(), DeskError.HTTP_FORMAT, "the body is larger"
                    + " than the " + maxBodyBytes + " bytes this server accepts");
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return Json.mapper().createObjectNode();
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new DeskException(DeskError.JSON_PARSE, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DeskException(DeskError.JSON_PARSE, "the body could not be read as JSON");
        }
        if (node == null || !node.isObject()) {
            throw new DeskException(DeskError.JSON_PARSE, "the body must be a JSON object ({...})");
        }
        return node;
    }

    private void unmatched(ServerRequest req, ServerResponse res) {
        String requestId = AdminRestService.requestId(req);
        String path = req.path().absolute().path();
        List<String> allowed = routes.stream().filter(r -> r.pattern().matcher(path).matches()).map(r -> r.method().text())
                .toList();
        ObjectNode error;
        Status status;
        if (!allowed.isEmpty()) {
            status = Status.METHOD_NOT_ALLOWED_405;
            res.header(HeaderNames.ALLOW, String.join(", ", allowed));
            error = error(DeskError.HTTP_FORMAT.code(), "method " + req.prologue().method().text() + " is not allowed on "
                    + abbreviate(path) + ": use " + String.join(" or ", allowed), requestId);
        } else {
            status = Status.NOT_FOUND_404;
            error = error(DeskError.RESOURCE.code(), "no route " + req.prologue().method().text() + " " + abbreviate(path)
                    + "; the agent API has " + String.join(", ", routes()) + " and the WebSocket GET " + PATH + "/ws", requestId);
        }
        answer(res, status, requestId, error);
    }

    private void fail(ServerRequest req, ServerResponse res, String requestId, Route route, Throwable e) {
        int status;
        int code;
        String info;
        switch (e) {
            case AgentRefusal r -> {
                status = r.status();
                code = r.error().code();
                info = r.getMessage();
            }
            case TeamService.LoginRefused r -> {
                DeskError error = switch (r.reason()) {
                    case BAD_CREDENTIALS -> DeskError.ACCOUNT_OR_SIG;
                    case APP_REQUIRED -> DeskError.SDKAPPID_REQUIRED;
                    case FORCED_OFFLINE -> DeskError.ACCOUNT_BARRED;
                    case NOT_AN_AGENT -> DeskError.DESK_INVALID_PARAM;
                    case LOCKED -> DeskError.LOGIN_LOCKED;
                };
                status = switch (r.reason()) {
                    case BAD_CREDENTIALS -> AgentRefusal.UNAUTHORIZED;
                    case APP_REQUIRED -> Status.BAD_REQUEST_400.code();
                    case FORCED_OFFLINE, NOT_AN_AGENT -> AgentRefusal.FORBIDDEN;
                    case LOCKED -> Status.TOO_MANY_REQUESTS_429.code();
                };
                code = error.code();
                info = r.getMessage();
            }
            case DeskException d -> {
                code = d.error().code();
                status = status(code);
                info = d.errorInfo();
            }
            case InvalidRequest i -> {
                status = Status.BAD_REQUEST_400.code();
                code = DeskError.DESK_INVALID_PARAM.code();
                info = i.getMessage();
            }
            default -> {
                status = Status.INTERNAL_SERVER_ERROR_500.code();
                code = DeskError.DESK_INTERNAL.code();
                info = DeskError.DESK_INTERNAL.defaultInfo();
            }
        }
        String what = "request " + requestId + " " + route.method().text() + " " + PATH + route.path();
        if (status >= 500) {
            if (Thread.currentThread().isInterrupted()) {
                LOG.info(what + " failed (the server is stopping): " + e);
            } else {
                LOG.log(Level.SEVERE, what + " failed", e);
            }
            info = info + " (RequestId " + requestId + ")";
        } else if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(what + " -> " + status + " " + code + " " + info);
        }
        if (status == AgentRefusal.UNAUTHORIZED) {
            boolean tokenSent = bearerToken(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null)) != null;
            res.header(HeaderNames.WWW_AUTHENTICATE, tokenSent ? "Bearer realm=\"agent\", error=\"invalid_token\""
                    : "Bearer realm=\"agent\"");
        }
        answer(res, Status.create(status), requestId, error(code, info, requestId));
    }

    /**
     * The HTTP status of a domain failure, by its vendor code (numbers rather than names, so that
     * codes the human service adds later land in their class).
     */
    static int status(int code) {
        return switch (code) {
            case 141005, 141010 -> 404; // no such session (of this member)
            case 141001, 141003, 141011, 141012, 141013, 141016, 141017, 141025, 141026 -> 409; // the state does not allow it
            case 141002, 20005, 70500, 70169, -1 -> 500;
            case 60007, 141009, -14, 70050 -> 429;
            case 60004, 70001, 70003, 70009, 70020, 70052 -> 401;
            case 70051 -> 403;
            default -> 400;
        };
    }

    private static ObjectNode error(int code, String info, String requestId) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("ErrorCode", code);
        out.put("ErrorInfo", info);
        out.put("RequestId", requestId);
        return out;
    }

    private static void answer(ServerResponse res, Status status, String requestId, JsonNode body) {
        res.status(status);
        res.header(AdminRestService.REQUEST_ID, requestId);
        res.headers().contentType(JSON);
        try {
            res.send(Json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render an agent API answer", e);
        }
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 64 ? clean : clean.substring(0, 64) + "...";
    }
}
