package org.opendesk.bench;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.opendesk.Desk;
import org.opendesk.Main;
import org.opendesk.conversation.Session;
import org.opendesk.conversation.SessionState;
import org.opendesk.team.MemberStatus;
import org.opendesk.team.TeamService;
import org.opendesk.tenant.Tenant;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Human-service figures on this machine: transfer_to_human latency (through the real HTTP stack,
 * C concurrent callers) while seats fill and the queue grows, and the time from a freed seat (a
 * member ends a session) to the next queued session's assignment. Server and client share this
 * JVM; the database is the embedded H2 file database or MariaDB ({@code -Ddesk.test.db=mariadb}
 * with DESK_TEST_MARIADB_URL). Run through bench/human-bench.sh.
 */
public final class HumanBench {
    private HumanBench() {
    }

    public static void main(String[] args) throws Exception {
        int members = Integer.getInteger("bench.members", 20);
        int seats = Integer.getInteger("bench.seats", 5);
        int sessions = Integer.getInteger("bench.sessions", 1000);
        int callers = Integer.getInteger("bench.callers", 16);
        int ends = Integer.getInteger("bench.ends", 200);
        Path dir = Files.createTempDirectory("human-bench");
        var db = TestDb.durable(dir);
        WebServerConfig.Builder builder = WebServer.builder().host("127.0.0.1").port(0);
        Desk desk = Main.setup(builder, TestDesk.config(db, Map.of("DESK_RATE_LIMITS", "off")), Clock.systemUTC());
        WebServer server = builder.build().start();
        try {
            BenchSupport.printJvm();
            System.out.printf("database %s; %d members x %d seats, %d sessions, %d concurrent callers%n",
                    db.url().replaceAll(";.*", ""), members, seats, sessions, callers);
            AdminClient client = new AdminClient(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port())
                    .keepAlive(false).build());
            Tenant tenant = desk.tenants().find(TestDesk.APP_A).orElseThrow();
            desk.team().updateSettings(tenant, new TeamService.SettingsChange(0, null, null, seats, null));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                String id = "bench-" + i + "@human.bench";
                desk.team().addMember(tenant, id, "Bench " + i, List.of("staff"));
                desk.human().setStatus(tenant, id, MemberStatus.FREE, "");
                ids.add(id);
            }
            List<String> open = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
                List<Future<String>> made = new ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    String user = "bench-user-" + i;
                    made.add(pool.submit(() -> {
                        client.okA("im_open_login_svc", "account_import", Map.of("UserID", user));
                        client.okA("openim", "sendmsg", Map.of("From_Account", user, "To_Account",
                                "@customer_service_account", "MsgRandom", Math.abs(user.hashCode()) + 1L,
                                "MsgBody", Bodies.custom(Bodies.START)));
                        return client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", user,
                                "CustomerServiceId", "@customer_service_account")).json().path("SessionId").asText();
                    }));
                }
                for (Future<String> f : made) {
                    open.add(f.get());
                }
            }

            int pushes = Integer.getInteger("bench.pushes", 300);
            BenchSupport.section("agent socket: a user's message (openim sendmsg) to its Msg frame on the member's socket: "
                    + pushes + " messages");
            TeamService.Added added = desk.team().addMember(tenant, "bench-socket@human.bench", "Socket", List.of("staff"));
            desk.team().changePassword(tenant, added.member().memberId(), added.password(), "bench password 1");
            String member = added.member().memberId();
            desk.human().setStatus(tenant, member, MemberStatus.FREE, "");
            String user = "bench-socket-user";
            client.okA("im_open_login_svc", "account_import", Map.of("UserID", user));
            client.okA("openim", "sendmsg", Map.of("From_Account", user, "To_Account", "@customer_service_account",
                    "MsgRandom", 1, "MsgBody", Bodies.custom(Bodies.START)));
            String session = client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", user,
                    "CustomerServiceId", "@customer_service_account")).json().path("SessionId").asText();
            desk.human().transferToHuman(tenant, session, new org.opendesk.human.HumanService.TransferOptions(List.of(member),
                    0, false, false, false));
            String token = new AdminClient(Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build())
                    .raw(io.helidon.http.Method.POST, "/agent/v1/login", Map.of(), "{\"MemberId\":\"" + member
                            + "\",\"Password\":\"bench password 1\"}", Map.of()).json().path("Token").asText();
            java.util.concurrent.ConcurrentHashMap<String, Long> arrived = new java.util.concurrent.ConcurrentHashMap<>();
            java.net.http.WebSocket socket = BenchSupport.wsClient().newWebSocketBuilder().buildAsync(java.net.URI.create(
                    "ws://127.0.0.1:" + server.port() + "/agent/v1/ws?token=" + token), new BenchSupport.FrameListener(member) {
                        @Override
                        void frame(String f, long now) {
                            if (f.contains("\"Type\":\"Msg\"")) {
                                String text = BenchSupport.text(f, "\"Text\":\"");
                                if (text != null) {
                                    arrived.put(text, now);
                                }
                            }
                        }
                    }).join();
            BenchSupport.LongList pushed = new BenchSupport.LongList();
            for (int i = 0; i < pushes; i++) {
                String text = "bench question " + i;
                long t0 = System.nanoTime();
                client.okA("openim", "sendmsg", Map.of("From_Account", user, "To_Account", "@customer_service_account",
                        "MsgRandom", 100 + i, "MsgBody", Bodies.text(text)));
                long until = System.nanoTime() + 2_000_000_000L;
                while (!arrived.containsKey(text) && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                Long at = arrived.get(text);
                if (at != null) {
                    pushed.add(at - t0);
                }
            }
            socket.abort();
            desk.human().end(tenant, member, session);
            desk.human().setStatus(tenant, member, MemberStatus.OFFLINE, "");
            System.out.println("  " + BenchSupport.Stats.of(pushed.toArray()).line() + " (" + pushed.size() + " of " + pushes
                    + " arrived; from the sendmsg call to the frame)");

            BenchSupport.section("transfer_to_human: " + sessions + " calls, " + callers + " at a time");
            BenchSupport.LongList assigned = new BenchSupport.LongList();
            BenchSupport.LongList queued = new BenchSupport.LongList();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            long started = System.nanoTime();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < callers; c++) {
                    pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < open.size(); i = next.getAndIncrement()) {
                            long t0 = System.nanoTime();
                            AdminClient.Reply r = client.callA("desk_http_svc", "transfer_to_human",
                                    Map.of("SessionId", open.get(i)));
                            long took = System.nanoTime() - t0;
                            if (!r.ok()) {
                                failed.incrementAndGet();
                            } else {
                                BenchSupport.LongList into = r.json().path("IsInQueue").asInt() == 1 ? queued : assigned;
                                synchronized (into) {
                                    into.add(took);
                                }
                            }
                        }
                    });
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("%.0f calls/s; failed %d%n", sessions / seconds, failed.get());
            System.out.println("  assigned: " + BenchSupport.Stats.of(assigned.toArray()).line());
            System.out.println("  queued:   " + BenchSupport.Stats.of(queued.toArray()).line());

            BenchSupport.section("a freed seat to the next queued session's assignment: " + ends + " ends");
            var repo = desk.conversations().sessions();
            BenchSupport.LongList freed = new BenchSupport.LongList();
            int out = 0;
            for (int i = 0; i < ends; i++) {
                List<Session> queue = repo.queued(tenant.db(), 1);
                if (queue.isEmpty()) {
                    break;
                }
                String ender = ids.get(i % members);
                Session ending = repo.ofAgent(tenant.db(), ender).get(0);
                long t0 = System.nanoTime();
                desk.human().end(tenant, ender, ending.id()); // commits, then serves the queue
                while (repo.byId(tenant.db(), queue.get(0).id()).orElseThrow().state() != SessionState.AGENT) {
                    Thread.onSpinWait();
                }
                freed.add(System.nanoTime() - t0);
                out++;
            }
            System.out.println("  " + BenchSupport.Stats.of(freed.toArray()).line() + " (" + out + " assignments)");

        } finally {
            server.stop();
            desk.close();
        }
    }
}
