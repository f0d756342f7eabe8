package org.opendesk.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendesk.callback.CallbackSettings;
import org.opendesk.callback.OutboxDelivery;
import org.opendesk.json.Json;
import org.opendesk.message.MsgBody;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * ChatBot.OnAssignHuman (Desk API, 业务服务器分配客服回调): asks the business server of a
 * customer-service account with AssignmentStrategy 2 whom a session goes to, synchronously with a
 * short timeout, signed like every callback. An answer may name an agent group, a list of members
 * (e-mails), a queue priority 0-9, or refuse the transfer (AgentTransferDenied 1, which wins over
 * the other fields). A timeout, an error, a non-OK envelope or an unreadable answer is logged and
 * answers empty: the built-in routing decides.
 */
final class AssignWebhook {
    private static final Logger LOG = Logger.getLogger(AssignWebhook.class.getName());
    static final String COMMAND = "ChatBot.OnAssignHuman";
    private final Duration timeout;

    private final HttpClient http;
    private final Clock clock;

    AssignWebhook(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The business server's answer. */
    record Answer(boolean denied, long groupId, List<String> agentIds, int priority) {
    }

    Optional<Answer> ask(long sdkAppId, String url, CallbackSettings settings, String sessionId, String user, String cs) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("CallbackCommand", COMMAND);
        body.put("SessionId", sessionId);
        body.put("ClientUserId", user);
        body.put("CustomerServiceId", cs);
        body.put("EventTime", clock.millis());
        StringBuilder query = new StringBuilder().append("SdkAppid=").append(sdkAppId)
                .append("&CallbackCommand=").append(URLEncoder.encode(COMMAND, StandardCharsets.UTF_8))
                .append("&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI");
        if (!settings.token().isEmpty()) {
            long requestTime = clock.millis() / 1000;
            query.append("&RequestTime=").append(requestTime).append("&Sign=")
                    .append(OutboxDelivery.sign(settings.token(), requestTime));
        }
        String target = url + (url.contains("?") ? "&" : "?") + query;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(target)).timeout(timeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(MsgBody.write(body), StandardCharsets.UTF_8)).build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                throw e;
            } catch (java.io.IOException e) {
                // a pooled connection the server closed meanwhile ("received no bytes", a reset): the question is
                // idempotent, so it is asked once more on a fresh connection
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() / 100 != 2) {
                LOG.warning(COMMAND + " of session " + sessionId + " (app " + sdkAppId + "): HTTP " + response.statusCode()
                        + "; routing automatically");
                return Optional.empty();
            }
            return parse(response.body(), sessionId, sdkAppId);
        } catch (java.io.IOException | IllegalArgumentException e) {
            LOG.warning(COMMAND + " of session " + sessionId + " (app " + sdkAppId + ") failed (" + e + "); routing automatically");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static Optional<Answer> parse(String raw, String sessionId, long sdkAppId) {
        JsonNode a;
        try {
            a = Json.mapper().readTree(raw);
        } catch (Exception e) {
            a = null;
        }
        if (a == null || !a.isObject() || !"OK".equals(a.path("ActionStatus").asText()) || a.path("ErrorCode").asInt(-1) != 0) {
            LOG.warning(COMMAND + " of session " + sessionId + " (app " + sdkAppId + ") answered no OK envelope: "
                    + abbreviate(raw) + "; routing automatically");
            return Optional.empty();
        }
        boolean denied = a.path("AgentTransferDenied").asInt(0) == 1;
        long group = a.path("AgentGroupId").canConvertToLong() ? a.path("AgentGroupId").asLong() : 0;
        List<String> agents = new ArrayList<>();
        a.path("AgentIdList").forEach(n -> {
            if (n.isTextual() && !n.asText().isBlank()) {
                agents.add(n.asText().strip().toLowerCase(java.util.Locale.ROOT));
            }
        });
        int priority = a.path("Priority").isInt() ? a.path("Priority").asInt() : 5;
        if (priority < 0 || priority > 9) {
            LOG.warning(COMMAND + " of session " + sessionId + ": Priority " + priority + " is not 0-9; using 5");
            priority = 5;
        }
        return Optional.of(new Answer(denied, Math.max(0, group), agents, priority));
    }

    private static String abbreviate(String s) {
        String clean = s == null ? "" : s.replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= 300 ? clean : clean.substring(0, 300) + "...";
    }
}
