package org.opendesk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendesk.json.Json;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/** A visitor on the real WebSocket (/im/v1/ws), through the JDK's client: frames in, frames out. */
public final class Visitor extends WsClient {
    public static final String CS = "@customer_service_account";

    private Visitor(URI uri) {
        super(uri);
    }

    public static Visitor connect(int port, long sdkAppId, String user, String usersig, Long since) {
        String uri = "ws://127.0.0.1:" + port + "/im/v1/ws?sdkappid=" + sdkAppId + "&identifier="
                + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&usersig=" + URLEncoder.encode(usersig, StandardCharsets.UTF_8)
                + (since == null ? "" : "&since=" + since);
        return new Visitor(URI.create(uri));
    }

    /** App A's user with a UserSig from Tencent's generator. */
    public static Visitor a(int port, String user) {
        return connect(port, TestDesk.APP_A, user, TestDesk.sigA(user), null);
    }

    public static Visitor a(int port, String user, long since) {
        return connect(port, TestDesk.APP_A, user, TestDesk.sigA(user), since);
    }

    /** Sends a SendMsg frame with the given MsgBody; answers the MsgRandom used. */
    public long send(String to, JsonNode body) {
        long random = ThreadLocalRandom.current().nextLong(1, 4_294_967_296L);
        ObjectNode frame = Json.mapper().createObjectNode();
        frame.put("Type", "SendMsg");
        frame.put("ToAccount", to);
        frame.put("MsgRandom", random);
        frame.set("MsgBody", body);
        sendRaw(frame.toString());
        return random;
    }

    public long text(String text) {
        return send(CS, Bodies.text(text));
    }

    public long custom(String data) {
        return send(CS, Bodies.custom(data));
    }

    /** A Msg (or MsgModified) frame whose first element's text or src Data matches. */
    public static Predicate<JsonNode> msg(String type, Predicate<JsonNode> msg) {
        return f -> type.equals(f.path("Type").asText()) && msg.test(f.path("Msg"));
    }

    public static Predicate<JsonNode> src(String src) {
        return msg("Msg", m -> src.equals(Bodies.src(m.path("MsgBody"))));
    }

    public static Predicate<JsonNode> textFrom(String from) {
        return msg("Msg", m -> from.equals(m.path("FromAccount").asText())
                && "TIMTextElem".equals(m.path("MsgBody").path(0).path("MsgType").asText()));
    }
}
