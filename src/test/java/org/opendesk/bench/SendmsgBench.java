package org.opendesk.bench;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import org.opendesk.bench.BenchServer.Profile;
import org.opendesk.bench.BenchServer.Rest;
import org.opendesk.bench.BenchServer.Snapshot;
import org.opendesk.bench.BenchSupport.Errors;
import org.opendesk.bench.BenchSupport.FrameListener;
import org.opendesk.bench.BenchSupport.LongList;
import org.opendesk.bench.BenchSupport.Stats;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.opendesk.bench.BenchServer.ADMIN;
import static org.opendesk.bench.BenchServer.APP;
import static org.opendesk.bench.BenchSupport.cut;
import static org.opendesk.bench.BenchSupport.number;
import static org.opendesk.bench.BenchSupport.section;
import static org.opendesk.bench.BenchSupport.wsClient;

/**
 * Throughput benchmark of {@code POST /v4/openim/sendmsg} against the real server in its own JVM
 * on the embedded H2 file database: C concurrent HTTP/1.1 keep-alive clients (virtual threads, each
 * on its own socket) send user-to-user text messages (not to the customer-service account, so
 * no robot) as fast as the server answers, for a warm-up and a measured window. Every receiver
 * is connected by a visitor WebSocket, so each stored message is also pushed: the benchmark
 * counts the Msg frames that arrive against the messages stored, and measures the push delay
 * (from the start of the sendmsg request to the frame's arrival). Rate limits are off on the
 * server (DESK_RATE_LIMITS=off); with them, sendmsg is limited to the vendor's 200 calls/s per app.
 *
 * <p>Settings (system properties): bench.clients (32), bench.seconds (20 measured), bench.warmup
 * (30 s: the JIT keeps compiling for about that long), bench.senders (200 users, not connected),
 * bench.receivers (200 users, all connected), bench.drain (10 s to wait for the last pushes),
 * bench.http (raw; jdk: java.net.http; helidon: Http1Client), bench.seed (42), and the server
 * settings of {@link BenchServer} (bench.cpus, bench.serverOpts, bench.serverLog, bench.jfr,
 * bench.keep).
 */
public final class SendmsgBench {
    static final double TARGET_RATE = 2_000;

