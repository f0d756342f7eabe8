package org.opendesk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsSession;
import org.opendesk.error.DeskError;
import org.opendesk.json.Json;
import org.opendesk.realtime.Connection;
import org.opendesk.realtime.Frames;
import org.opendesk.realtime.SocketListener;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent WebSocket {@code /agent/v1/ws?token=..[&since=Seq]}: a member's events, pushed. The
 * token (the query's {@code token}, or {@code Authorization: Bearer}) is checked before the upgrade
 * is answered; a refused one gets an Error frame with the token's code and a close with 1008. The
 * socket takes no frames from the client: a text or binary frame gets an Error frame (the socket
 * stays open); a ping gets a pong with its payload. One listener per connection.
 */
public final class AgentSocket extends SocketListener {
    private static final Logger LOG = Logger.getLogger(AgentSocket.class.getName());

    private final AgentTokens tokens;
    private final AgentHub hub;
    private AgentTokens.Bearer bearer;
    private Long from;
    private int refusedCode;
    private String refusedInfo;

    public AgentSocket(AgentTokens tokens, AgentHub hub) {
        super("agent", "binary frames are not supported: this socket speaks JSON text frames", hub::close);
        this.tokens = tokens;
        this.hub = hub;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        UriQuery query = prologue.query();
        String token = query.first("token").orElseGet(() -> AgentApi.bearerToken(headers.first(HeaderNames.AUTHORIZATION)
                .orElse(null)));
        try {
            String since = query.first("since").orElse(null);
            if (since != null) {
                from = parseSince(since);
            }
            bearer = tokens.verify(token);
            if (bearer.passwordChangeRequired()) {
                throw AgentRefusal.forbidden(DeskError.DESK_INVALID_PARAM, AgentApi.CHANGE_PASSWORD_FIRST);
            }
            if (from == null) {
                // "from now" is the handshake's now: an event appended the moment the client sees the socket open counts
                from = hub.present(bearer.tenant());
            }
        } catch (AgentRefusal e) {
            refuse(e.error().code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "agent socket could not sign in", e);
            refuse(DeskError.DESK_INTERNAL.code(), DeskError.DESK_INTERNAL.defaultInfo());
        }
        return Optional.empty();
    }

    private void refuse(int code, String info) {
        refusedCode = code;
        refusedInfo = info;
        bearer = null;
    }

    private static long parseSince(String raw) {
        try {
            long since = Long.parseLong(raw.strip());
            if (since >= 0) {
                return since;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new AgentRefusal(400, DeskError.DESK_INVALID_PARAM, "since must be the Seq of the last event received, got '"
                + raw + "'");
    }

    @Override
    public void onOpen(WsSession session) {
        if (bearer == null) {
            session.send(Frames.error(refusedCode, refusedInfo), true);
            session.close(AgentHub.CLOSE_POLICY, "sign-in refused: " + refusedCode);
            return;
        }
        try {
            connection = new Connection(bearer.tenant().sdkAppId(), bearer.member().memberId(), session);
            hub.open(bearer.tenant(), connection, from);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "agent socket of " + bearer.member().memberId() + " could not open", e);
            if (connection != null) {
                connection.close(AgentHub.CLOSE_POLICY, "internal error; reconnect with since");
            } else {
                session.close(AgentHub.CLOSE_POLICY, "internal error");
            }
        }
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (connection == null || !last) {
            return;
        }
        JsonNode frame = null;
        try {
            frame = Json.mapper().readTree(text);
        } catch (Exception ignored) {
            // answered below
        }
        if (frame == null || !frame.isObject()) {
            connection.send(Frames.error(DeskError.MSG_JSON_PARSE.code(), "a frame must be a JSON object; this socket"
                    + " only pushes events, act through the /agent/v1 routes"));
            return;
        }
        connection.send(Frames.error(DeskError.MSG_FORMAT.code(), "unknown frame Type '" + frame.path("Type").asText("")
                + "': this socket only pushes events, act through the /agent/v1 routes"));
    }
}
