package org.opendesk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.opendesk.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A real local HTTP receiver for callbacks: records every event body and answers OK; an optional
 * reaction runs for each event (a bot answering ChatBot.UserSendMsg), after the answer is sent.
 */
public final class CallbackReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<JsonNode> events = new ArrayList<>();
    private volatile Consumer<JsonNode> reaction = e -> { };

    public CallbackReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/cb", exchange -> {
            JsonNode event = Json.mapper().readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
            synchronized (events) {
                events.add(event);
                events.notifyAll();
            }
            reaction.accept(event);
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cb";
    }

    public void onEvent(Consumer<JsonNode> reaction) {
        this.reaction = reaction;
    }

    public List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Events of one session, in arrival order. */
    public List<String> eventNames(String sessionId) {
        return events().stream().filter(e -> sessionId.equals(e.path("SessionId").asText()))
                .map(e -> e.path("Event").asText()).toList();
    }

    /** Waits up to 15 s for an event that matches. */
    public JsonNode await(Predicate<JsonNode> wanted, String what) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        synchronized (events) {
            while (true) {
                for (JsonNode e : events) {
                    if (wanted.test(e)) {
                        return e;
                    }
                }
                long left = until - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no callback " + what + " within 15 s; got " + events);
                }
                try {
                    events.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    public static Predicate<JsonNode> event(String sessionId, String name) {
        return e -> name.equals(e.path("Event").asText()) && (sessionId == null || sessionId.equals(e.path("SessionId").asText()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
