package org.opendesk.bench;

import org.opendesk.bench.BenchServer.Profile;
import org.opendesk.bench.BenchServer.Rest;
import org.opendesk.bench.BenchServer.Snapshot;
import org.opendesk.bench.BenchSupport.Errors;
import org.opendesk.bench.BenchSupport.FrameListener;
import org.opendesk.bench.BenchSupport.LongList;
import org.opendesk.bench.BenchSupport.Stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.opendesk.bench.BenchServer.JSON;
import static org.opendesk.bench.BenchSupport.cut;
import static org.opendesk.bench.BenchSupport.number;
import static org.opendesk.bench.BenchSupport.section;
import static org.opendesk.bench.BenchSupport.text;
import static org.opendesk.bench.BenchSupport.wsClient;

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
 * bench.seed (42), and for the server (read by {@link BenchServer}): bench.cpus (taskset CPU list),
 * bench.serverOpts (extra JVM options), bench.serverLog (where its log goes), bench.jfr (a JFR
 * file: records the measured window with the profile settings and prints where the time goes),
 * bench.keep (false: keep the data directory).
 */
public final class ConversationBench {
    static final String CS = "@customer_service_account";
    static final double TARGET_P99_MS = 150;

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
        BenchServer.runAndExit("conversation", t0, ConversationBench::run);
    }

    // ==================================================================== the run

    private static int run(BenchServer server) throws Exception {
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
        rest.importAccounts(users);
        System.out.printf("  %,d users imported in %.1f s%n", users.size(), (System.nanoTime() - started) / 1e9);

        int slots = (WARMUP + SECONDS) * 1000 / INTERVAL_MS + 2;
        HttpClient ws = wsClient();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < VISITORS; i++) {
            clients.add(new Client(i, users.get(i), slots));
        }
        Semaphore connecting = new Semaphore(CONNECT_CONCURRENCY);
        long[] connectNanos = new long[VISITORS];
        AtomicInteger connectFailures = new AtomicInteger();
        ConcurrentLinkedQueue<String> connectErrors = new ConcurrentLinkedQueue<>();
        Snapshot beforeConnect = Snapshot.take(server);
        started = System.nanoTime();
        CountDownLatch connected = new CountDownLatch(VISITORS);
        for (Client c : clients) {
            connecting.acquire();
            URI uri = server.wsUri(c.user);
            long t = System.nanoTime();
            ws.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20)).buildAsync(uri, c)
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
                profile = server.profileIfAsked();
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
            System.out.printf("    %4d-%-4d s %,9d %9.1f %9.1f %9.1f %9.1f%n", w * 10, w * 10 + 10, lat.length, s.p50() / 1e6,
                    s.p90() / 1e6, s.p99() / 1e6, s.max() / 1e6);
        }
        double serverCpuSeconds = afterMeasured.printCpu(beforeMeasured);
        System.out.printf("    server CPU per message: %.2f ms (user+sys over the window / messages sent in it)%n",
                serverCpuSeconds * 1000 / Math.max(1, m.sent));
        BenchServer.printThreadCpu(threadsBefore, threadsAfter, afterMeasured.seconds(beforeMeasured), "    ");
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
        boolean pass = answer.n() > 0 && answer.p99() / 1e6 < TARGET_P99_MS && unanswered == 0 && Errors.count() == 0;
        System.out.printf("  %-52s %s%n", "visitors x rate", String.format("%,d x 1/%.1f s = %.0f messages/s", clients.size(),
                INTERVAL_MS / 1000.0, clients.size() * 1000.0 / INTERVAL_MS));
        System.out.printf("  %-52s %,d sent, %,d answered, %,d unanswered, %d errors%n", "messages (whole run)", all.sent,
                all.answered, unanswered, Errors.count());
        System.out.printf("  %-52s %.1f / %.1f / %.1f / %.1f ms%n", "robot answer p50 / p90 / p99 / max (measured)",
                answer.p50() / 1e6, answer.p90() / 1e6, answer.p99() / 1e6, answer.max() / 1e6);
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
        return lat.length == 0 ? -1 : Stats.of(lat).p99();
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
    static final class Client extends FrameListener {
        final int idx;
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger others = new AtomicInteger();
        final AtomicInteger cards = new AtomicInteger();
        final AtomicInteger mismatches = new AtomicInteger();
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
            super(user);
            this.idx = idx;
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
        void frame(String f, long now) {
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
            return super.onClose(webSocket, statusCode, reason);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error " + error);
            super.onError(webSocket, error);
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
}
