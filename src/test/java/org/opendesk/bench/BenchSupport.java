package org.opendesk.bench;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side shared by {@link ConversationBench} and {@link SendmsgBench}: the output
 * (sections, this JVM's settings), the WebSocket client and a listener that hands on whole
 * frames, cheap frame parsing (no JSON), the errors the client sees, and latency figures.
 */
final class BenchSupport {
    private BenchSupport() {
    }

    static void printJvm() {
        System.out.printf("benchmark JVM (the client): %s %s, %d CPUs, max heap %d MB; args %s%n",
                System.getProperty("java.vm.name"), Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    static void section(String title) {
        System.out.println();
        System.out.println(title);
    }

    // ==================================================================== frames

    /** The WebSocket client of the benchmark's sockets: java.net.http on two daemon threads. */
    static HttpClient wsClient() {
        ExecutorService wsExecutor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ws-client");
            t.setDaemon(true);
            return t;
        });
        return HttpClient.newBuilder().executor(wsExecutor).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * A user's socket: puts the parts of a text frame together and hands each whole frame to
     * {@link #frame} with the time it arrived; closes by the server and socket errors are noted.
     */
    abstract static class FrameListener implements WebSocket.Listener {
        final String user;
        volatile WebSocket socket;
        private final StringBuilder partial = new StringBuilder();

        FrameListener(String user) {
            this.user = user;
        }

        /** A whole text frame, received at {@code now} (System.nanoTime). */
        abstract void frame(String f, long now);

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            if (!last) {
                partial.append(data);
            } else {
                String f;
                if (partial.isEmpty()) {
                    f = data.toString();
                } else {
                    f = partial.append(data).toString();
                    partial.setLength(0);
                }
                frame(f, now);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (statusCode != WebSocket.NORMAL_CLOSURE) {
                Errors.note(user + ": socket closed by the server: " + statusCode + " " + reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            Errors.note(user + ": socket error " + error);
        }
    }

    static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** The string value after a key such as {@code "FromAccount":"} (no escapes in account names). */
    static String text(String f, String key) {
        int at = f.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        int end = f.indexOf('"', from);
        return end < 0 ? null : f.substring(from, end);
    }

    /** The whole number after a key such as {@code "MsgRandom":}. */
    static long number(String f, String key) {
        int at = f.indexOf(key);
        if (at < 0) {
            return -1;
        }
        long v = 0;
        for (int i = at + key.length(); i < f.length(); i++) {
            char ch = f.charAt(i);
            if (ch < '0' || ch > '9') {
                break;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    /** Errors seen by the client: counted, the first few kept with their text. */
    static final class Errors {
        private static final AtomicLong COUNT = new AtomicLong();
        private static final ConcurrentLinkedQueue<String> FIRST = new ConcurrentLinkedQueue<>();

        private Errors() {
        }

        static void note(String what) {
            COUNT.incrementAndGet();
            if (FIRST.size() < 8) {
                FIRST.add(what);
            }
        }

        static long count() {
            return COUNT.get();
        }

        static void reset() {
            COUNT.set(0);
            FIRST.clear();
        }

        /** The first errors. */
        static void print(String indent) {
            FIRST.forEach(e -> System.out.println(indent + "first errors: " + e));
        }

        /** How many errors were noted (when any), then the first ones. */
        static void printCounted(String indent) {
            if (COUNT.get() > 0) {
                System.out.println(indent + "errors noted: " + COUNT.get());
            }
            print(indent);
        }
    }

    // ==================================================================== figures

    /** A growable list of longs. */
    static final class LongList {
        private long[] values = new long[64];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        void addAll(LongList other) {
            for (int i = 0; i < other.size; i++) {
                add(other.values[i]);
            }
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** Percentiles of nanosecond latencies. */
    record Stats(int n, long p50, long p90, long p99, long p999, long max, double mean) {
        static Stats of(long[] nanos) {
            if (nanos.length == 0) {
                return new Stats(0, 0, 0, 0, 0, 0, 0);
            }
            long[] s = nanos.clone();
            Arrays.sort(s);
            return new Stats(s.length, at(s, 0.50), at(s, 0.90), at(s, 0.99), at(s, 0.999), s[s.length - 1],
                    Arrays.stream(s).average().orElse(0));
        }

        private static long at(long[] sorted, double q) {
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        String line() {
            return String.format("n %,d: p50 %.1f, p90 %.1f, p99 %.1f, p99.9 %.1f, max %.1f ms (mean %.1f)", n, p50 / 1e6,
                    p90 / 1e6, p99 / 1e6, p999 / 1e6, max / 1e6, mean / 1e6);
        }
    }
}
