package org.opendesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentyun.TLSSigAPIv2;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Load benchmark of the visitor conversation path against the real server in its own JVM on the
 * embedded H2 file database (fresh data directory): N visitor WebSockets (default 1,000) each send
 * one text message per second to {@code @customer_service_account}; every message gets one robot
 * reply (FAQ answer, chitchat, clarify card or fallback), so the whole path runs: frame parsing,
 * store + session + callback outbox in one transaction, the conversation worker, the robot's
 * decision (query embedding, Lucene matching), the reply's transaction and the hub's push.
 * Measures the end-to-end latency from sending the SendMsg frame to receiving the robot's answer
 * (Msg from {@code @customer_service_account}, matched in order per visitor), plus the Ack and the
 * echo of the user's own message, the server's CPU time and RSS. A program that prints figures,
 * not a test: run it with {@code bench/conversation-bench.sh} (see bench/README.md).
 *
 * <p>The client (all sockets) runs in this JVM on the JDK's java.net.http WebSocket client, one
 * HttpClient, one virtual thread per visitor for sending; frames are classified by their prefix
 * (no JSON parsing) to keep the client cheap on a 2-core machine.
 *
 * <p>Settings (system properties): bench.visitors (1000), bench.seconds (60 measured),
 * bench.warmup (20 s: the visitors start one after the other, then all send), bench.interval (1000 ms between a visitor's
 * messages), bench.drain (20 s to wait for the last answers), bench.connectConcurrency (32),
 * bench.faqs (20, at most 20), bench.chitchat (true: ChitchatEnable 1), bench.clarify (true:
 * ClarifyEnable 1), bench.unique (false: an order number appended to every question, so no text repeats),
 * bench.seed (42), and for the server: bench.cpus (taskset CPU list),
 * bench.serverOpts (extra JVM options), bench.serverLog (where its log goes), bench.jfr (a JFR
 * file: records the measured window with the profile settings and prints where the time goes),
 * bench.keep (false: keep the data directory).
 */
public final class ConversationBench {
    static final long APP = 1_400_000_001L;
    /** App A's key, as in org.opendesk.testing.TestDesk. */
    static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    static final String ADMIN = "administrator";
    static final String CS = "@customer_service_account";
    static final double TARGET_P99_MS = 150;
    static final ObjectMapper JSON = new ObjectMapper();

