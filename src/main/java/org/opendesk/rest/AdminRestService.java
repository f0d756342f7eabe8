package org.opendesk.rest;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The HTTP face of the admin REST API at {@code /v4}: reads the body (bounded), hands
 * everything to the {@link RestDispatcher} and writes its envelope with HTTP 200.
 */
public final class AdminRestService implements HttpService {
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final HttpMediaType JSON = HttpMediaType.create("application/json; charset=utf-8");

    private final RestDispatcher dispatcher;
    private final int maxBodyBytes;

    public AdminRestService(RestDispatcher dispatcher, int maxBodyBytes) {
        this.dispatcher = dispatcher;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any("/{service}/{command}", this::handle)
                .any(this::handleMalformedPath);
    }

    private void handle(ServerRequest req, ServerResponse res) {
        var params = req.path().pathParameters();
        respond(req, res, params.get("service"), params.get("command"));
    }

    private void handleMalformedPath(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        respond(req, res, path, "");
    }

    private void respond(ServerRequest req, ServerResponse res, String service, String command) {
        String requestId = requestId(req);
        HelidonMdc.set("requestId", requestId);
        try {
            Map<String, String> query = new HashMap<>();
            for (String name : req.query().names()) {
                query.put(name, req.query().first(name).orElse(""));
            }
            byte[] body = null;
            long oversize = 0;
            OptionalLong declared = req.headers().contentLength();
            if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
                oversize = declared.getAsLong();
            } else if (req.content().hasEntity()) {
                body = readBounded(req.content().inputStream(), maxBodyBytes);
                if (body == null) {
                    oversize = maxBodyBytes + 1L;
                }
            } else {
                body = new byte[0];
            }
            RestResponse out = dispatcher.dispatch(new RestRequest(req.prologue().method().text(), service, command,
                    query, body, oversize, requestId));
            res.status(Status.OK_200);
            res.header(REQUEST_ID, requestId);
            res.headers().contentType(JSON);
            res.send(out.body());
        } finally {
            HelidonMdc.remove("requestId");
        }
    }

    /** The body, or null when it is longer than the limit. */
    public static byte[] readBounded(InputStream in, int maxBodyBytes) {
        try (in) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                return null;
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The caller's X-Request-Id when it is a sensible one, else a fresh UUID. */
    public static String requestId(ServerRequest req) {
        String given = req.headers().first(REQUEST_ID).orElse(null);
        if (given != null && CLIENT_REQUEST_ID.matcher(given).matches()) {
            return given;
        }
        return UUID.randomUUID().toString();
    }
}
