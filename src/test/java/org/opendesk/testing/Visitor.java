package org.opendesk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendesk.json.Json;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A visitor on the real WebSocket (/im/v1/ws), through the JDK's client: frames in, frames out. */
public final class Visitor implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final String CS = "@customer_service_account";

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final List<JsonNode> backlog = new ArrayList<>();
    private final WebSocket socket;
    public final CompletableFuture<String> closed = new CompletableFuture<>();

    private Visitor(WebSocket.Builder builder, URI uri) {
        this.socket = builder.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        frames.add(Json.mapper().readTree(text.toString()));
                    } catch (Exception e) {
                        frames.add(Json.mapper().createObjectNode().put("Type", "Unparsable").put("Raw", text.toString()));
                    }
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                closed.complete(status + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete("error " + error);
            }
        }).join();
    }

    public static Visitor connect(int port, long sdkAppId, String user, String usersig, Long since) {
        String uri = "ws://127.0.0.1:" + port + "/im/v1/ws?sdkappid=" + sdkAppId + "&identifier="
                + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&usersig=" + URLEncoder.encode(usersig, StandardCharsets.UTF_8)
                + (since == null ? "" : "&since=" + since);
        return new Visitor(HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)), URI.create(uri));
    }

    /** App A's user with a UserSig from Tencent's generator. */
    public static Visitor a(int port, String user) {
        return connect(port, TestDesk.APP_A, user, TestDesk.sigA(user), null);
    }

    public static Visitor a(int port, String user, long since) {
        return connect(port, TestDesk.APP_A, user, TestDesk.sigA(user), since);
    }

    public void sendRaw(String frame) {
        socket.sendText(frame, true).join();
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

    /**
     * The first frame not taken yet that matches, waiting up to 10 s; frames that do not match stay
     * for later calls (and are all in {@link #seen}).
     */
    public JsonNode await(Predicate<JsonNode> wanted, String what) {
        for (int i = 0; i < backlog.size(); i++) {
            if (wanted.test(backlog.get(i))) {
                return backlog.remove(i);
            }
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (true) {
                long left = until - System.nanoTime();
                JsonNode f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new AssertionError("no frame " + what + " within 10 s; got " + seen);
                }
                seen.add(f);
                if (wanted.test(f)) {
                    return f;
                }
                backlog.add(f);
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Frames not taken yet plus those that arrive within the given time (for asserting what else came). */
    public List<JsonNode> drain(long millis) {
        List<JsonNode> out = new ArrayList<>(backlog);
        backlog.clear();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (true) {
                long left = until - System.nanoTime();
                JsonNode f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
                if (f == null) {
                    return out;
                }
                seen.add(f);
                out.add(f);
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public List<JsonNode> seen() {
        return seen;
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

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            socket.abort();
        }
    }

    public void abort() {
        socket.abort();
    }
}
