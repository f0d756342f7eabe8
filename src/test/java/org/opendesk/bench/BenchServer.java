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
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.opendesk.bench.BenchSupport.cut;
import static org.opendesk.bench.BenchSupport.section;

/**
 * The server under test of {@link ConversationBench} and {@link SendmsgBench}: the real server
 * (org.opendesk.Main) in its own JVM, on a fresh embedded H2 data directory, as app A; how busy
 * it is from /proc (its CPU time, by thread too, its memory) and its GC log ({@link Snapshot}), a
 * JFR profile of it ({@link Profile}) and its admin REST API ({@link Rest}).
 *
 * <p>Settings (system properties): bench.cpus (taskset CPU list), bench.serverOpts (extra JVM
 * options), bench.serverLog (where its log goes), bench.jfr (a JFR file: {@link #profileIfAsked}),
 * bench.keep (false: keep the data directory), bench.port (0: any free port, else the first free
 * one from there), bench.startupTimeout (120 s).
 */
final class BenchServer {
    static final long APP = 1_400_000_001L;
    /** App A's key, as in org.opendesk.testing.TestDesk. */
    static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    static final String ADMIN = "administrator";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final TLSSigAPIv2 SIGNER = new TLSSigAPIv2(APP, KEY);

    /** What a benchmark does with the started server; it returns the exit code. */
    interface Run {
        int run(BenchServer server) throws Exception;
    }

    final Process process;
    final long pid;
    final int port;
    final Path dataDir;
    final Path log;
    final Path gcLog;
    final long startedNanos;

    private BenchServer(Process process, int port, Path dataDir, Path log, Path gcLog, long startedNanos) {
        this.process = process;
        this.pid = process.pid();
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
        this.gcLog = gcLog;
        this.startedNanos = startedNanos;
    }

    /**
     * Prints this JVM's settings, starts the server, runs the benchmark against it, stops the
     * server, summarises its log, prints the total run time since {@code t0} and exits with the
     * benchmark's code.
     */
    static void runAndExit(String name, long t0, Run benchmark) throws Exception {
        BenchSupport.printJvm();
        BenchServer server = start(name);
        int rc = 0;
        try {
            rc = benchmark.run(server);
        } finally {
            server.stop();
            server.printLog();
            server.cleanUp();
        }
        System.out.printf("%ntotal run time: %.0f s%n", (System.nanoTime() - t0) / 1e9);
        System.exit(rc);
    }

    /** A UserSig of app A for the user, valid for a day. */
    static String userSig(String user) {
        return SIGNER.genUserSig(user, 86_400);
    }

    /** The WebSocket address (/im/v1/ws) at which the user signs in, with a fresh UserSig. */
    URI wsUri(String user) {
        return URI.create("ws://127.0.0.1:" + port + "/im/v1/ws?sdkappid=" + APP + "&identifier=" + user + "&usersig="
                + URLEncoder.encode(userSig(user), StandardCharsets.UTF_8));
    }

    /** Starts a JFR profile of the server when bench.jfr names a file (null otherwise): the measured window's. */
    Profile profileIfAsked() throws IOException, InterruptedException {
        String jfr = System.getProperty("bench.jfr", "");
        return jfr.isBlank() ? null : Profile.start(this, Path.of(jfr));
    }

    static BenchServer start(String name) throws Exception {
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
        String serverOpts = System.getProperty("bench.serverOpts", "");
        if (!serverOpts.matches(".*-Xm[sx].*")) {
            cmd.addAll(List.of("-Xms1g", "-Xmx1g")); // as ./desk serve, unless the options size the heap
        }
        for (String o : serverOpts.strip().split("\\s+")) {
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
        BenchServer server = new BenchServer(p, port, dir, log, gcLog, started);
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
                    out.merge(name, ticks(stat), Long::sum);
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
                    lines.stream().filter(l -> l.contains("Exception")).findFirst().map(BenchSupport::cut).orElse(""));
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

    // ==================================================================== CPU from /proc

    /** utime + stime of a process in clock ticks (0 when gone). */
    static long procTicks(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime (fields 14 and 15) of a /proc/PID/stat or /proc/PID/task/TID/stat line. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
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

        static Snapshot take(BenchServer server) {
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

        /**
         * Prints the head of the CPU figures over the measured window (from {@code before} to this
         * snapshot) and returns the server's CPU seconds in it.
         */
        double printCpu(Snapshot before) {
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.println();
            System.out.println("  CPU over the measured window (100% = one core; " + cores + " cores = " + 100 * cores + "%):");
            System.out.println("    " + since(before));
            return (serverTicks - before.serverTicks) / HZ;
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
        private final String sig = userSig(ADMIN);

        Rest(int port) {
            this.port = port;
        }

        /** Imports the accounts, 100 per multiaccount_import call. */
        void importAccounts(List<String> accounts) throws IOException, InterruptedException {
            for (int from = 0; from < accounts.size(); from += 100) {
                ok("im_open_login_svc/multiaccount_import", Map.of("Accounts", accounts.subList(from,
                        Math.min(accounts.size(), from + 100))));
            }
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
        private final BenchServer server;
        private final Path file;

        private Profile(BenchServer server, Path file) {
            this.server = server;
            this.file = file;
        }

        static Profile start(BenchServer server, Path file) throws IOException, InterruptedException {
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
            return desk.equals("org.opendesk.realtime.Connection.write") || desk.equals("org.opendesk.realtime.Tail.run");
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
