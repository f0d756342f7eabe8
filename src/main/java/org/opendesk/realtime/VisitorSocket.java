package org.opendesk.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsSession;
import org.opendesk.account.Account;
import org.opendesk.account.AccountService;
import org.opendesk.auth.AdminAuthenticator;
import org.opendesk.conversation.ConversationService;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.json.Json;
import org.opendesk.message.MsgBody;
import org.opendesk.tenant.Tenant;

import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The visitor WebSocket {@code /im/v1/ws?sdkappid=..&identifier=..&usersig=..[&since=MsgSeq]}: a
 * user signs in with their own UserSig (an unknown identifier is imported), sends SendMsg frames
 * and receives Ack, Msg, MsgModified and Error frames. A failed sign-in is answered with an Error
 * frame carrying the UserSig code and a close with a reason; a bad frame (binary ones included)
 * gets an Error frame and the socket stays open; a ping gets a pong with its payload. One listener
 * per connection.
 */
public final class VisitorSocket extends SocketListener {
    private static final Logger LOG = Logger.getLogger(VisitorSocket.class.getName());
    static final int CLOSE_POLICY = 1008;

    private final AdminAuthenticator auth;
    private final AccountService accounts;
    private final ConversationService conversations;
    private final MessageHub hub;
    private final Presence presence;
    private long sdkAppId;
    private String identifier;
    private String usersig;
    private String since;
    private Tenant tenant;
    private DeskException refusal;
    private Long from;

    public VisitorSocket(AdminAuthenticator auth, AccountService accounts, ConversationService conversations, MessageHub hub,
                         Presence presence) {
        super("visitor", "binary frames are not supported: send JSON text frames such as {\"Type\":\"SendMsg\",...}",
                hub::close);
        this.auth = auth;
        this.accounts = accounts;
        this.conversations = conversations;
        this.hub = hub;
        this.presence = presence;
    }

    @Override
    protected void left() {
        try {
            presence.left(tenant, identifier);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "presence of " + identifier + " not updated at close (it goes stale)", e);
        }
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        UriQuery query = prologue.query();
        sdkAppId = query.first("sdkappid").map(VisitorSocket::parseLong).orElse(0L);
        identifier = query.first("identifier").orElse("");
        usersig = query.first("usersig").orElse("");
        since = query.first("since").orElse(null);
        signIn();
        return Optional.empty();
    }

    /**
     * Before the upgrade is answered: the sign-in (and the import of a new user), so that a client
     * whose socket is open is a known account.
     */
    private void signIn() {
        try {
            if (sdkAppId <= 0) {
                throw new DeskException(DeskError.SDKAPPID_REQUIRED, "query parameter sdkappid is missing or not a number");
            }
            if (identifier.isEmpty() || usersig.isEmpty()) {
                throw new DeskException(DeskError.ACCOUNT_OR_SIG, "query parameters identifier and usersig (the user's own"
                        + " UserSig) are required");
            }
            if (since != null) {
                from = parseLong(since);
                if (from < 0) {
                    throw new DeskException(DeskError.HTTP_PARSE, "since must be the MsgSeq of the last message received");
                }
            }
            tenant = auth.authenticateUser(sdkAppId, identifier, usersig);
            Account.Kind kind = accounts.kinds(tenant.db(), List.of(identifier)).get(identifier);
            if (kind == Account.Kind.CUSTOMER_SERVICE) {
                throw new DeskException(DeskError.ACCOUNT_OR_SIG, "'" + identifier + "' is a customer-service account; the"
                        + " visitor socket is for users");
            }
            if (kind == null) {
                accounts.importIfAbsent(tenant.db(), identifier);
            }
            if (from == null) {
                // "from now" is now, before the handshake answers: a message sent to the user the moment the
                // client sees the socket open (before onOpen runs) is delivered, not skipped
                from = hub.present(tenant);
            }
        } catch (DeskException e) {
            refusal = e;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "visitor socket of " + identifier + " could not sign in", e);
            refusal = new DeskException(DeskError.IM_SERVER_INTERNAL);
        }
    }

    @Override
    public void onOpen(WsSession session) {
        if (refusal != null) {
            refuse(session, refusal.error().code(), refusal.errorInfo());
            return;
        }
        try {
            connection = new Connection(sdkAppId, identifier, session);
            hub.open(tenant, connection, from);
            presence.joined(tenant, identifier);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "visitor socket of " + identifier + " could not open", e);
            refuse(session, DeskError.IM_SERVER_INTERNAL.code(), DeskError.IM_SERVER_INTERNAL.defaultInfo());
        }
    }

    private void refuse(WsSession session, int code, String info) {
        session.send(Frames.error(code, info), true);
        session.close(CLOSE_POLICY, "sign-in refused: " + code);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (connection == null) {
            return;
        }
        if (!last) {
            connection.send(Frames.error(DeskError.MSG_FORMAT.code(), "fragmented frames are not supported: send each frame whole"));
            return;
        }
        long random = 0;
        connection.hold();
        try {
            JsonNode frame = parse(text);
            JsonNode randomNode = frame.get("MsgRandom");
            random = randomNode != null && randomNode.canConvertToLong() ? randomNode.asLong() : 0;
            String type = frame.path("Type").asText("");
            if (!"SendMsg".equals(type)) {
                throw new DeskException(DeskError.MSG_FORMAT, "unknown frame Type '" + type + "': send {\"Type\":\"SendMsg\","
                        + "\"ToAccount\":..,\"MsgRandom\":..,\"MsgBody\":[..]}");
            }
            String to = frame.path("ToAccount").asText("").strip();
            if (to.isEmpty()) {
                throw new DeskException(DeskError.IM_ILLEGAL_REQUEST, "ToAccount is required");
            }
            random = MsgBody.random(frame.get("MsgRandom"));
            JsonNode ccdNode = frame.get("CloudCustomData");
            if (ccdNode != null && !ccdNode.isNull() && !ccdNode.isTextual()) {
                throw new DeskException(DeskError.MSG_FORMAT, "CloudCustomData must be a string");
            }
            String ccd = ccdNode == null || ccdNode.isNull() ? "" : ccdNode.asText();
            String body = MsgBody.validate(frame.get("MsgBody"), ccd);
            ConversationService.Ack ack = conversations.send(tenant,
                    new ConversationService.Outgoing(identifier, to, random, body, ccd, false));
            connection.send(Frames.ack(random, ack.msgKey()));
        } catch (DeskException e) {
            connection.send(Frames.error(e.error().code(), e.errorInfo(), random));
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                // the server is stopping: the message was not stored, no Ack went out, the client sends it again
                LOG.info("visitor frame of " + identifier + " not handled: the server is stopping (" + e + ")");
            } else {
                LOG.log(Level.SEVERE, "visitor frame of " + identifier + " failed", e);
            }
            connection.send(Frames.error(DeskError.IM_SERVER_INTERNAL.code(), DeskError.IM_SERVER_INTERNAL.defaultInfo(),
                    random));
        } finally {
            connection.release();
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = Json.mapper().readTree(text);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (Exception ignored) {
            // answered below
        }
        throw new DeskException(DeskError.MSG_JSON_PARSE, "a frame must be a JSON object such as {\"Type\":\"SendMsg\",...}");
    }

    private static long parseLong(String raw) {
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
