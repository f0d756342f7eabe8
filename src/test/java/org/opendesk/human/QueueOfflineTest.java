package org.opendesk.human;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.team.MemberStatus;
import org.opendesk.team.TeamService;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.CallbackReceiver;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A queued user who goes offline (its last visitor socket closes) keeps its place for the desk's
 * QueueOfflineTimeout (120 s by default); back online in time it keeps it; still offline after it,
 * the session ends with SessionPendingAutoFinishEnd and the users behind move up. A second socket
 * keeps the user online; 0 turns it off; a stale presence row of a stopped node counts as offline.
 */
@ServerTest
class QueueOfflineTest {
    private static final MutableClock CLOCK = new MutableClock();
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();
    private static Desk desk;
    private final AdminClient client;
    private final int port;
    private HumanFixture f;
    private String cs;

    QueueOfflineTest(Http1Client http, WebServer server) {
        this.client = new AdminClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, CLOCK, Map.of("DESK_RATE_LIMITS", "off"));
    }

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    @BeforeEach
    void fixture(org.junit.jupiter.api.TestInfo info) {
        f = new HumanFixture(desk, client);
        client.okA("desk_http_svc", "update_callback_settings", Map.of("CallbackUrl", RECEIVER.url(), "CallbackEnable", 1));
        f.settings(0, 60, 0, 1);
        desk.team().updateSettings(f.tenant, new TeamService.SettingsChange(null, null, null, null, null, null, 120));
        String tag = info.getTestMethod().orElseThrow().getName().substring(0, 12).toLowerCase();
        String member = f.member(tag + "@qo.com", "Q", MemberStatus.FREE);
        cs = f.account(tag + "-cs", f.group(tag + "-group", List.of(member)), Map.of());
        String busy = f.session(tag + "-served", cs);
        f.transfer(busy, Map.of()); // the one seat is taken: the next users queue
    }

    /** A user on the visitor socket who asks for a human and queues; answers the session. */
    private String queuedVisitor(Visitor v, String user) {
        v.send(cs, Bodies.custom(Bodies.START));
        v.send(cs, Bodies.text("转人工"));
        v.await(TransferToHumanTest.says(cs, "您排在第1位，前面还有0人"), user + " queues");
        return client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", user, "CustomerServiceId", cs))
                .json().path("SessionId").asText();
    }

    private boolean offlineTimer(String session) {
        return new Timers().of(f.tenant.db(), session, Timers.QUEUE_OFFLINE).isPresent();
    }

    private void queuedAfterTimersRan(String session, String why) throws InterruptedException {
        Thread.sleep(1_200);
        assertEquals("Queueing", f.state(session), why);
    }

    @Test
    void offlineLongerThanTheTimeoutEndsTheQueuedSession() throws Exception {
        String s;
        try (Visitor v = Visitor.a(port, "qo-gone")) {
            s = queuedVisitor(v, "qo-gone");
        }
        HumanFixture.eventually(() -> offlineTimer(s), "the user's last socket closed: a timer");
        CLOCK.advance(Duration.ofSeconds(119));
        queuedAfterTimersRan(s, "119 s offline");
        CLOCK.advance(Duration.ofSeconds(2));
        HumanFixture.eventually(() -> f.state(s).equals("ended"), "ended after 120 s offline");
        RECEIVER.await(CallbackReceiver.event(s, "SessionEnd"), "SessionEnd");
        List<String> events = RECEIVER.eventNames(s);
        assertTrue(events.indexOf("SessionPendingAutoFinishEnd") >= 0
                && events.indexOf("SessionPendingAutoFinishEnd") < events.indexOf("SessionEnd"), events.toString());
        assertEquals(HumanService.END_ABANDONED, desk.conversations().sessions().byId(f.tenant.db(), s).orElseThrow().endReason());
    }

    @Test
    void backOnlineInTimeKeepsThePlace() throws Exception {
        String s;
        try (Visitor v = Visitor.a(port, "qo-back")) {
            s = queuedVisitor(v, "qo-back");
        }
        HumanFixture.eventually(() -> offlineTimer(s), "a timer");
        CLOCK.advance(Duration.ofSeconds(60));
        try (Visitor back = Visitor.a(port, "qo-back")) {
            HumanFixture.eventually(() -> !offlineTimer(s), "back online: the timer is gone");
            CLOCK.advance(Duration.ofSeconds(200));
            queuedAfterTimersRan(s, "online again");
        }
    }

    @Test
    void aSecondSocketKeepsTheUserOnline() throws Exception {
        try (Visitor first = Visitor.a(port, "qo-two"); Visitor second = Visitor.a(port, "qo-two")) {
            String s = queuedVisitor(first, "qo-two");
            first.close();
            Thread.sleep(500);
            assertTrue(!offlineTimer(s), "one socket is still open");
            CLOCK.advance(Duration.ofSeconds(300));
            queuedAfterTimersRan(s, "still online through the second socket");
            assertTrue(!second.closed.isDone(), "the second socket is open");
        }
    }

    @Test
    void zeroTurnsItOff() throws Exception {
        desk.team().updateSettings(f.tenant, new TeamService.SettingsChange(null, null, null, null, null, null, 0));
        String s;
        try (Visitor v = Visitor.a(port, "qo-off")) {
            s = queuedVisitor(v, "qo-off");
        }
        Thread.sleep(500);
        CLOCK.advance(Duration.ofHours(2));
        queuedAfterTimersRan(s, "QueueOfflineTimeout 0");
        assertTrue(!offlineTimer(s));
    }

    @Test
    void aStoppedNodesStaleRowCountsAsOffline() throws Exception {
        String s;
        try (Visitor v = Visitor.a(port, "qo-stale")) {
            s = queuedVisitor(v, "qo-stale");
            // the same user seen by a node that was killed 40 s ago (its heartbeat stopped)
            f.tenant.db().dml("test-stale-presence", "INSERT INTO desk_presence (sdkappid, user_id, node_id, seen_at) "
                    + "VALUES (:sdkappid, :user, :node, :seen)", org.opendesk.storage.Params.of("user", "qo-stale", "node",
                    "0e0e0e0e-dead-4000-8000-000000000000").put("seen", System.currentTimeMillis() - 40_000));
        }
        HumanFixture.eventually(() -> offlineTimer(s), "the stale row does not keep the user online");
        assertEquals(1, desk.presence().heartbeat(), "any node removes the stale row");
        CLOCK.advance(Duration.ofSeconds(121));
        HumanFixture.eventually(() -> f.state(s).equals("ended"), "ended");
    }
}
