package org.opendesk.human;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.agent.AgentEventLog;
import org.opendesk.team.Member;
import org.opendesk.team.MemberStatus;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.CallbackReceiver;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ways into the human phase and what happens in it: manual reception with the accept timeout
 * (a durable timer), a member going offline or forced offline, the robot's to-human intent, the
 * user picking a group (strategy 1), the business server's ChatBot.OnAssignHuman (strategy 2:
 * refusal, timeout), and the user in the human phase (src 7, typing).
 */
@ServerTest
class HumanPhaseTest {
    private static final MutableClock CLOCK = new MutableClock();
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();
    private static Desk desk;
    private final AdminClient client;
    private final int port;
    private HumanFixture f;

    HumanPhaseTest(Http1Client http, WebServer server) {
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
    void fixture() {
        f = new HumanFixture(desk, client);
        client.okA("desk_http_svc", "update_callback_settings", Map.of("CallbackUrl", RECEIVER.url(), "CallbackEnable", 1));
        f.settings(0, 60, 0, 5);
    }

    private List<String> agentEventTypes(String member) {
        return desk.agentEvents().ofMemberAfter(f.tenant.db(), member, 0, 1000).stream().map(AgentEventLog.Event::type)
                .filter(t -> !t.equals("QueueLength")).toList();
    }

    private MemberStatus status(String member) {
        return desk.team().member(f.tenant.db(), member).map(Member::status).orElseThrow();
    }

    @Test
    void manualReceptionOffersTheSessionAndMovesItOnWhenTheMemberDoesNotAccept() {
        f.settings(1, 30, 1, 5);
        String a = f.member("a-manual@p1.com", "Ann", MemberStatus.FREE);
        String b = f.member("b-manual@p1.com", "Ben", MemberStatus.FREE);
        String cs = f.account("p1-cs", f.group("p1-group", List.of(a, b)), Map.of());
        String session = f.session("p1-user", cs);
        AdminClient.Reply r = f.transfer(session, Map.of());
        assertEquals(a, r.json().path("AgentId").asText(), "offered to the first member");
        assertEquals("WaitingForAgentAnswering/" + a, f.state(session));
        assertEquals(1, f.active(a), "an offer holds a seat");
        AgentEventLog.Event offered = desk.agentEvents().ofMemberAfter(f.tenant.db(), a, 0, 100).stream()
                .filter(e -> e.type().equals("Offered")).findFirst().orElseThrow();
        assertTrue(offered.payload().contains("\"AcceptDeadline\":" + (CLOCK.millis() + 30_000)), offered.payload());

        CLOCK.advance(Duration.ofSeconds(31));
        HumanFixture.eventually(() -> f.state(session).equals("WaitingForAgentAnswering/" + b), "offered to the next member");
        RECEIVER.await(CallbackReceiver.event(session, "MemberAccessTimeout"), "MemberAccessTimeout");
        assertEquals(MemberStatus.REST, status(a), "rest after a timed-out offer (the desk setting)");
        assertEquals(0, f.active(a));
        assertTrue(agentEventTypes(a).containsAll(List.of("Offered", "OfferWithdrawn", "StatusChanged")), agentEventTypes(a).toString());

        try (Visitor v = Visitor.a(port, "p1-user")) {
            desk.human().accept(f.tenant, b, session);
            v.await(TransferToHumanTest.says(cs, "转接人工成功，客服Ben为您服务"), "success prompt after the accept");
        }
        assertEquals("Agent/" + b, f.state(session));
        RECEIVER.await(CallbackReceiver.event(session, "TransferToHumanSuccess"), "TransferToHumanSuccess");
        assertTrue(desk.conversations().sessions().byId(f.tenant.db(), session).orElseThrow().routing().acceptedAt() > 0);
    }

    @Test
    void aMemberGoingOfflineHandsItsOffersOnAtOnce() {
        f.settings(1, 60, 0, 5);
        String a = f.member("a-off@p2.com", "Amy", MemberStatus.FREE);
        String b = f.member("b-off@p2.com", "Bea", MemberStatus.FREE);
        String cs = f.account("p2-cs", f.group("p2-group", List.of(a, b)), Map.of());
        String session = f.session("p2-user", cs);
        assertEquals(a, f.transfer(session, Map.of()).json().path("AgentId").asText());
        desk.human().setStatus(f.tenant, a, MemberStatus.OFFLINE, "");
        assertEquals("WaitingForAgentAnswering/" + b, f.state(session), "re-offered at once");
        assertEquals(0, f.active(a));
        desk.human().accept(f.tenant, b, session);

        // forced offline: its sessions go back to the queue and to whoever is free
        desk.human().setStatus(f.tenant, a, MemberStatus.FREE, "");
        desk.team().forceOffline(f.tenant, b);
        HumanFixture.eventually(() -> f.state(session).equals("WaitingForAgentAnswering/" + a), "the forced-offline member's session moves on");
        assertEquals(MemberStatus.OFFLINE, status(b));
        assertTrue(agentEventTypes(b).contains("TransferredAway"), agentEventTypes(b).toString());
    }

    @Test
    void theRobotsToHumanIntentGoesTheSameWayAsTheApi() {
        String m = f.member("m-intent@p3.com", "Mia", MemberStatus.FREE);
        String cs = f.account("p3-cs", f.group("p3-group", List.of(m)), Map.of());
        try (Visitor v = Visitor.a(port, "p3-user")) {
            v.send(cs, Bodies.custom(Bodies.START));
            v.await(Visitor.textFrom(cs), "welcome");
            v.send(cs, Bodies.text("转人工"));
            v.await(TransferToHumanTest.says(cs, "转接人工成功，客服Mia为您服务"), "the robot hands the user to Mia");
            String session = client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", "p3-user",
                    "CustomerServiceId", cs)).json().path("SessionId").asText();
            assertEquals("Agent/" + m, f.state(session));
            // the user re-enters the conversation: the seat status says a member is connected
            v.send(cs, Bodies.custom(Bodies.START));
            v.await(TransferToHumanTest.seat("inSeat").and(x -> x.path("Msg").path("MsgSeq").asLong() > 0), "src 26 inSeat");
            v.send(cs, Bodies.custom(Bodies.TYPING));
            HumanFixture.eventually(() -> agentEventTypes(m).contains("UserTyping"), "typing reaches the member");
        }
    }

    @Test
    void theUserPicksAGroupFromTheBranchMessage() {
        String sales = f.member("s-pick@p4.com", "Sam", MemberStatus.FREE);
        String support = f.member("t-pick@p4.com", "Tia", MemberStatus.FREE);
        long salesGroup = f.group("售前咨询", List.of(sales));
        long supportGroup = f.group("售后服务", List.of(support));
        String cs = f.account("p4-cs", salesGroup, Map.of("AssignmentStrategy", 1, "ChooseSkillGroupPrompt", "请选择服务类型",
                "DisplayGroupsChoices", List.of(salesGroup, supportGroup)));
        try (Visitor v = Visitor.a(port, "p4-user")) {
            v.send(cs, Bodies.custom(Bodies.START));
            v.await(Visitor.textFrom(cs), "welcome");
            v.send(cs, Bodies.text("我要人工客服"));
            JsonNode branch = Bodies.data(v.await(Visitor.src("15"), "the branch message").path("Msg").path("MsgBody"));
            assertEquals("请选择服务类型", branch.path("content").path("header").asText());
            assertEquals(List.of("售前咨询", "售后服务"), List.of(branch.path("content").path("items").get(0).path("content").asText(),
                    branch.path("content").path("items").get(1).path("content").asText()));
            String session = client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", "p4-user",
                    "CustomerServiceId", cs)).json().path("SessionId").asText();
            assertEquals("Chatbot", f.state(session), "the robot waits for the choice");
            v.send(cs, Bodies.text("售后服务"));
            v.await(TransferToHumanTest.says(cs, "转接人工成功，客服Tia为您服务"), "routed to the chosen group");
            assertEquals("Agent/" + support, f.state(session));
        }
    }

    @Test
    void theBusinessServerMayRefuseAndATimeoutFallsBackToAutomaticRouting() throws Exception {
        AtomicReference<String> answer = new AtomicReference<>("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\","
                + "\"AgentTransferDenied\":1}");
        AtomicReference<JsonNode> asked = new AtomicReference<>();
        HttpServer business = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        business.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        business.createContext("/assign", exchange -> {
            asked.set(org.opendesk.json.Json.mapper().readTree(exchange.getRequestBody().readAllBytes()));
            if (answer.get() == null) {
                try {
                    Thread.sleep(3_000); // longer than the 2 s the server waits
                } catch (InterruptedException ignored) {
                    // stopping
                }
            }
            byte[] bytes = (answer.get() == null ? "{}" : answer.get()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        business.start();
        try {
            String m = f.member("m-hook@p5.com", "Max", MemberStatus.FREE);
            String n = f.member("n-hook@p5.com", "Nia", MemberStatus.FREE);
            String cs = f.account("p5-cs", f.group("p5-group", List.of(m, n)), Map.of("AssignmentStrategy", 2,
                    "AssignedByWebhookURL", "http://127.0.0.1:" + business.getAddress().getPort() + "/assign"));
            String session = f.session("p5-user", cs);
            AdminClient.Reply refused = f.transfer(session, Map.of());
            assertEquals(141003, refused.code(), refused.raw());
            assertEquals("ChatBot.OnAssignHuman", asked.get().path("CallbackCommand").asText());
            assertEquals(session, asked.get().path("SessionId").asText());
            assertEquals("p5-user", asked.get().path("ClientUserId").asText());
            assertEquals(cs, asked.get().path("CustomerServiceId").asText());
            assertEquals("Chatbot", f.state(session));

            answer.set("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"AgentIdList\":[\"" + n + "\"]}");
            assertEquals(n, f.transfer(session, Map.of()).json().path("AgentId").asText(), "the member the business named");
            desk.human().end(f.tenant, n, session);

            String second = f.session("p5-user", cs);
            answer.set(null); // the business server hangs: the built-in routing decides
            assertEquals(m, f.transfer(second, Map.of()).json().path("AgentId").asText(), "automatic after the timeout");
        } finally {
            business.stop(0);
        }
    }
}
