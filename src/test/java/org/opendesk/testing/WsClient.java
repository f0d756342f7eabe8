package org.opendesk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendesk.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A client of one of the server's WebSockets, through the JDK's client: JSON text frames in and out, pings, pongs. */
public class WsClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final List<JsonNode> backlog = new ArrayList<>();
    private final WebSocket socket;
    public final CompletableFuture<String> closed = new CompletableFuture<>();

    protected WsClient(URI uri) {
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, new WebSocket.Listener() {
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
            public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
                byte[] payload = new byte[message.remaining()];
                message.get(payload);
                pongs.add(payload);
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

    /** Connects to a WebSocket URI of the server. */
    public static WsClient connect(URI uri) {
        return new WsClient(uri);
    }

    public void sendRaw(String frame) {
        socket.sendText(frame, true).join();
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** Sends a ping and answers the payload of the pong that comes back (failing after 5 s). */
    public byte[] ping(byte[] payload) {
        socket.sendPing(ByteBuffer.wrap(payload)).join();
        try {
            byte[] pong = pongs.poll(5, TimeUnit.SECONDS);
            if (pong == null) {
                throw new AssertionError("no pong within 5 s");
            }
            return pong;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
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

    /** The first frame of a Type not taken yet. */
    public JsonNode await(String type) {
        return await(f -> type.equals(f.path("Type").asText()), type);
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