    private static final int VISITORS = Integer.getInteger("bench.visitors", 1_000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 60);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 20);
    private static final int INTERVAL_MS = Integer.getInteger("bench.interval", 1_000);
    private static final int DRAIN = Integer.getInteger("bench.drain", 20);
    private static final int CONNECT_CONCURRENCY = Integer.getInteger("bench.connectConcurrency", 32);
    private static final int FAQS = Math.min(Integer.getInteger("bench.faqs", 20), 20);
    private static final boolean CHITCHAT = Boolean.parseBoolean(System.getProperty("bench.chitchat", "true"));
    private static final boolean CLARIFY = Boolean.parseBoolean(System.getProperty("bench.clarify", "true"));
    private static final long SEED = Long.getLong("bench.seed", 42L);
    /** Appends an order number to every question, so that no text repeats (no cache serves its embedding). */
    private static final boolean UNIQUE = Boolean.getBoolean("bench.unique");

    private ConversationBench() {
    }

    public static void main(String[] args) throws Exception {
        if (VISITORS < 1 || SECONDS < 1 || WARMUP < 0 || INTERVAL_MS < 1) {
            throw new IllegalArgumentException("bench.visitors, bench.seconds, bench.interval must be positive");
        }
        Locale.setDefault(Locale.ROOT);
        long t0 = System.nanoTime();
        System.out.printf("Desk conversation benchmark: %,d visitor WebSockets, 1 text message per %d ms each, warm-up %d s,"
                + " measured %d s%n", VISITORS, INTERVAL_MS, WARMUP, SECONDS);
        printJvm();
        Server server = Server.start("conversation");
        int rc = 0;
        try {
            rc = run(server);
        } finally {
            server.stop();
            server.printLog();
            server.cleanUp();
        }
        System.out.printf("%ntotal run time: %.0f s%n", (System.nanoTime() - t0) / 1e9);
        System.exit(rc);
    }

    static void printJvm() {
        System.out.printf("benchmark JVM (the client): %s %s, %d CPUs, max heap %d MB; args %s%n",
                System.getProperty("java.vm.name"), Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    // ==================================================================== the run

    private static int run(Server server) throws Exception {
        Rest rest = new Rest(server.port);

        // ---------------------------------------------------------------- b. knowledge
        section("b. Robot configuration and knowledge (REST, rate limits off)");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ChitchatEnable", CHITCHAT ? 1 : 0);
        config.put("ClarifyEnable", CLARIFY ? 1 : 0);
        rest.ok("openim_console_http_svc/update_robot_config", config);
        long category = rest.ok("openim_console_http_svc/add_faq_category", Map.of("Title", "售后")).path("CategoryId").asLong();
        long started = System.nanoTime();
        for (int i = 0; i < FAQS; i++) {
            String[] f = Questions.FAQS[i];
            rest.ok("openim_console_http_svc/add_faq", Map.of("CategoryId", category, "Question", f[0], "Answer", f[1],
                    "SimilarQuestions", List.of(Arrays.copyOfRange(f, 2, f.length))));
        }
        System.out.printf("  robot config: ChitchatEnable %d, ClarifyEnable %d (defaults otherwise: DirectAnsweringReaches 0.8,"
                + " ToAgentEnable 1)%n", CHITCHAT ? 1 : 0, CLARIFY ? 1 : 0);
        System.out.printf("  %d FAQ entries (%d texts with their similar questions) added in %.1f s%n", FAQS,
                Stream.of(Questions.FAQS).limit(FAQS).mapToInt(f -> f.length - 1).sum(), (System.nanoTime() - started) / 1e9);

        // the decision for every question of the set, as the robot will take it (robot_test_answer)
        Thread.sleep(1_500); // the index syncs on change; give the background sync a moment too
        Map<String, Integer> types = new TreeMap<>();
        List<String> questions = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String q : Questions.ASKED) {
            String type = rest.ok("openim_console_http_svc/robot_test_answer", Map.of("Question", q)).path("ReplyType").asText();
            types.merge(type, 1, Integer::sum);
            if ("ToAgent".equals(type)) {
                dropped.add(q); // a wish for a human gets no robot text here; not what this benchmark measures
            } else {
                questions.add(q);
            }
        }
        long zh = questions.stream().filter(ConversationBench::isChinese).count();
        System.out.printf("  question set: %d texts (%d Chinese, %d English); the robot's decision for each (robot_test_answer):"
                + " %s%n", questions.size(), zh, questions.size() - zh, types);
        if (!dropped.isEmpty()) {
            System.out.println("  dropped (ToAgent, no robot text): " + dropped);
        }
        long messages = (long) VISITORS * (WARMUP + SECONDS) * 1000 / INTERVAL_MS;
        if (UNIQUE) {
            Map<String, Integer> decorated = new TreeMap<>();
            for (String q : questions) {
                decorated.merge(rest.ok("openim_console_http_svc/robot_test_answer", Map.of("Question", decorate(q, 42)))
                        .path("ReplyType").asText(), 1, Integer::sum);
            }
            System.out.println("  the robot's decision for the same texts with an order number: " + decorated);
            System.out.printf("  bench.unique: every message gets an order number appended (\"%s\", \"%s\"), so none of"
                    + " the about %,d messages repeats a text: every question is embedded, none served from a cache%n",
                    decorate(questions.get(0), 12_345_678L), decorate("Where is my package?", 12_345_679L), messages);
        } else {
            System.out.printf("  each message picks one of the %d texts at random: about %,d messages in all, so all but %d"
                    + " (%.2f%%) repeat a text asked before%n", questions.size(), messages, questions.size(),
                    100.0 * (messages - questions.size()) / messages);
            System.out.println("  (the server's Embedder keeps an LRU cache of 20,000 texts: where it serves questions (server"
                    + " versions from 25aefdc on), only the first asking of each text is embedded; bench.unique=true makes"
                    + " every text new)");
        }

        // ---------------------------------------------------------------- c. connect
        section("c. Connecting " + VISITORS + " visitors (users imported first with multiaccount_import)");
        List<String> users = new ArrayList<>();
        for (int i = 0; i < VISITORS; i++) {
            users.add(String.format("bench_v%05d", i));
        }
        started = System.nanoTime();
        for (int from = 0; from < users.size(); from += 100) {
            rest.ok("im_open_login_svc/multiaccount_import", Map.of("Accounts", users.subList(from, Math.min(users.size(), from + 100))));
        }
        System.out.printf("  %,d users imported in %.1f s%n", users.size(), (System.nanoTime() - started) / 1e9);

        int slots = (WARMUP + SECONDS) * 1000 / INTERVAL_MS + 2;
        ExecutorService wsExecutor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ws-client");
            t.setDaemon(true);
            return t;
        });
        HttpClient ws = HttpClient.newBuilder().executor(wsExecutor).connectTimeout(Duration.ofSeconds(10)).build();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < VISITORS; i++) {
            clients.add(new Client(i, users.get(i), slots));
        }
        TLSSigAPIv2 signer = new TLSSigAPIv2(APP, KEY);
        Semaphore connecting = new Semaphore(CONNECT_CONCURRENCY);
        long[] connectNanos = new long[VISITORS];
        AtomicInteger connectFailures = new AtomicInteger();
        ConcurrentLinkedQueue<String> connectErrors = new ConcurrentLinkedQueue<>();
        Snapshot beforeConnect = Snapshot.take(server);
        started = System.nanoTime();
        CountDownLatch connected = new CountDownLatch(VISITORS);
        for (Client c : clients) {
            connecting.acquire();
            String uri = "ws://127.0.0.1:" + server.port + "/im/v1/ws?sdkappid=" + APP + "&identifier=" + c.user
                    + "&usersig=" + URLEncoder.encode(signer.genUserSig(c.user, 86_400), StandardCharsets.UTF_8);
            long t = System.nanoTime();
            ws.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20)).buildAsync(URI.create(uri), c)
                    .whenComplete((socket, error) -> {
                        connecting.release();
                        if (error != null) {
                            connectFailures.incrementAndGet();
                            if (connectErrors.size() < 5) {
                                connectErrors.add(c.user + ": " + error);
                            }
                        } else {
                            c.socket = socket;
                            connectNanos[c.idx] = System.nanoTime() - t;
                        }
                        connected.countDown();
                    });
        }
        connected.await();
        double rampSeconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(2_000); // refused sign-ins answer with an Error frame and a close
        long signInErrors = clients.stream().mapToLong(c -> c.errors.get()).sum();
        long closedEarly = clients.stream().filter(c -> c.closed.isDone()).count();
        System.out.printf("  %,d connected in %.1f s (%d at a time; %.0f connections/s), %d failed, %d sign-in Error frames,"
                + " %d closed%n", VISITORS - connectFailures.get(), rampSeconds, CONNECT_CONCURRENCY,
                (VISITORS - connectFailures.get()) / rampSeconds, connectFailures.get(), signInErrors, closedEarly);
        System.out.println("  connect (HTTP upgrade + sign-in) " + Stats.of(Arrays.stream(connectNanos).filter(n -> n > 0)
                .toArray()).line());
        connectErrors.forEach(e -> System.out.println("  connect error: " + e));
        System.out.println("  during the ramp-up: " + Snapshot.take(server).since(beforeConnect));
        System.out.printf("  server after the ramp-up: RSS %s, threads %s%n", server.status("VmRSS"), server.status("Threads"));
        if (connectFailures.get() > VISITORS / 10) {
            System.out.println("  more than 10% of the visitors could not connect: stopping");
            return 1;
        }
        clients.removeIf(c -> c.socket == null);
        Errors.reset();

        // ---------------------------------------------------------------- d. load
        section(String.format("d. Load: %,d visitors x 1 message per %d ms; warm-up %d s, then %d s measured", clients.size(),
                INTERVAL_MS, WARMUP, SECONDS));
        long interval = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        long measureFrom = start + TimeUnit.SECONDS.toNanos(WARMUP);
        long sendEnd = measureFrom + TimeUnit.SECONDS.toNanos(SECONDS);
        String[] frames = new String[questions.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":"
                    + JSON.writeValueAsString(questions.get(i)) + "}}]}";
        }
        AtomicLong late = new AtomicLong();
        AtomicLong sendFailures = new AtomicLong();
        List<Thread> senders = new ArrayList<>();
        for (Client c : clients) {
            // each visitor sends at its own random moment within the second (seeded); during the warm-up they join
            // one after the other (visitor i from second warm-up x i / N on), so the load grows linearly while the
            // server's JIT warms up, and all of them send in the measured window
            SplittableRandom random = new SplittableRandom(SEED * 1_000_003 + c.idx);
            long joinTicks = (long) WARMUP * 1000 / INTERVAL_MS * c.idx / VISITORS;
            long phase = joinTicks * interval + random.nextLong(interval);
            senders.add(Thread.ofVirtual().name("send-" + c.idx).start(() -> {
                for (int k = 0; ; k++) {
                    long at = start + phase + k * interval;
                    if (at >= sendEnd || k >= c.sentAt.length) {
                        return;
                    }
                    long wait = at - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(Duration.ofNanos(wait));
                        } catch (InterruptedException e) {
                            return;
                        }
                    } else if (wait < -TimeUnit.MILLISECONDS.toNanos(100)) {
                        late.incrementAndGet();
                    }
                    long msgRandom = random.nextLong(1, 4_294_967_296L);
                    int q = random.nextInt(frames.length);
                    String frame = "{\"Type\":\"SendMsg\",\"ToAccount\":\"" + CS + "\",\"MsgRandom\":" + msgRandom
                            + (UNIQUE ? uniqueBody(questions.get(q), c.idx * 100_000L + k) : frames[q]);
                    c.sending(msgRandom, at >= measureFrom);
                    try {
                        c.socket.sendText(frame, true).get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        sendFailures.incrementAndGet();
                        Errors.note("send of " + c.user + " failed: " + e);
                        c.failLast();
                        if (c.closed.isDone()) {
                            return;
                        }
                    }
                }
            }));
        }

        // progress every 10 s, with the server's CPU, while the load runs
        Snapshot beforeLoad = null;
        Snapshot beforeMeasured = null;
        Map<String, Long> threadsBefore = Map.of();
        Profile profile = null;
        Snapshot window = Snapshot.take(server);
        long nextReport = start + TimeUnit.SECONDS.toNanos(10);
        boolean measuring = false;
        System.out.printf("  %8s %9s %9s %9s %12s %12s %11s %10s%n", "t (s)", "sent", "answered", "errors", "p99 ms (10s)",
                "server CPU", "other procs", "RSS");
        while (System.nanoTime() < sendEnd) {
            long now = System.nanoTime();
            if (beforeLoad == null && now >= start) {
                beforeLoad = Snapshot.take(server);
            }
            if (!measuring && now >= measureFrom) {
                measuring = true;
                beforeMeasured = Snapshot.take(server);
                threadsBefore = server.threadTicks();
                String jfr = System.getProperty("bench.jfr", "");
                if (!jfr.isBlank()) {
                    profile = Profile.start(server, Path.of(jfr));
                }
            }
            if (now >= nextReport) {
                Snapshot s = Snapshot.take(server);
                int sent = clients.stream().mapToInt(Client::sentCount).sum();
                int answered = clients.stream().mapToInt(Client::answeredCount).sum();
                long p99 = recentP99(clients, now - TimeUnit.SECONDS.toNanos(10));
                System.out.printf("  %8.0f %,9d %,9d %9d %12s %11.0f%% %10.0f%% %10s%n", (now - start) / 1e9, sent, answered,
                        Errors.count(), p99 < 0 ? "-" : String.format("%.1f", p99 / 1e6), s.serverPercent(window),
                        s.otherPercent(window), server.status("VmRSS"));
                window = s;
                nextReport += TimeUnit.SECONDS.toNanos(10);
            }
            Thread.sleep(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(Math.min(nextReport, sendEnd) - System.nanoTime()))));
        }
        Snapshot afterMeasured = Snapshot.take(server);
        Map<String, Long> threadsAfter = server.threadTicks();
        String hwmAtEnd = server.status("VmHWM");
        if (profile != null) {
            profile.stop();
        }
        for (Thread t : senders) {
            t.join(TimeUnit.SECONDS.toMillis(15));
        }
        // the last answers
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN);
        while (System.nanoTime() < drainUntil && clients.stream().anyMatch(Client::waiting)) {
            Thread.sleep(100);
        }
        double drained = (System.nanoTime() - sendEnd) / 1e9;
        Thread.sleep(500); // anything unexpected after the last answer (a second reply) would show up here

        // ---------------------------------------------------------------- e. figures
        section("e. Results");
        Totals all = Totals.of(clients, false);
        Totals m = Totals.of(clients, true);
        System.out.println("  (during the warm-up the visitors start one after the other, so the load grows linearly to the full"
                + " rate; the measured window has all of them)");
        System.out.printf("  messages sent: %,d (measured window: %,d = %.0f/s); send failures %d; sends more than 100 ms late"
                + " (client lag) %d%n", all.sent, m.sent, m.sent / (double) SECONDS, sendFailures.get(), late.get());
        System.out.printf("  acknowledged: %,d; echoes of the user's own message: %,d; robot answers: %,d (of which clarify"
                + " cards %,d); unanswered after %.1f s of drain: %,d%n", all.acked, all.echoed, all.answered,
                clients.stream().mapToLong(c -> c.cards.get()).sum(), drained, all.sent - all.failed - all.answered);
        System.out.printf("  Error frames: %d; unexpected frames: %d; sockets closed by the server: %d; Ack MsgRandom"
                + " mismatches: %d%n", Errors.count(), clients.stream().mapToLong(c -> c.others.get()).sum(),
                clients.stream().filter(c -> c.closed.isDone()).count(), clients.stream().mapToLong(c -> c.mismatches.get()).sum());
        Errors.print("  ");
        Stats answer = Stats.of(m.answerLatencies);
        System.out.println();
        System.out.println("  latency over the measured window, from sending the SendMsg frame (ms):");
        System.out.println("    robot answer (end to end)  " + answer.line());
        System.out.println("    Ack                        " + Stats.of(m.ackLatencies).line());
        System.out.println("    echo of the user's message " + Stats.of(m.echoLatencies).line());
        System.out.println("    (warm-up included: answer " + Stats.of(all.answerLatencies).line() + ")");
        // is everyone a bit slow, or are some visitors (sessions) far behind the others?
        long[] means = clients.stream().mapToLong(c -> c.meanAnswerNanos()).filter(v -> v >= 0).toArray();
        Stats perVisitor = Stats.of(means);
        long behind = Arrays.stream(means).filter(v -> v > TimeUnit.SECONDS.toNanos(1)).count();
        System.out.printf("    per visitor, mean answer latency over the measured window: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f"
                + " ms; %d of %d visitors average more than 1 s%n", perVisitor.p50() / 1e6, perVisitor.p90() / 1e6,
                perVisitor.p99() / 1e6, perVisitor.max() / 1e6, behind, means.length);
        System.out.println();
        System.out.println("  answers by 10 s window of the measured run (by the time the answer arrived):");
        System.out.printf("    %10s %9s %9s %9s %9s %9s%n", "window", "answers", "p50 ms", "p90 ms", "p99 ms", "max ms");
        for (int w = 0; w * 10 < SECONDS + DRAIN; w++) {
            long from = measureFrom + TimeUnit.SECONDS.toNanos(w * 10L);
            long to = from + TimeUnit.SECONDS.toNanos(10);
            long[] lat = windowLatencies(clients, from, to);
            if (lat.length == 0) {
                continue;
            }
            Stats s = Stats.of(lat);
            System.out.printf("    %4d-%-4d s %,9d %9.1f %9.1f %9.1f %9.1f%n", w * 10, w * 10 + 10, lat.length, s.p50 / 1e6,
                    s.p90 / 1e6, s.p99 / 1e6, s.max / 1e6);
        }
        System.out.println();
        System.out.println("  CPU over the measured window (100% = one core; " + Runtime.getRuntime().availableProcessors()
                + " cores = " + 100 * Runtime.getRuntime().availableProcessors() + "%):");
        System.out.println("    " + afterMeasured.since(beforeMeasured));
        double serverCpuSeconds = (afterMeasured.serverTicks - beforeMeasured.serverTicks) / Snapshot.HZ;
        System.out.printf("    server CPU per message: %.2f ms (user+sys over the window / messages sent in it)%n",
                serverCpuSeconds * 1000 / Math.max(1, m.sent));
        Server.printThreadCpu(threadsBefore, threadsAfter, afterMeasured.seconds(beforeMeasured), "    ");
        System.out.printf("    server CPU time since its start: %.1f s (warm-up and load: %s)%n", afterMeasured.serverTicks / Snapshot.HZ,
                afterMeasured.since(beforeLoad));
        System.out.printf("  server memory: VmRSS %s now, peak VmHWM %s (at the end of the measured window %s); threads %s%n",
                server.status("VmRSS"), server.status("VmHWM"), hwmAtEnd, server.status("Threads"));
        System.out.println("  server GC during the measured window: " + server.gcPauses(beforeMeasured.wall, afterMeasured.wall));
        System.out.printf("  benchmark client (all sockets, this JVM): %.0f%% of one core, %.2f ms CPU per message%n",
                afterMeasured.clientPercent(beforeMeasured), (afterMeasured.selfCpuNanos - beforeMeasured.selfCpuNanos) / 1e6
                        / Math.max(1, m.sent));
        if (profile != null) {
            section("f. Where the server's time goes (JFR, measured window)");
            profile.report();
        }

        // ---------------------------------------------------------------- g. summary
        section("g. Summary (target from the issue: p99 < " + (int) TARGET_P99_MS + " ms on 2 cores with H2)");
        long unanswered = all.sent - all.failed - all.answered;
        boolean pass = answer.n > 0 && answer.p99 / 1e6 < TARGET_P99_MS && unanswered == 0 && Errors.count() == 0;
        System.out.printf("  %-52s %s%n", "visitors x rate", String.format("%,d x 1/%.1f s = %.0f messages/s", clients.size(),
                INTERVAL_MS / 1000.0, clients.size() * 1000.0 / INTERVAL_MS));
        System.out.printf("  %-52s %,d sent, %,d answered, %,d unanswered, %d errors%n", "messages (whole run)", all.sent,
                all.answered, unanswered, Errors.count());
        System.out.printf("  %-52s %.1f / %.1f / %.1f / %.1f ms%n", "robot answer p50 / p90 / p99 / max (measured)",
                answer.p50 / 1e6, answer.p90 / 1e6, answer.p99 / 1e6, answer.max / 1e6);
        System.out.printf("  %-52s %.0f%% of one core, %.2f ms per message%n", "server CPU (measured window)",
                afterMeasured.serverPercent(beforeMeasured), serverCpuSeconds * 1000 / Math.max(1, m.sent));
        System.out.printf("  %-52s %s (peak %s)%n", "server RSS", server.status("VmRSS"), server.status("VmHWM"));
        System.out.printf("  %-52s %s%n", "target: p99 < 150 ms, every message answered, no errors", pass ? "PASS" : "MISS");
        for (Client c : clients) {
            c.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        Thread.sleep(500);
        return 0;
    }

    private static long recentP99(List<Client> clients, long since) {
        long[] lat = windowLatencies(clients, since, Long.MAX_VALUE);
        return lat.length == 0 ? -1 : Stats.of(lat).p99;
    }

    /** Latencies of answers (any message, warm-up included) that arrived in [from, to). */
    private static long[] windowLatencies(List<Client> clients, long from, long to) {
        LongList out = new LongList();
        for (Client c : clients) {
            c.answersBetween(from, to, out);
        }
        return out.toArray();
    }

    /** A question with an order number, e.g. "如何退货 订单号 20123456" or "Where is my package? (order 20123456)". */
    static String decorate(String question, long n) {
        long order = 20_000_000L + n % 80_000_000L;
        return isChinese(question) ? question + " 订单号 " + order : question + " (order " + order + ")";
    }

    private static String uniqueBody(String question, long n) {
        try {
            return ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":"
                    + JSON.writeValueAsString(decorate(question, n)) + "}}]}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isChinese(String s) {
        return s.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }

    static void section(String title) {
        System.out.println();
        System.out.println(title);
    }

    // ==================================================================== the visitors

    /** Totals over the visitors, for the whole run or the measured window only. */
    record Totals(long sent, long failed, long acked, long echoed, long answered, long[] answerLatencies, long[] ackLatencies,
                  long[] echoLatencies) {
        static Totals of(List<Client> clients, boolean measuredOnly) {
            long sent = 0;
            long failed = 0;
            long acked = 0;
            long echoed = 0;
            long answered = 0;
            LongList answers = new LongList();
            LongList acks = new LongList();
            LongList echoes = new LongList();
            for (Client c : clients) {
                synchronized (c) {
                    for (int k = 0; k < c.sent; k++) {
                        if (measuredOnly && !c.measured[k]) {
                            continue;
                        }
                        sent++;
                        if (c.failed[k]) {
                            failed++;
                            continue;
                        }
                        if (c.ackAt[k] > 0) {
                            acked++;
                            acks.add(c.ackAt[k] - c.sentAt[k]);
                        }
                        if (c.echoAt[k] > 0) {
                            echoed++;
                            echoes.add(c.echoAt[k] - c.sentAt[k]);
                        }
                        if (c.answerAt[k] > 0) {
                            answered++;
                            answers.add(c.answerAt[k] - c.sentAt[k]);
                        }
                    }
                }
            }
            return new Totals(sent, failed, acked, echoed, answered, answers.toArray(), acks.toArray(), echoes.toArray());
        }
    }

    /**
     * One visitor socket. Its k-th message is answered by the k-th Ack, the k-th echo and the
     * k-th robot answer (the server handles a socket's frames and a session's messages in order);
     * a message answered by an Error frame (matched by MsgRandom) is skipped.
     */
    static final class Client implements WebSocket.Listener {
        final int idx;
        final String user;
        volatile WebSocket socket;
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger others = new AtomicInteger();
        final AtomicInteger cards = new AtomicInteger();
        final AtomicInteger mismatches = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        // guarded by this
        final long[] sentAt;
        final long[] random;
        final boolean[] measured;
        final boolean[] failed;
        final long[] ackAt;
        final long[] echoAt;
        final long[] answerAt;
        int sent;
        private int nextAck;
        private int nextEcho;
        private int nextAnswer;

        Client(int idx, String user, int slots) {
            this.idx = idx;
            this.user = user;
            this.sentAt = new long[slots];
            this.random = new long[slots];
            this.measured = new boolean[slots];
            this.failed = new boolean[slots];
            this.ackAt = new long[slots];
            this.echoAt = new long[slots];
            this.answerAt = new long[slots];
        }

        synchronized void sending(long msgRandom, boolean inWindow) {
            random[sent] = msgRandom;
            measured[sent] = inWindow;
            sentAt[sent] = System.nanoTime();
            sent++;
        }

        synchronized void failLast() {
            failed[sent - 1] = true;
        }

        synchronized int sentCount() {
            return sent;
        }

        synchronized int answeredCount() {
            int n = 0;
            for (int k = 0; k < sent; k++) {
                if (answerAt[k] > 0) {
                    n++;
                }
            }
            return n;
        }

        synchronized boolean waiting() {
            for (int k = 0; k < sent; k++) {
                if (!failed[k] && answerAt[k] == 0) {
                    return !closed.isDone();
                }
            }
            return false;
        }

        /** Mean answer latency of the measured messages, or -1 when none was answered. */
        synchronized long meanAnswerNanos() {
            long sum = 0;
            int n = 0;
            for (int k = 0; k < sent; k++) {
                if (measured[k] && answerAt[k] > 0) {
                    sum += answerAt[k] - sentAt[k];
                    n++;
                }
            }
            return n == 0 ? -1 : sum / n;
        }

        synchronized void answersBetween(long from, long to, LongList out) {
            for (int k = 0; k < sent; k++) {
                if (answerAt[k] >= from && answerAt[k] < to && answerAt[k] > 0) {
                    out.add(answerAt[k] - sentAt[k]);
                }
            }
        }

        private int skipFailed(int k) {
            while (k < sent && failed[k]) {
                k++;
            }
            return k;
        }

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
                String frame;
                if (partial.isEmpty()) {
                    frame = data.toString();
                } else {
                    frame = partial.append(data).toString();
                    partial.setLength(0);
                }
                frame(frame, now);
            }
            webSocket.request(1);
            return null;
        }

        private void frame(String f, long now) {
            if (f.startsWith("{\"Type\":\"Ack\"")) {
                long r = number(f, "\"MsgRandom\":");
                synchronized (this) {
                    int k = skipFailed(nextAck);
                    if (k < sent) {
                        ackAt[k] = now;
                        nextAck = k + 1;
                        if (random[k] != r) {
                            mismatches.incrementAndGet();
                        }
                    } else {
                        others.incrementAndGet();
                    }
                }
            } else if (f.startsWith("{\"Type\":\"Msg\"")) {
                String from = text(f, "\"FromAccount\":\"");
                if (CS.equals(from)) {
                    if (f.contains("TIMCustomElem")) {
                        cards.incrementAndGet();
                    }
                    synchronized (this) {
                        int k = skipFailed(nextAnswer);
                        if (k < sent) {
                            answerAt[k] = now;
                            nextAnswer = k + 1;
                        } else {
                            others.incrementAndGet();
                            Errors.note(user + ": robot message with no question waiting: " + cut(f));
                        }
                    }
                } else if (user.equals(from)) {
                    synchronized (this) {
                        int k = skipFailed(nextEcho);
                        if (k < sent) {
                            echoAt[k] = now;
                            nextEcho = k + 1;
                        } else {
                            others.incrementAndGet();
                        }
                    }
                } else {
                    others.incrementAndGet();
                }
            } else if (f.startsWith("{\"Type\":\"Error\"")) {
                errors.incrementAndGet();
                Errors.note(user + ": " + cut(f));
                long r = f.contains("\"MsgRandom\":") ? number(f, "\"MsgRandom\":") : 0;
                if (r != 0) {
                    synchronized (this) {
                        for (int k = nextAck; k < sent; k++) {
                            if (random[k] == r) {
                                failed[k] = true;
                                break;
                            }
                        }
                    }
                }
            } else {
                others.incrementAndGet();
                Errors.note(user + ": unexpected frame " + cut(f));
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            if (statusCode != WebSocket.NORMAL_CLOSURE) {
                Errors.note(user + ": socket closed by the server: " + statusCode + " " + reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error " + error);
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

        static void print(String indent) {
            FIRST.forEach(e -> System.out.println(indent + "first errors: " + e));
        }
    }

    // ==================================================================== the question set

    /** The knowledge added before the run and the texts the visitors ask. */
    static final class Questions {
        private Questions() {
        }

        /** Standard question, answer, similar questions. */
        static final String[][] FAQS = {
            {"如何退货", "7天内未使用的商品可在“我的订单”中申请退货，审核通过后按页面地址寄回即可。", "怎么退货", "我想退货怎么操作", "退货流程是什么"},
            {"退款多久到账", "退货签收后1-3个工作日内退款，原路返回，银行卡可能需要3-7个工作日到账。", "退款什么时候到账", "钱什么时候退回来", "退款要几天"},
            {"怎么修改收货地址", "订单发货前可在订单详情页点击“修改地址”；已发货的订单请联系快递改派。", "收货地址填错了怎么办", "下单后能改地址吗"},
            {"可以开发票吗", "可以。订单完成后在订单详情页申请电子发票，支持增值税普通发票和专用发票。", "怎么开发票", "发票在哪里申请", "能开增值税发票吗"},
            {"运费怎么算", "订单满99元包邮，不满99元收取8元运费，偏远地区另计。", "邮费多少钱", "包邮吗", "运费谁出"},
            {"订单什么时候发货", "现货商品付款后48小时内发货，预售商品以页面标注的时间为准。", "多久能发货", "下单后几天发货", "怎么还不发货"},
            {"怎么查物流", "在“我的订单”中点击“查看物流”即可看到快递单号和实时位置。", "快递到哪了", "物流信息在哪里看", "我的包裹到哪里了"},
            {"商品保修多久", "家电类商品全国联保一年，主要部件保修三年，凭发票享受保修服务。", "保修期是多长时间", "坏了能保修吗", "质保几年"},
            {"怎么取消订单", "未发货的订单可在订单详情页直接取消，款项原路退回。", "订单能取消吗", "不想要了怎么取消", "取消订单在哪里"},
            {"支持哪些支付方式", "支持微信支付、支付宝、银联卡和信用卡分期。", "可以用微信支付吗", "能用支付宝吗", "支持信用卡吗"},
            {"优惠券怎么使用", "结算页会自动选择可用的优惠券，也可以手动切换；每笔订单限用一张。", "优惠券用不了怎么办", "领的券在哪里用", "优惠券怎么抵扣"},
            {"会员积分怎么兑换", "积分可在会员中心兑换优惠券或礼品，100积分可抵1元。", "积分有什么用", "积分怎么用", "积分可以抵现吗"},
            {"忘记密码怎么办", "在登录页点击“忘记密码”，通过绑定的手机号接收验证码即可重置。", "密码忘了怎么找回", "怎么重置密码", "登录不上去了"},
            {"可以换货吗", "签收后15天内，商品不影响二次销售即可申请换货，换货运费由我们承担。", "尺码不合适能换吗", "怎么换货", "换货流程"},
            {"How do I return an item?", "You can return unused items within 30 days from the Orders page; print the label and drop the parcel off.",
                "How can I send something back?", "What is your return policy?", "Can I return my order?"},
            {"When will I get my refund?", "Refunds are issued within 3 business days after we receive the return; banks may take up to a week.",
                "How long does a refund take?", "Where is my refund?", "What is my refund status?"},
            {"How can I track my order?", "Open Orders and click Track package to see the carrier and the latest scan.",
                "Where is my package?", "Track my shipment", "Order tracking"},
            {"Do you ship internationally?", "Yes, we ship to over 40 countries; duties are shown at checkout.",
                "Can you deliver abroad?", "International shipping", "Do you ship to Canada?"},
            {"How do I change my shipping address?", "You can edit the address on the order page until it ships.",
                "Update delivery address", "I entered the wrong address", "Change address after ordering"},
            {"What payment methods do you accept?", "We accept Visa, Mastercard, PayPal and Apple Pay.",
                "Can I pay with PayPal?", "Do you take credit cards?", "Payment options"},
        };

        /**
         * What the visitors ask: FAQ questions as stored, their similar questions and unseen
         * paraphrases; greetings and small talk (the preset chitchat library); shop questions
         * the FAQ does not cover; and questions outside customer service.
         */
        static final String[] ASKED = {
            // FAQ: stored texts and unseen paraphrases
            "如何退货", "我买的东西想退掉，怎么弄", "退款一般几天能到账", "地址写错了能改吗", "能开发票吗", "买这个要运费吗",
            "我昨天下的单什么时候发货", "快递到哪了", "保修期多长", "我不想要了，订单怎么取消", "能用支付宝付款吗", "优惠券怎么用",
            "积分能换什么", "密码忘了怎么办", "衣服尺码不合适可以换吗", "怎么查物流", "商品保修多久",
            "How do I return an item?", "I want to send back the shoes I bought", "How long until my refund arrives?",
            "Where is my package?", "Do you deliver to Germany?", "I typed the wrong address, can I change it?",
            "Can I pay with PayPal?", "What is your return policy?", "track my order please",
            // small talk
            "你好", "谢谢", "在吗", "好的", "再见", "你能做什么", "hello", "thank you",
            // shop questions the FAQ does not cover
            "你们有实体店吗", "这个产品是正品吗", "能加急配送吗", "可以货到付款吗", "Do you have a student discount?",
            "Is this product in stock?", "Can I buy a gift card?", "你们的营业时间是几点到几点",
            // outside customer service
            "今天北京天气怎么样", "红烧肉怎么做", "推荐一本好看的小说", "1加1等于几", "What's the capital of France?",
            "How do I cook pasta?", "明天上海会下雨吗", "Who won the World Cup in 2018?",
        };
    }

    // ==================================================================== the server

    /** The real server (org.opendesk.Main) in its own JVM, on a fresh embedded H2 data directory. */
    static final class Server {
        final Process process;
        final long pid;
        final int port;
        final Path dataDir;
        final Path log;
        final Path gcLog;
        final long startedNanos;

        private Server(Process process, int port, Path dataDir, Path log, Path gcLog, long startedNanos) {
            this.process = process;
            this.pid = process.pid();
            this.port = port;
            this.dataDir = dataDir;
            this.log = log;
            this.gcLog = gcLog;
            this.startedNanos = startedNanos;
        }

        static Server start(String name) throws Exception {
            Path dir = Files.createTempDirectory("desk-" + name + "-bench");
            String logProperty = System.getProperty("bench.serverLog", "");
            Path log = logProperty.isBlank() ? dir.resolve("server.log") : Path.of(logProperty);
            Path gcLog = dir.resolve("gc.log");
            int port = freePort();
            List<String> cmd = new ArrayList<>();
            String cpus = System.getProperty("bench.cpus", "").strip();
            if (!cpus.isEmpty()) {
                cmd.addAll(List.of("taskset", "-c", cpus));
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // as ./desk serve runs it
            cmd.addAll(List.of("-XX:+UseG1GC", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                    "-Xlog:gc:file=" + gcLog + ":uptime"));
            for (String o : System.getProperty("bench.serverOpts", "").strip().split("\\s+")) {
                if (!o.isEmpty()) {
                    cmd.add(o);
                }
            }
            cmd.addAll(List.of("-cp", serverClasspath(), "org.opendesk.Main"));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            Map<String, String> env = pb.environment();
            env.put("DESK_PORT", Integer.toString(port));
            env.put("DESK_HOST", "127.0.0.1");
            env.put("DESK_SDKAPPID", Long.toString(APP));
            env.put("DESK_SECRET_KEY", KEY);
            env.put("DESK_ADMIN", ADMIN);
            env.put("DESK_DATA_DIR", dir.resolve("data").toString());
            env.put("DESK_RATE_LIMITS", "off");
            env.remove("DESK_DB_URL");
            env.remove("DESK_DB_USER");
            env.remove("DESK_DB_PASSWORD");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            long started = System.nanoTime();
            Process p = pb.start();
            Server server = new Server(p, port, dir, log, gcLog, started);
            // Ctrl-C or a failure of the benchmark stops the server too
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    server.cleanUp();
                }
            }));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long until = started + TimeUnit.SECONDS.toNanos(Long.getLong("bench.startupTimeout", 120));
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the server exited with " + p.exitValue() + ":\n" + server.tail(40));
                }
                if (System.nanoTime() > until) {
                    p.destroyForcibly();
                    throw new IllegalStateException("the server did not become ready:\n" + server.tail(40));
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/observe/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            section("a. Server started in its own JVM");
            System.out.printf("  pid %d, http://127.0.0.1:%d, ready (health UP) after %.1f s; embedded H2 under %s%n", server.pid,
                    port, (System.nanoTime() - started) / 1e9, dir.resolve("data"));
            System.out.println("  command: " + String.join(" ", cmd).replace(serverClasspath(), "<classpath>"));
            System.out.println("  env: DESK_HOST=127.0.0.1 DESK_SDKAPPID=" + APP + " DESK_ADMIN=" + ADMIN
                    + " DESK_RATE_LIMITS=off DESK_DATA_DIR=<fresh> (no DESK_DB_URL: the default H2 file database)");
            System.out.println("  log: " + log);
            System.out.printf("  RSS after start-up: %s%n", server.status("VmRSS"));
            return server;
        }

        /** This JVM's class path without the test classes: what the server needs. */
        private static String serverClasspath() {
            StringBuilder out = new StringBuilder();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (entry.endsWith("test-classes") || entry.endsWith("test-classes/")) {
                    continue;
                }
                if (!out.isEmpty()) {
                    out.append(File.pathSeparator);
                }
                out.append(entry);
            }
            return out.toString();
        }

        private static int freePort() throws IOException {
            int base = Integer.getInteger("bench.port", 0);
            if (base > 0) {
                for (int p = base; p < base + 100; p++) {
                    try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
                        return s.getLocalPort();
                    } catch (IOException taken) {
                        // next
                    }
                }
            }
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }

        /** A field of /proc/PID/status, e.g. VmRSS, VmHWM, Threads ("?" when gone). */
        String status(String key) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith(key + ":")) {
                        String v = line.substring(key.length() + 1).strip();
                        if (v.endsWith(" kB")) {
                            return String.format("%,d MB", Long.parseLong(v.substring(0, v.length() - 3).strip()) / 1024);
                        }
                        return v;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return "?";
            }
            return "?";
        }

        /** utime + stime of the server in clock ticks. */
        long cpuTicks() {
            return procTicks(pid);
        }

        /** CPU ticks of the server's threads by name (/proc/PID/task/TID/stat), digits folded: "GC Thread#N". */
        Map<String, Long> threadTicks() {
            Map<String, Long> out = new HashMap<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException e) {
                return out;
            }
            return out;
        }

        /** The server's CPU by thread between two threadTicks() readings, in % of one core. */
        static void printThreadCpu(Map<String, Long> before, Map<String, Long> after, double seconds, String indent) {
            Map<String, Long> delta = new HashMap<>();
            after.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0L)));
            long total = delta.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("%sserver CPU by thread (from /proc/PID/task; N = any number; threads that ended meanwhile are"
                    + " missing), %.0f%% in all:%n", indent, 100.0 * total / Snapshot.HZ / seconds);
            delta.entrySet().stream().filter(e -> e.getValue() > 0).sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .limit(12).forEach(e -> System.out.printf("%s  %6.1f%%  %s%s%n", indent,
                            100.0 * e.getValue() / Snapshot.HZ / seconds, e.getKey(), threadNote(e.getKey())));
        }

        private static String threadNote(String name) {
            if (name.startsWith("ForkJoinPool")) {
                return "  (carriers of the virtual threads: HTTP/WebSocket handlers, conversation lanes, socket writers)";
            }
            if (name.equals("embedding")) {
                return "  (query embedding: tokenizer + ONNX Runtime, native)";
            }
            if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                return "  (garbage collector)";
            }
            if (name.startsWith("C2 Compiler") || name.startsWith("C1 Compiler")) {
                return "  (JIT compiler)";
            }
            return "";
        }

        /** GC pauses from the server's -Xlog:gc between two System.nanoTime() values of this JVM. */
        String gcPauses(long fromNanos, long toNanos) {
            double from = (fromNanos - startedNanos) / 1e9;
            double to = (toNanos - startedNanos) / 1e9;
            Pattern line = Pattern.compile("^\\[(\\d+\\.\\d+)s\\].*(Pause \\S+).*?(\\d+\\.\\d+)ms$");
            int count = 0;
            double total = 0;
            double max = 0;
            Map<String, Integer> kinds = new TreeMap<>();
            try {
                for (String l : Files.readAllLines(gcLog)) {
                    Matcher m = line.matcher(l);
                    if (m.find()) {
                        double at = Double.parseDouble(m.group(1));
                        if (at >= from && at < to) {
                            double ms = Double.parseDouble(m.group(3));
                            count++;
                            total += ms;
                            max = Math.max(max, ms);
                            kinds.merge(m.group(2), 1, Integer::sum);
                        }
                    }
                }
            } catch (IOException e) {
                return "no GC log (" + e.getMessage() + ")";
            }
            return String.format("%d pauses %s, %.0f ms in all, longest %.1f ms (G1, from -Xlog:gc)", count, kinds, total, max);
        }

        String tail(int lines) {
            try {
                List<String> all = Files.readAllLines(log);
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                System.out.println("  the server did not stop within 20 s of SIGTERM: killed");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        /** WARNING and SEVERE lines of the server's log, counted by their message. */
        void printLog() {
            section("server log: " + log);
            List<String> lines;
            try {
                lines = Files.readAllLines(log);
            } catch (IOException e) {
                System.out.println("  cannot read it: " + e.getMessage());
                return;
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            int warnings = 0;
            int severe = 0;
            for (String l : lines) {
                boolean w = l.contains(" WARNING ");
                boolean s = l.contains(" SEVERE ");
                if (w || s) {
                    if (w) {
                        warnings++;
                    } else {
                        severe++;
                    }
                    // the message without the timestamp
                    String key = l.length() > 24 ? l.substring(24) : l;
                    counts.merge(cut(key.replaceAll("\\d+", "N")), 1, Integer::sum);
                }
            }
            System.out.printf("  %,d lines; WARNING %d, SEVERE %d%n", lines.size(), warnings, severe);
            counts.entrySet().stream().limit(12).forEach(e -> System.out.printf("  %5d x %s%n", e.getValue(), e.getKey()));
            long exceptions = lines.stream().filter(l -> l.contains("Exception")).count();
            if (exceptions > 0) {
                System.out.printf("  lines naming an exception: %d; the first: %s%n", exceptions,
                        lines.stream().filter(l -> l.contains("Exception")).findFirst().map(ConversationBench::cut).orElse(""));
            }
        }

        void cleanUp() {
            if (Boolean.getBoolean("bench.keep")) {
                System.out.println("data directory kept: " + dataDir);
                return;
            }
            try (Stream<Path> walk = Files.walk(dataDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // best effort
                    }
                });
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    static long procTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU counters at one moment: the server's ticks, this process's CPU time, the machine's. */
    static final class Snapshot {
        static final double HZ = 100.0; // USER_HZ on Linux
        final long wall = System.nanoTime();
        final long serverTicks;
        final long selfCpuNanos;
        final long machineBusy;
        final long machineTotal;
        final long machineSoftirq;

        private Snapshot(long serverTicks) {
            this.serverTicks = serverTicks;
            this.selfCpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            long[] m = machine();
            this.machineBusy = m[0];
            this.machineTotal = m[1];
            this.machineSoftirq = m[2];
        }

        static Snapshot take(Server server) {
            return new Snapshot(server.cpuTicks());
        }

        private static long[] machine() {
            try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
                String cpu = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow();
                String[] f = cpu.strip().split("\\s+");
                long busy = 0;
                long total = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    long v = Long.parseLong(f[i]);
                    total += v;
                    if (i != 4 && i != 5) { // idle, iowait
                        busy += v;
                    }
                }
                return new long[] {busy, total, Long.parseLong(f[7])};
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 0, 0};
            }
        }

        double seconds(Snapshot before) {
            return (wall - before.wall) / 1e9;
        }

        double serverPercent(Snapshot before) {
            return 100.0 * (serverTicks - before.serverTicks) / HZ / seconds(before);
        }

        double clientPercent(Snapshot before) {
            return 100.0 * (selfCpuNanos - before.selfCpuNanos) / 1e9 / seconds(before);
        }

        double busyPercent(Snapshot before) {
            long total = machineTotal - before.machineTotal;
            return total <= 0 ? 0 : 100.0 * Runtime.getRuntime().availableProcessors() * (machineBusy - before.machineBusy) / total;
        }

        double softirqPercent(Snapshot before) {
            long total = machineTotal - before.machineTotal;
            return total <= 0 ? 0 : 100.0 * Runtime.getRuntime().availableProcessors() * (machineSoftirq - before.machineSoftirq)
                    / total;
        }

        /** Busy minus the server, this process and the kernel's softirq work: other processes, roughly. */
        double otherPercent(Snapshot before) {
            return Math.max(0, busyPercent(before) - serverPercent(before) - clientPercent(before) - softirqPercent(before));
        }

        String since(Snapshot before) {
            return String.format("server %.0f%%, benchmark client %.0f%%, kernel softirq (loopback TCP) %.0f%%, other processes"
                    + " %.0f%%, machine busy %.0f%% over %.0f s", serverPercent(before), clientPercent(before),
                    softirqPercent(before), otherPercent(before), busyPercent(before), seconds(before));
        }
    }

    // ==================================================================== REST

    /** The admin REST API as app A's administrator (java.net.http; setup calls only). */
    static final class Rest {
        private final HttpClient http = HttpClient.newHttpClient();
        private final int port;
        private final String sig = new TLSSigAPIv2(APP, KEY).genUserSig(ADMIN, 86_400);

        Rest(int port) {
            this.port = port;
        }

        JsonNode ok(String command, Object body) throws IOException, InterruptedException {
            String uri = "http://127.0.0.1:" + port + "/v4/" + command + "?sdkappid=" + APP + "&identifier=" + ADMIN
                    + "&usersig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8) + "&random="
                    + ThreadLocalRandom.current().nextLong(4_294_967_296L) + "&contenttype=json";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(r.body());
            if (r.statusCode() != 200 || !"OK".equals(json.path("ActionStatus").asText())) {
                throw new IllegalStateException(command + " " + JSON.writeValueAsString(body) + " -> " + r.statusCode() + " "
                        + r.body());
            }
            return json;
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

    // ==================================================================== profile

    /**
     * A JFR recording of the server over the measured window (jcmd JFR.start with the profile
     * settings), summarised: CPU samples by method (self), by the first Desk method on the stack,
     * by Desk method anywhere on the stack (inclusive), by component and by thread; native samples;
     * and the longest waits (monitor enter, park, monitor wait) by the Desk method that waited.
     */
    static final class Profile {
        /** Native methods that mean waiting (a selector, accept), not work. */
        private static final Set<String> IDLE_NATIVE = Set.of("sun.nio.ch.EPoll.wait", "sun.nio.ch.Net.accept",
                "sun.nio.ch.Net.poll", "java.lang.Thread.sleepNanos0", "java.lang.Object.wait0");
        private final Server server;
        private final Path file;

        private Profile(Server server, Path file) {
            this.server = server;
            this.file = file;
        }

        static Profile start(Server server, Path file) throws IOException, InterruptedException {
            // the thresholds of the waits lowered so that short lock waits show up too
            String out = jcmd(server.pid, "JFR.start", "name=bench", "settings=profile",
                    "jdk.JavaMonitorEnter#threshold=1ms", "jdk.ThreadPark#threshold=1ms", "jdk.JavaMonitorWait#threshold=1ms");
            if (!out.contains("Started recording")) {
                out = jcmd(server.pid, "JFR.start", "name=bench", "settings=profile");
            }
            System.out.println("  [JFR] " + out.strip().lines().filter(l -> !l.matches("\\d+:")).findFirst().orElse(""));
            return new Profile(server, file);
        }

        void stop() throws IOException, InterruptedException {
            String out = jcmd(server.pid, "JFR.stop", "name=bench", "filename=" + file.toAbsolutePath());
            System.out.println("  [JFR] " + out.strip().lines().reduce((a, b) -> b).orElse(""));
        }

        private static String jcmd(long pid, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
            cmd.add(Long.toString(pid));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        }

        void report() throws IOException {
            report(file, 30);
        }

        static void report(Path file, int top) throws IOException {
            Map<String, Integer> self = new HashMap<>();
            Map<String, Integer> firstDesk = new HashMap<>();
            Map<String, Integer> inclusive = new HashMap<>();
            Map<String, Integer> component = new HashMap<>();
            Map<String, Integer> threads = new HashMap<>();
            Map<String, Integer> kinds = new HashMap<>();
            Map<String, Integer> sites = new HashMap<>();
            Map<String, Integer> nativeTop = new HashMap<>();
            Map<String, long[]> waits = new HashMap<>();
            int samples = 0;
            int natives = 0;
            double gcPauseMs = 0;
            int gcs = 0;
            try (RecordingFile rf = new RecordingFile(file)) {
                while (rf.hasMoreEvents()) {
                    RecordedEvent e = rf.readEvent();
                    String type = e.getEventType().getName();
                    switch (type) {
                        case "jdk.ExecutionSample" -> {
                            List<RecordedFrame> frames = frames(e);
                            if (frames.isEmpty()) {
                                continue;
                            }
                            samples++;
                            self.merge(method(frames.get(0)), 1, Integer::sum);
                            component.merge(component(frames.get(0)), 1, Integer::sum);
                            firstDesk.merge(firstDesk(frames), 1, Integer::sum);
                            Set<String> seen = new HashSet<>();
                            for (RecordedFrame f : frames) {
                                String m = method(f);
                                if (m.startsWith("org.opendesk.") && seen.add(m)) {
                                    inclusive.merge(m, 1, Integer::sum);
                                }
                            }
                            threads.merge(threadGroup(e.getThread("sampledThread")), 1, Integer::sum);
                            String[] site = site(frames);
                            kinds.merge(site[0], 1, Integer::sum);
                            sites.merge(String.format("%-22s %s", site[0], site[1]), 1, Integer::sum);
                        }
                        case "jdk.NativeMethodSample" -> {
                            List<RecordedFrame> frames = frames(e);
                            if (!frames.isEmpty() && !IDLE_NATIVE.contains(method(frames.get(0)))) {
                                natives++;
                                nativeTop.merge(method(frames.get(0)) + " <- " + firstDesk(frames) + " ["
                                        + threadGroup(e.getThread("sampledThread")) + "]", 1, Integer::sum);
                            }
                        }
                        case "jdk.JavaMonitorEnter", "jdk.ThreadPark", "jdk.JavaMonitorWait" -> {
                            List<RecordedFrame> frames = frames(e);
                            String desk = firstDesk(frames);
                            if (!desk.startsWith("org.opendesk.") || idleWait(frames)) {
                                continue; // an idle worker waiting for work, or no Desk code involved
                            }
                            String what = type.substring(4) + " in " + desk + " (" + firstNonJdk(frames) + ")";
                            long[] w = waits.computeIfAbsent(what, k -> new long[2]);
                            w[0]++;
                            w[1] += e.getDuration().toNanos();
                        }
                        case "jdk.GarbageCollection" -> {
                            gcs++;
                            gcPauseMs += e.getDuration("sumOfPauses").toNanos() / 1e6;
                        }
                        default -> {
                            // not summarised
                        }
                    }
                }
            }
            System.out.printf("  recording %s: %,d CPU samples (Java code; every ~10 ms per running thread), %,d native"
                    + " samples (idle waits excluded), %d GCs with %.0f ms of pauses%n", file, samples, natives, gcs, gcPauseMs);
            print("CPU samples by component (package of the executing method)", component, samples, 12);
            print("CPU samples by thread", threads, samples, 10);
            print("CPU samples by kind of work", kinds, samples, 6);
            print("CPU samples by kind of work and the Desk code that caused it (a commit: the method that opened the"
                    + " transaction; a statement: the repository method)", sites, samples, top);
            print("CPU samples by executing method (self)", self, samples, top);
            print("CPU samples by the innermost Desk method on the stack (what the Desk was doing)", firstDesk, samples, top);
            print("CPU samples with this Desk method anywhere on the stack (inclusive)", inclusive, samples, top);
            print("native samples (threads in native code, e.g. ONNX Runtime inference), by top frame <- Desk method",
                    nativeTop, natives, 10);
            System.out.println("  waits of 1 ms or more in Desk code (count, total ms), idle workers excluded:");
            waits.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(15)
                    .forEach(en -> System.out.printf("    %7d %10.0f ms  %s%n", en.getValue()[0], en.getValue()[1] / 1e6,
                            en.getKey()));
        }

        private static void print(String title, Map<String, Integer> counts, int total, int limit) {
            System.out.println("  " + title + ":");
            counts.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue(), a.getValue())).limit(limit)
                    .forEach(en -> System.out.printf("    %6.1f%% %6d  %s%n", 100.0 * en.getValue() / Math.max(1, total),
                            en.getValue(), en.getKey()));
        }

        private static List<RecordedFrame> frames(RecordedEvent e) {
            RecordedStackTrace st = e.getStackTrace();
            return st == null ? List.of() : st.getFrames();
        }

        private static String method(RecordedFrame f) {
            return f.getMethod().getType().getName() + "." + f.getMethod().getName();
        }

        private static String firstDesk(List<RecordedFrame> frames) {
            for (RecordedFrame f : frames) {
                String m = method(f);
                if (m.startsWith("org.opendesk.")) {
                    return m;
                }
            }
            return "(no Desk frame: " + component(frames.get(0)) + ")";
        }

        /** What kind of work a sample is (database commit, SQL statement, Lucene, other) and which Desk method caused it. */
        private static String[] site(List<RecordedFrame> frames) {
            String kind = "other";
            int commit = -1;
            for (int i = 0; i < frames.size(); i++) {
                String m = method(frames.get(i));
                if (m.equals("org.h2.jdbc.JdbcConnection.commit")) {
                    kind = "database commit";
                    commit = i;
                    break;
                }
                if (kind.equals("other") && (m.startsWith("org.h2.") || m.startsWith("io.helidon.dbclient.")
                        || m.startsWith("com.zaxxer.hikari."))) {
                    kind = "database statement";
                } else if (kind.equals("other") && m.startsWith("org.apache.lucene.")) {
                    kind = "Lucene";
                }
            }
            for (int i = Math.max(0, commit); i < frames.size(); i++) {
                String m = method(frames.get(i));
                if (m.startsWith("org.opendesk.") && !m.startsWith("org.opendesk.tenant.TenantDb")
                        && !m.startsWith("org.opendesk.storage.") && !m.contains("$$Lambda") && !m.contains("lambda$")) {
                    return new String[] {kind, m};
                }
            }
            return new String[] {kind, "(no Desk frame)"};
        }

        private static String firstNonJdk(List<RecordedFrame> frames) {
            for (RecordedFrame f : frames) {
                String m = method(f);
                if (!m.startsWith("java.") && !m.startsWith("jdk.") && !m.startsWith("sun.")) {
                    return m;
                }
            }
            return frames.isEmpty() ? "?" : method(frames.get(0));
        }

        /** Waits of threads with nothing to do: a socket writer waiting for frames, the hub's poll, an idle lane. */
        private static boolean idleWait(List<RecordedFrame> frames) {
            String desk = firstDesk(frames);
            return desk.equals("org.opendesk.realtime.Connection.write") || desk.equals("org.opendesk.realtime.MessageHub.run");
        }

        private static String component(RecordedFrame f) {
            String t = f.getMethod().getType().getName();
            if (t.startsWith("org.opendesk.")) {
                String[] p = t.split("\\.");
                return "Desk (" + p[2] + ")";
            }
            if (t.startsWith("org.h2.")) {
                return "H2";
            }
            if (t.startsWith("org.apache.lucene.")) {
                return "Lucene";
            }
            if (t.startsWith("com.fasterxml.jackson.")) {
                return "Jackson";
            }
            if (t.startsWith("io.helidon.")) {
                return "Helidon (" + t.split("\\.")[2] + ")";
            }
            if (t.startsWith("com.zaxxer.hikari.")) {
                return "Hikari";
            }
            if (t.startsWith("ai.djl.") || t.startsWith("dev.langchain4j.") || t.startsWith("ai.onnxruntime.")) {
                return "embedding (DJL/langchain4j/ONNX)";
            }
            if (t.startsWith("java.") || t.startsWith("jdk.") || t.startsWith("sun.")) {
                String[] p = t.split("\\.");
                return "JDK (" + p[0] + "." + p[1] + (p.length > 3 ? "." + p[2] : "") + ")";
            }
            String[] p = t.split("\\.");
            return p.length > 2 ? p[0] + "." + p[1] + "." + p[2] : t;
        }

        private static String threadGroup(RecordedThread t) {
            if (t == null) {
                return "?";
            }
            String name = t.getJavaName();
            if (t.isVirtual()) {
                return "virtual" + (name == null || name.isEmpty() ? "" : " " + name.replaceAll("[-#]?\\d+$", "-N"));
            }
            return name == null ? "?" : name.replaceAll("\\d+", "N");
        }
    }
}