    private static final int CLIENTS = Integer.getInteger("bench.clients", 32);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 30);
    private static final int SENDERS = Integer.getInteger("bench.senders", 200);
    private static final int RECEIVERS = Integer.getInteger("bench.receivers", 200);
    private static final int DRAIN = Integer.getInteger("bench.drain", 10);
    private static final long SEED = Long.getLong("bench.seed", 42L);
    /**
     * The HTTP client: raw (default: a minimal HTTP/1.1 client on one keep-alive socket per thread, the
     * cheapest, which checks the framing of every response strictly), jdk (java.net.http, HTTP/1.1) or
     * helidon (Http1Client; it fails on about 1 in 15,000 responses here, see bench/README.md).
     */
    private static final String HTTP = System.getProperty("bench.http", "raw");
    /** The marker in every message's text, followed by the send time (System.nanoTime of this JVM). */
    private static final String MARK = "bench-t=";

    private SendmsgBench() {
    }

    public static void main(String[] args) throws Exception {
        if (CLIENTS < 1 || SECONDS < 1 || SENDERS < 1 || RECEIVERS < 1) {
            throw new IllegalArgumentException("bench.clients, bench.seconds, bench.senders, bench.receivers must be positive");
        }
        Locale.setDefault(Locale.ROOT);
        long t0 = System.nanoTime();
        System.out.printf("Desk sendmsg benchmark: %d concurrent HTTP clients (keep-alive), user-to-user text messages from %d"
                + " senders to %d receivers (all connected by WebSocket), warm-up %d s, measured %d s%n", CLIENTS, SENDERS,
                RECEIVERS, WARMUP, SECONDS);
        BenchServer.runAndExit("sendmsg", t0, SendmsgBench::run);
    }

    private static int run(BenchServer server) throws Exception {
        Rest rest = new Rest(server.port);
        BASE.set("http://127.0.0.1:" + server.port);

        // ---------------------------------------------------------------- b. users and sockets
        section("b. Users and receiver sockets");
        List<String> senders = new ArrayList<>();
        List<String> receivers = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            senders.add(String.format("bench_s%05d", i));
        }
        for (int i = 0; i < RECEIVERS; i++) {
            receivers.add(String.format("bench_r%05d", i));
        }
        List<String> all = new ArrayList<>(senders);
        all.addAll(receivers);
        rest.importAccounts(all);
        HttpClient ws = wsClient();
        Window window = new Window();
        List<Receiver> sockets = new ArrayList<>();
        Semaphore connecting = new Semaphore(32);
        CountDownLatch connected = new CountDownLatch(RECEIVERS);
        AtomicInteger connectFailures = new AtomicInteger();
        long started = System.nanoTime();
        for (String user : receivers) {
            Receiver r = new Receiver(user, window);
            sockets.add(r);
            connecting.acquire();
            ws.newWebSocketBuilder().buildAsync(server.wsUri(user), r).whenComplete((socket, error) -> {
                connecting.release();
                if (error != null) {
                    connectFailures.incrementAndGet();
                    Errors.note("connect of " + user + " failed: " + error);
                } else {
                    r.socket = socket;
                }
                connected.countDown();
            });
        }
        connected.await();
        Thread.sleep(1_000);
        System.out.printf("  %d senders and %d receivers imported; %d receivers connected in %.1f s, %d failed%n", SENDERS,
                RECEIVERS, RECEIVERS - connectFailures.get(), (System.nanoTime() - started) / 1e9, connectFailures.get());
        if (connectFailures.get() > 0) {
            Errors.printCounted("  ");
            return 1;
        }

        // ---------------------------------------------------------------- c. load
        section(String.format("c. Load: %d clients sending as fast as answered; warm-up %d s, then %d s measured",
                CLIENTS, WARMUP, SECONDS));
        String sig = BenchServer.userSig(ADMIN);
        Http1Client http = Http1Client.builder().baseUri("http://127.0.0.1:" + server.port).build();
        HttpClient jdk = "jdk".equals(HTTP) ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build() : null;
        System.out.println("  HTTP client: " + switch (HTTP) {
            case "jdk" -> "java.net.http HttpClient, HTTP/1.1 (keep-alive pool)";
            case "raw" -> "raw HTTP/1.1 on one keep-alive socket per client thread, every response's framing checked";
            case "helidon" -> "Helidon Http1Client (keep-alive, one connection per client thread at most)";
            default -> throw new IllegalArgumentException("bench.http must be raw, jdk or helidon, got " + HTTP);
        });
        // one message first: it must be stored and pushed, else the load would only count errors
        long probeSent = System.nanoTime();
        String probe = send(http, sig, senders.get(0), receivers.get(0), 1, "probe " + MARK + probeSent);
        long probeUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (window.pushedAll.get() == 0 && System.nanoTime() < probeUntil) {
            Thread.sleep(5);
        }
        if (!probe.contains("\"ActionStatus\":\"OK\"") || window.pushedAll.get() != 1) {
            System.out.println("  the first message was not stored and pushed: " + probe + "; pushed " + window.pushedAll.get());
            Errors.printCounted("  ");
            return 1;
        }
        System.out.printf("  first message stored and pushed (%.1f ms): %s%n", (System.nanoTime() - probeSent) / 1e6, probe);
        window.pushedAll.set(0);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        window.from = start + TimeUnit.SECONDS.toNanos(WARMUP);
        window.to = window.from + TimeUnit.SECONDS.toNanos(SECONDS);
        long measureFrom = window.from;
        long sendEnd = window.to;
        AtomicLong okMeasured = new AtomicLong();
        AtomicLong okAll = new AtomicLong();
        AtomicLong nonOk = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        LongList[] latencies = new LongList[CLIENTS];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            LongList lat = new LongList();
            latencies[c] = lat;
            SplittableRandom random = new SplittableRandom(SEED * 1_000_003 + c);
            int client = c;
            RawClient raw = "raw".equals(HTTP) ? new RawClient(server.port) : null;
            threads.add(Thread.ofVirtual().name("sendmsg-" + c).start(() -> {
                try {
                    Thread.sleep(Duration.ofNanos(Math.max(0, start - System.nanoTime())));
                } catch (InterruptedException e) {
                    return;
                }
                for (long n = 0; ; n++) {
                    long t = System.nanoTime();
                    if (t >= sendEnd) {
                        return;
                    }
                    long msgRandom = random.nextLong(1, 4_294_967_296L);
                    try {
                        String from = senders.get(random.nextInt(senders.size()));
                        String to = receivers.get(random.nextInt(receivers.size()));
                        String text = "你好，订单 " + client + "-" + n + " 已发货 " + MARK + t;
                        String[] answer = raw != null ? raw.call(sig, from, to, msgRandom, text)
                                : call(http, jdk, sig, from, to, msgRandom, text);
                        long done = System.nanoTime();
                        if (answer[0].equals("200") && answer[1].contains("\"ActionStatus\":\"OK\"")) {
                            okAll.incrementAndGet();
                            if (t >= measureFrom) {
                                okMeasured.incrementAndGet();
                                lat.add(done - t);
                            }
                        } else {
                            nonOk.incrementAndGet();
                            Errors.note("non-OK answer " + answer[0] + ": " + cut(answer[1]));
                        }
                    } catch (RuntimeException | IOException e) {
                        failures.incrementAndGet();
                        Errors.note("request failed: " + e);
                    }
                }
            }));
        }

        Snapshot beforeMeasured = null;
        Map<String, Long> threadsBefore = Map.of();
        Profile profile = null;
        Snapshot tick = Snapshot.take(server);
        long nextReport = start + TimeUnit.SECONDS.toNanos(5);
        long lastOk = 0;
        long lastPushed = 0;
        System.out.printf("  %6s %10s %10s %10s %10s %8s %11s %11s %10s%n", "t (s)", "stored", "stored/s", "pushed", "pushed/s",
                "errors", "server CPU", "other procs", "RSS");
        while (System.nanoTime() < sendEnd) {
            long now = System.nanoTime();
            if (beforeMeasured == null && now >= measureFrom) {
                beforeMeasured = Snapshot.take(server);
                threadsBefore = server.threadTicks();
                profile = server.profileIfAsked();
            }
            if (now >= nextReport) {
                Snapshot s = Snapshot.take(server);
                long ok = okAll.get();
                long pushed = window.pushedAll.get();
                System.out.printf("  %6.0f %,10d %,10.0f %,10d %,10.0f %8d %10.0f%% %10.0f%% %10s%n", (now - start) / 1e9, ok,
                        (ok - lastOk) / s.seconds(tick), pushed, (pushed - lastPushed) / s.seconds(tick),
                        nonOk.get() + failures.get(), s.serverPercent(tick), s.otherPercent(tick), server.status("VmRSS"));
                lastOk = ok;
                lastPushed = pushed;
                tick = s;
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
            Thread.sleep(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(Math.min(nextReport, sendEnd) - System.nanoTime()))));
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        Snapshot afterMeasured = Snapshot.take(server);
        Map<String, Long> threadsAfter = server.threadTicks();
        if (profile != null) {
            profile.stop();
        }
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN);
        while (System.nanoTime() < drainUntil && window.pushedAll.get() < okAll.get()) {
            Thread.sleep(50);
        }
        double drained = (System.nanoTime() - sendEnd) / 1e9;
        Thread.sleep(300);

        // ---------------------------------------------------------------- d. figures
        section("d. Results");
        LongList merged = new LongList();
        for (LongList l : latencies) {
            merged.addAll(l);
        }
        Stats latency = Stats.of(merged.toArray());
        Stats push;
        synchronized (window) {
            push = Stats.of(window.delays.toArray());
        }
        double stored = okMeasured.get() / (double) SECONDS;
        double pushRate = window.arrivedInWindow.get() / (double) SECONDS;
        long missing = Math.max(0, okAll.get() - window.pushedAll.get());
        System.out.printf("  stored (ActionStatus OK): %,d in the measured %d s = %,.0f messages/s (%,d with the warm-up)%n",
                okMeasured.get(), SECONDS, stored, okAll.get());
        System.out.printf("  non-OK answers: %d; failed requests: %d%n", nonOk.get(), failures.get());
        System.out.println("  sendmsg latency (measured, client side) " + latency.line());
        System.out.printf("  pushed: %,d Msg frames of messages sent in the measured window (of %,d stored); frames arriving in"
                + " the window: %,.0f/s; all frames %,d of %,d stored (missing after %.1f s of drain: %,d); duplicates %d,"
                + " other frames %d%n", window.pushedMeasured.get(), okMeasured.get(), pushRate, window.pushedAll.get(),
                okAll.get(), drained, missing, window.duplicates.get(), window.others.get());
        if (window.pushedAll.get() > okAll.get()) {
            System.out.printf("  (%d more frames than OK answers: requests that failed on the client side were stored and pushed)%n",
                    window.pushedAll.get() - okAll.get());
        }
        System.out.println("  push delay (from the start of the sendmsg request to the frame) " + push.line());
        Errors.printCounted("  ");
        double serverCpu = afterMeasured.printCpu(beforeMeasured);
        System.out.printf("    server CPU per stored message: %.3f ms; benchmark client: %.3f ms%n",
                serverCpu * 1000 / Math.max(1, okMeasured.get()),
                (afterMeasured.selfCpuNanos - beforeMeasured.selfCpuNanos) / 1e6 / Math.max(1, okMeasured.get()));
        BenchServer.printThreadCpu(threadsBefore, threadsAfter, afterMeasured.seconds(beforeMeasured), "    ");
        System.out.printf("  server memory: VmRSS %s, peak VmHWM %s; threads %s%n", server.status("VmRSS"),
                server.status("VmHWM"), server.status("Threads"));
        System.out.println("  server GC during the measured window: " + server.gcPauses(beforeMeasured.wall, afterMeasured.wall));
        if (profile != null) {
            section("e. Where the server's time goes (JFR, measured window)");
            profile.report();
        }

        // ---------------------------------------------------------------- f. summary
        section("f. Summary (target from the issue: >= 2,000 messages/s stored and pushed)");
        boolean rate = stored >= TARGET_RATE && pushRate >= TARGET_RATE && missing == 0;
        boolean clean = nonOk.get() + failures.get() == 0;
        System.out.printf("  %-46s %,.0f messages/s (%d clients)%n", "stored (sendmsg OK), measured", stored, CLIENTS);
        System.out.printf("  %-46s p50 %.1f / p99 %.1f / max %.1f ms%n", "sendmsg latency", latency.p50() / 1e6,
                latency.p99() / 1e6, latency.max() / 1e6);
        System.out.printf("  %-46s %,.0f frames/s; %,d missing; delay p50 %.1f / p99 %.1f / max %.1f ms%n", "pushed",
                pushRate, missing, push.p50() / 1e6, push.p99() / 1e6, push.max() / 1e6);
        System.out.printf("  %-46s %d non-OK answers, %d failed requests%n", "errors", nonOk.get(), failures.get());
        System.out.printf("  %-46s %.0f%% of one core; RSS %s (peak %s)%n", "server CPU, memory",
                afterMeasured.serverPercent(beforeMeasured), server.status("VmRSS"), server.status("VmHWM"));
        System.out.printf("  %-46s %s%n", "target: >= 2,000/s stored and pushed", rate ? "PASS" : "MISS");
        System.out.printf("  %-46s %s%n", "no errors (non-OK answers, failed requests)", clean ? "PASS" : "MISS");
        for (Receiver r : sockets) {
            r.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        Thread.sleep(300);
        return 0;
    }

    /** A sendmsg request (the caller closes the response). */
    static Http1ClientResponse request(Http1Client http, String sig, String from, String to, long msgRandom, String text) {
        return http.post("/v4/openim/sendmsg").queryParam("sdkappid", Long.toString(APP))
                .queryParam("identifier", ADMIN).queryParam("usersig", sig)
                .queryParam("random", Long.toString(msgRandom)).queryParam("contenttype", "json")
                .submit(body(from, to, msgRandom, text));
    }

    /** One sendmsg call with either client: the status code and the body. */
    static String[] call(Http1Client http, HttpClient jdk, String sig, String from, String to, long msgRandom, String text)
            throws IOException {
        if (jdk == null) {
            try (Http1ClientResponse res = request(http, sig, from, to, msgRandom, text)) {
                return new String[] {Integer.toString(res.status().code()), res.as(String.class)};
            }
        }
        URI uri = URI.create(BASE.get() + "/v4/openim/sendmsg?sdkappid=" + APP + "&identifier=" + ADMIN + "&usersig="
                + URLEncoder.encode(sig, StandardCharsets.UTF_8) + "&random=" + msgRandom + "&contenttype=json");
        try {
            java.net.http.HttpResponse<String> r = jdk.send(java.net.http.HttpRequest.newBuilder(uri)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body(from, to, msgRandom, text))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new String[] {Integer.toString(r.statusCode()), r.body()};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static final java.util.concurrent.atomic.AtomicReference<String> BASE = new java.util.concurrent.atomic.AtomicReference<>();

    static String send(Http1Client http, String sig, String from, String to, long msgRandom, String text) {
        try (Http1ClientResponse res = request(http, sig, from, to, msgRandom, text)) {
            return res.status().code() + " " + res.as(String.class);
        }
    }

    static String body(String from, String to, long msgRandom, String text) {
        return "{\"From_Account\":\"" + from + "\",\"To_Account\":\"" + to + "\",\"MsgRandom\":" + msgRandom
                + ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"" + text + "\"}}]}";
    }

    /**
     * A minimal HTTP/1.1 client on one keep-alive socket: writes a request, reads the status line,
     * the headers and exactly Content-Length bytes (or the chunks), and fails with the bytes it saw
     * when a response does not start with "HTTP/1.1 " where the previous one ended.
     */
    static final class RawClient {
        private final int port;
        private java.net.Socket socket;
        private java.io.InputStream in;
        private java.io.OutputStream out;
        private String previous = "(none)";

        RawClient(int port) {
            this.port = port;
        }

        String[] call(String sig, String from, String to, long msgRandom, String text) throws IOException {
            if (socket == null) {
                socket = new java.net.Socket("127.0.0.1", port);
                socket.setTcpNoDelay(true);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
                out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
                previous = "(new connection)";
            }
            byte[] payload = body(from, to, msgRandom, text).getBytes(StandardCharsets.UTF_8);
            String head = "POST /v4/openim/sendmsg?sdkappid=" + APP + "&identifier=" + ADMIN
                    + "&usersig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8) + "&random=" + msgRandom
                    + "&contenttype=json HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + payload.length + "\r\n\r\n";
            try {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(payload);
                out.flush();
                String status = line();
                if (!status.startsWith("HTTP/1.1 ")) {
                    throw new IOException("response does not start with HTTP/1.1 but with '" + printable(status)
                            + "'; the previous response on this connection: " + previous);
                }
                StringBuilder headers = new StringBuilder(status);
                long length = -1;
                boolean chunked = false;
                boolean close = false;
                for (String h = line(); !h.isEmpty(); h = line()) {
                    headers.append(" | ").append(h);
                    String lower = h.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(h.substring(15).strip());
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                }
                java.io.ByteArrayOutputStream bodyBytes = new java.io.ByteArrayOutputStream();
                if (chunked) {
                    for (long size = Long.parseLong(line().strip(), 16); size > 0; size = Long.parseLong(line().strip(), 16)) {
                        bodyBytes.write(in.readNBytes((int) size));
                        line();
                    }
                    line();
                } else if (length >= 0) {
                    byte[] b = in.readNBytes((int) length);
                    if (b.length != length) {
                        throw new IOException("connection ended after " + b.length + " of " + length + " body bytes");
                    }
                    bodyBytes.write(b);
                }
                String answer = bodyBytes.toString(StandardCharsets.UTF_8);
                previous = headers + " | body " + answer.length() + " chars: " + cut(answer);
                if (close) {
                    reset();
                }
                return new String[] {status.substring(9, 12), answer};
            } catch (IOException | RuntimeException e) {
                reset();
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int ch = in.read(); ch != '\n'; ch = in.read()) {
                if (ch < 0) {
                    throw new IOException("connection closed by the server after '" + printable(b.toString()) + "'");
                }
                b.append((char) ch);
            }
            int end = b.length() > 0 && b.charAt(b.length() - 1) == '\r' ? b.length() - 1 : b.length();
            return b.substring(0, end);
        }

        private static String printable(String s) {
            StringBuilder b = new StringBuilder();
            for (char ch : s.substring(0, Math.min(80, s.length())).toCharArray()) {
                b.append(ch >= 32 && ch < 127 ? String.valueOf(ch) : String.format("\\x%02x", (int) ch));
            }
            return b.toString();
        }

        private void reset() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    /** What the receivers saw, against the measured window. */
    static final class Window {
        volatile long from = Long.MAX_VALUE;
        volatile long to = Long.MAX_VALUE;
        final AtomicLong pushedAll = new AtomicLong();
        final AtomicLong pushedMeasured = new AtomicLong();
        final AtomicLong arrivedInWindow = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong others = new AtomicLong();
        final LongList delays = new LongList(); // guarded by this
    }

    /** A connected receiver: counts the Msg frames of the benchmark's messages. */
    static final class Receiver extends FrameListener {
        final Window window;
        private long lastSeq;

        Receiver(String user, Window window) {
            super(user);
            this.window = window;
        }

        @Override
        void frame(String f, long now) {
            int at = f.indexOf(MARK);
            if (!f.startsWith("{\"Type\":\"Msg\"") || at < 0) {
                window.others.incrementAndGet();
                if (f.startsWith("{\"Type\":\"Error\"")) {
                    Errors.note(user + ": " + cut(f));
                }
                return;
            }
            long seq = number(f, "\"MsgSeq\":");
            if (seq <= lastSeq) {
                window.duplicates.incrementAndGet(); // the hub sends each message once, in sequence order
                return;
            }
            lastSeq = seq;
            long sent = number(f, MARK);
            window.pushedAll.incrementAndGet();
            if (now >= window.from && now < window.to) {
                window.arrivedInWindow.incrementAndGet();
            }
            if (sent >= window.from && sent < window.to) {
                window.pushedMeasured.incrementAndGet();
                synchronized (window) {
                    window.delays.add(now - sent);
                }
            }
        }
    }
}
