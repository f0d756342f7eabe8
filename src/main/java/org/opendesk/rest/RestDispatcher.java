package org.opendesk.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendesk.auth.AdminAuthenticator;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.json.Json;
import org.opendesk.tenant.Tenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The one path every admin REST call takes: find the command in its table, check the
 * five query parameters, authenticate, apply the rate limit, parse and bind the body,
 * call the handler and render the envelope. Every failure, expected or not, becomes the
 * vendor's envelope here and nowhere else.
 */
public final class RestDispatcher {
    private static final Logger LOG = Logger.getLogger(RestDispatcher.class.getName());
    private static final long MAX_RANDOM = 4_294_967_295L;

    private final Map<String, ServiceTable> tables;
    private final AdminAuthenticator auth;
    private final RateLimiter limiter;
    private final RestMetrics metrics;
    private final ObjectMapper mapper = Json.mapper();

    public RestDispatcher(Map<String, ServiceTable> tables, AdminAuthenticator auth, RateLimiter limiter) {
        this.tables = Map.copyOf(tables);
        this.auth = auth;
        this.limiter = limiter;
        this.metrics = new RestMetrics(this.tables);
    }

    public Map<String, ServiceTable> tables() {
        return tables;
    }

    public RestResponse dispatch(RestRequest request) {
        long start = System.nanoTime();
        ServiceTable table = tables.get(request.service());
        Command<?> command = table == null ? null : table.command(request.command());
        RestResponse response;
        try {
            Object payload = run(request, table, command);
            response = render(request.requestId(), 0, "", payload);
        } catch (DeskException e) {
            response = fail(request, e.error().code(), e.errorInfo());
        } catch (InvalidRequest e) {
            response = fail(request, table.invalidParam().code(), e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // interrupted: the server is stopping; the request was not carried out and the caller retries
            boolean stopping = Thread.currentThread().isInterrupted();
            String what = "request " + request.requestId() + " " + request.service() + "/" + request.command() + " failed";
            if (stopping) {
                LOG.info(what + " (the server is stopping): " + e);
            } else {
                LOG.log(Level.SEVERE, what + " unexpectedly", e);
            }
            DeskError internal = table == null ? DeskError.IM_INTERNAL : table.internal();
            response = fail(request, internal.code(), internal.defaultInfo() + " (RequestId " + request.requestId() + ")");
        }
        metrics.record(command, System.nanoTime() - start, response.errorCode());
        return response;
    }

    private Object run(RestRequest request, ServiceTable table, Command<?> command) {
        if (command == null) {
            throw new DeskException(DeskError.RESOURCE, unknownCommand(request, table));
        }
        if (!"POST".equals(request.method())) {
            throw new DeskException(DeskError.HTTP_FORMAT, "method " + request.method() + " is not allowed: call "
                    + command.path() + " with POST and a JSON body");
        }
        Map<String, String> q = request.query();
        long sdkAppId = sdkAppId(q.get("sdkappid"));
        String identifier = q.get("identifier");
        if (identifier == null || identifier.isEmpty()) {
            throw new DeskException(DeskError.ACCOUNT_OR_SIG, "query parameter identifier is missing: pass an App"
                    + " administrator account");
        }
        String usersig = q.get("usersig");
        if (usersig == null || usersig.isEmpty()) {
            throw new DeskException(DeskError.ACCOUNT_OR_SIG, "query parameter usersig is missing: pass the UserSig"
                    + " generated for identifier '" + identifier + "'");
        }
        checkRandom(q.get("random"));
        checkContentType(q.get("contenttype"));
        Tenant tenant = auth.authenticate(sdkAppId, identifier, usersig, table.adminRequired());
        if (!limiter.tryAcquire(sdkAppId, command)) {
            throw new DeskException(table.rateLimited(), command.name() + " allows at most " + command.ratePerSecond()
                    + " calls per second per app; slow down and retry");
        }
        if (request.body() == null) {
            throw new DeskException(DeskError.HTTP_FORMAT, "request body of " + request.oversizeBytes()
                    + " bytes is larger than this server accepts; send smaller batches");
        }
        return invoke(command, table, tenant, identifier, request);
    }

    private <R> Object invoke(Command<R> command, ServiceTable table, Tenant tenant, String identifier, RestRequest request) {
        JsonNode node = parse(request.body(), command.malformedJson() != null ? command.malformedJson() : table.malformedJson());
        R body = bind(node, command.requestType(), table);
        return command.handler().handle(new Call<>(tenant, body, identifier, request.requestId()));
    }

    private JsonNode parse(byte[] bytes, DeskError malformed) {
        if (bytes.length == 0 || isBlank(bytes)) {
            // An empty body is read as {}: the vendor's convention for commands without fields.
            return mapper.createObjectNode();
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new DeskException(malformed, "request body is not valid JSON: "
                    + e.getOriginalMessage() + locate(e));
        } catch (java.io.IOException e) {
            throw new DeskException(malformed, "request body could not be read as JSON");
        }
        if (node == null || node.isMissingNode()) {
            return mapper.createObjectNode();
        }
        if (!node.isObject()) {
            throw new DeskException(malformed, "request body must be a JSON object ({...}), not "
                    + article(node.getNodeType().name().toLowerCase()));
        }
        return node;
    }

    private <R> R bind(JsonNode node, Class<R> type, ServiceTable table) {
        try {
            return mapper.treeToValue(node, type);
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
            String what = e instanceof InvalidFormatException ife ? " (got " + ife.getValue() + ")" : "";
            throw new DeskException(table.invalidParam(), "field " + (field.isEmpty() ? "(body)" : field)
                    + " must be " + expected + what);
        } catch (JsonProcessingException e) {
            throw new DeskException(table.invalidParam(), "request body does not fit the command: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof JsonProcessingException jpe ? jpe : e;
            throw new DeskException(table.invalidParam(), "request body does not fit the command: " + cause.getMessage());
        }
    }

    private RestResponse fail(RestRequest request, int code, String info) {
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("request " + request.requestId() + " " + request.service() + "/" + request.command()
                    + " -> " + code + " " + info);
        }
        return render(request.requestId(), code, info, null);
    }

    private RestResponse render(String requestId, int code, String info, Object payload) {
        ObjectNode out = mapper.createObjectNode();
        out.put("ActionStatus", code == 0 ? "OK" : "FAIL");
        out.put("ErrorInfo", info);
        out.put("ErrorCode", code);
        out.put("RequestId", requestId);
        if (payload != null) {
            JsonNode tree = mapper.valueToTree(payload);
            if (tree instanceof ObjectNode fields) {
                fields.properties().forEach(e -> {
                    if (!out.has(e.getKey())) {
                        out.set(e.getKey(), e.getValue());
                    }
                });
            }
        }
        try {
            return new RestResponse(mapper.writeValueAsBytes(out), code, requestId);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render envelope", e);
        }
    }

    private static long sdkAppId(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new DeskException(DeskError.SDKAPPID_REQUIRED, "query parameter sdkappid is missing");
        }
        try {
            long value = Long.parseLong(raw);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new DeskException(DeskError.SDKAPPID_INVALID, "query parameter sdkappid must be a positive integer, got '"
                + abbreviate(raw) + "'");
    }

    private static void checkRandom(String raw) {
        Supplier<DeskException> bad = () -> new DeskException(DeskError.HTTP_PARSE,
                "query parameter random must be a 32-bit unsigned integer (0-4294967295), got '" + abbreviate(raw) + "'");
        if (raw == null || raw.isEmpty() || raw.length() > 10) {
            throw bad.get();
        }
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) < '0' || raw.charAt(i) > '9') {
                throw bad.get();
            }
        }
        if (Long.parseLong(raw) > MAX_RANDOM) {
            throw bad.get();
        }
    }

    private static void checkContentType(String raw) {
        if (!"json".equals(raw)) {
            throw new DeskException(DeskError.HTTP_PARSE, "query parameter contenttype must be json, got "
                    + (raw == null ? "nothing" : "'" + abbreviate(raw) + "'"));
        }
    }

    private String unknownCommand(RestRequest request, ServiceTable table) {
        if (table == null) {
            return "unknown service '" + abbreviate(request.service()) + "' in /v4/" + abbreviate(request.service())
                    + "/" + abbreviate(request.command()) + "; services: " + String.join(", ", tables.keySet().stream().sorted().toList());
        }
        List<String> names = new ArrayList<>();
        table.commands().forEach(c -> names.add(c.name()));
        return "unknown command '" + abbreviate(request.command()) + "' of service " + table.name()
                + "; commands: " + String.join(", ", names);
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static String locate(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 64 ? clean : clean.substring(0, 64) + "...";
    }
}
