package org.opendesk.satisfaction;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.opendesk.tenant.Tenant;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.AgentClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.CallbackReceiver;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Satisfaction ratings through the real server (rules 74-82, src 9/10/23/24): the settings commands
 * with every field, src 23's menuSendRuleFlag from them, the rating card at the end of a served
 * session (InvitationMethod 1 and 3, not after an invitation), a member's invitation at the agent API
 * (2 and 3), the user's request (src 24), the choice (src 10) taken once and only while the card is
 * valid, even when many arrive at once, SatisfactionSelected with the stars, the card's selected.
 */
@ServerTest
class SatisfactionTest {
    private static final String SVC = "desk_http_svc";
    private static final MutableClock CLOCK = new MutableClock();
    private static final CallbackReceiver RECEIVER = new CallbackReceiver();
    private static final AtomicInteger USERS = new AtomicInteger();
    private static Desk desk;
    private final AdminClient client;
    private final AgentClient agents;
    private final int port;
    private Tenant tenant;

    SatisfactionTest(Http1Client http, WebServer server) {
        this.client = new AdminClient(http);
        this.agents = new AgentClient(http);
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
        tenant = desk.tenants().find(TestDesk.APP_A).orElseThrow();
        client.okA(SVC, "update_callback_settings", Map.of("CallbackUrl", RECEIVER.url(), "CallbackEnable", 1));
        client.okA(SVC, "update_satisfaction_settings", example());
    }

    /** The seed's request example 1 of update_satisfaction_settings. */
    private static Map<String, Object> example() {
        Map<String, Object> body = new HashMap<>();
        body.put("SatisfactionEnabled", 1);
        body.put("InvitationMethod", 3);
        body.put("SatisfactionContent", content("感谢您使用我们的服务，请对此次服务进行评价。", "感谢您对此次服务作出评价，祝您生活愉快，再见。",
                List.of("非常不满意。", "不满意。", "一般。", "满意。", "非常满意。"), 12));
        body.put("SatisfactionContentMultilingual", Map.of(
                "en", content("Please rate our service! ", "Thank you for your feedback! ",
                        List.of("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"), 12),
                "zh", content("请您对我们的服务进行评价! ", "感谢您的评价! ", List.of("非常不满意", "不满意", "一般", "满意", "非常满意"), 12)));
        body.put("UserRequestEnabled", 0);
        return body;
    }

    private static Map<String, Object> content(String invitation, String submission, List<String> labels, int hours) {
        Map<String, Object> c = new HashMap<>();
        c.put("RatingInvitationMessage", invitation);
        c.put("SubmissionMessage", submission);
        c.put("OneStarContent", labels.get(0));
        c.put("TwoStarContent", labels.get(1));
        c.put("ThreeStarContent", labels.get(2));
        c.put("FourStarContent", labels.get(3));
        c.put("FiveStarContent", labels.get(4));
        c.put("SubmissionValidityPeriod", hours);
        return c;
    }

    private JsonNode settings() {
        return client.okA(SVC, "get_satisfaction_settings", "{}").json().path("Data");
    }

    /** A user served by a free member of its own account; answers {user, cs, session, member}. */
    private String[] served() {
        int n = USERS.incrementAndGet();
        String member = "rate" + n + "@sat.com";
        AgentClient.member(desk, TestDesk.APP_A, member);
        desk.human().setStatus(tenant, member, MemberStatus.FREE, "");
        long group = desk.team().addGroup(tenant, "sat-group-" + n, List.of(member));
        String cs = "sat-cs-" + n;
        Map<String, Object> account = new HashMap<>(Map.of("IMAgentUserID", cs, "IMAgentNick", cs, "WelcomeMessage", "欢迎",
                "AgentGroupId", group, "TransferToHumanPrompt", "正在为您转接", "TransferToHumanSuccessPrompt", "转接成功",
                "TransferToHumanFailPrompt", "无客服", "QueueingPrompt", "排队中", "UserTimeout", 600, "EndPrompt", "本次服务已结束"));
        account.put("TimeoutEndPrompt", "超时结束");
        account.put("WorkTimeConfig", Map.of("Type", 0));
        account.put("NotWorkTimePrompt", "非工作时间");
        account.put("AssignmentStrategy", 0);
        account.put("IMAgentAvatarUrl", "");
        account.put("ChatbotDisabled", 0);
        client.okA(SVC, "add_im_agent", account);
        String user = "sat-user-" + n;
        client.okA("im_open_login_svc", "account_import", Map.of("UserID", user));
        send(user, cs, Bodies.custom(Bodies.START));
        String session = client.okA(SVC, "get_session_state", Map.of("ClientUserId", user, "CustomerServiceId", cs)).json()
                .path("SessionId").asText();
        assertEquals(member, client.okA(SVC, "transfer_to_human", Map.of("SessionId", session, "AgentIdList", List.of(member)))
                .json().path("AgentId").asText());
        return new String[] {user, cs, session, member};
    }

    private void send(String user, String cs, JsonNode body) {
        client.okA("openim", "sendmsg", Map.of("From_Account", user, "To_Account", cs, "MsgRandom",
                ThreadLocalRandom.current().nextLong(1, 4_000_000_000L), "MsgBody", body));
    }

    private static JsonNode choice(String level, String session) {
        return Bodies.custom("{\"customerServicePlugin\":0,\"src\":\"10\",\"menuSelected\":{\"id\":\"" + level
                + "\",\"content\":\"x\",\"sessionId\":\"" + session + "\"}}");
    }

    private static java.util.function.Predicate<JsonNode> card() {
        return Visitor.src("9");
    }

    /** The src 9 cards of a session, oldest first, as describe_chat_messages answers them (menuContent). */
    private List<JsonNode> cards(String session) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : client.okA(SVC, "describe_chat_messages", Map.of("SessionId", session, "Order", 1, "Limit", 100))
                .json().path("Messages")) {
            if ("9".equals(Bodies.src(m.path("MsgBody")))) {
                out.add(Bodies.data(m.path("MsgBody")).path("menuContent"));
            }
        }
        return out;
    }

    private long ratedEvents(String session) {
        return RECEIVER.eventNames(session).stream().filter("SatisfactionSelected"::equals).count();
    }

    @Test
    void theSettingsCommandsTakeEveryFieldAndKeepWhatIsNotSent() {
        JsonNode d = settings();
        assertEquals(1, d.path("SatisfactionEnabled").asInt());
        assertEquals(3, d.path("InvitationMethod").asInt());
        assertEquals("非常满意。", d.path("SatisfactionContent").path("FiveStarContent").asText());
        assertEquals(12, d.path("SatisfactionContent").path("SubmissionValidityPeriod").asInt());
        assertEquals("Neutral", d.path("SatisfactionContentMultilingual").path("en").path("ThreeStarContent").asText());
        assertEquals("感谢您的评价!", d.path("SatisfactionContentMultilingual").path("zh").path("SubmissionMessage").asText());
        client.okA(SVC, "update_satisfaction_settings", Map.of("InvitationMethod", 1));
        JsonNode after = settings();
        assertEquals(1, after.path("InvitationMethod").asInt());
        assertEquals(d.path("SatisfactionContent"), after.path("SatisfactionContent"), "what is not sent is kept");
        assertEquals(d.path("SatisfactionContentMultilingual"), after.path("SatisfactionContentMultilingual"));
    }

    @Test
    void badSettingsAnswer141004NamingTheFieldAndChangeNothing() {
        JsonNode before = settings();
        Map<String, Object> noFive = new HashMap<>(content("a", "b", List.of("1", "2", "3", "4", "5"), 12));
        noFive.remove("FiveStarContent");
        List<Map<String, Object>> bad = List.of(
                Map.of("SatisfactionEnabled", 2), Map.of("InvitationMethod", 0), Map.of("InvitationMethod", 4),
                Map.of("InvitationMethod", "3"), Map.of("UserRequestEnabled", 7),
                Map.of("SatisfactionContent", noFive),
                Map.of("SatisfactionContent", content("a", "b", List.of("1", "2", "3", "4", "5"), 0)),
                Map.of("SatisfactionContent", content("a", "b", List.of("1", "2", "3", "4", "5"), 721)),
                Map.of("SatisfactionContent", content("a", "", List.of("1", "2", "3", "4", "5"), 12)),
                Map.of("SatisfactionContent", content("a", "b", List.of("1", "2", "3", "4", "x".repeat(501)), 12)),
                Map.of("SatisfactionContentMultilingual", Map.of("fr", Map.of("OneStarContent", "Très mécontent"))),
                Map.of("SatisfactionContentMultilingual", Map.of("en", Map.of("SubmissionValidityPeriod", -1))),
                Map.of("SatisfactionContentMultilingual", Map.of("en", Map.of("OneStarContent", 1))),
                Map.of("SatisfactionEnabled", 0, "InvitationMethod", 9));
        for (Map<String, Object> body : bad) {
            AdminClient.Reply r = client.callA(SVC, "update_satisfaction_settings", body);
            assertEquals(141004, r.code(), body + " -> " + r.raw());
            assertFalse(r.info().isBlank() || r.info().contains("Exception") || r.info().contains("org."), r.info());
        }
        assertEquals(before, settings(), "a refused call changed nothing");
    }

    @Test
    void theRatingRulesOfSrc23FollowTheSettings() throws Exception {
        String[] s = served();
        Map<Map<String, Object>, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put(Map.of("InvitationMethod", 3), 3);
        expected.put(Map.of("InvitationMethod", 1), 1);
        expected.put(Map.of("InvitationMethod", 2), 2);
        expected.put(Map.of("InvitationMethod", 3, "UserRequestEnabled", 1), 7);
        expected.put(Map.of("SatisfactionEnabled", 0), 0);
        try (Visitor v = Visitor.a(port, s[0])) {
            for (Map.Entry<Map<String, Object>, Integer> e : expected.entrySet()) {
                client.okA(SVC, "update_satisfaction_settings", e.getKey());
                v.send(s[1], Bodies.custom(Bodies.START));
                JsonNode rules = v.await(Visitor.src("23"), "src 23 after " + e.getKey());
                assertEquals((int) e.getValue(), Bodies.data(rules.path("Msg").path("MsgBody")).path("content")
                        .path("menuSendRuleFlag").asInt(), e.getKey().toString());
            }
        }
    }

    @Test
    void theCardComesAtTheEndAndTheChoiceIsTakenOnce() throws Exception {
        String[] s = served();
        try (Visitor v = Visitor.a(port, s[0])) {
            desk.human().end(tenant, s[3], s[2]);
            JsonNode frame = v.await(card(), "the rating card after the member ends");
            JsonNode c = Bodies.data(frame.path("Msg").path("MsgBody")).path("menuContent");
            assertEquals("感谢您使用我们的服务，请对此次服务进行评价。", c.path("head").asText());
            assertEquals("感谢您对此次服务作出评价，祝您生活愉快，再见。", c.path("tail").asText());
            assertEquals(5, c.path("menu").size());
            assertEquals("101", c.path("menu").get(0).path("id").asText());
            assertEquals("非常满意。", c.path("menu").get(4).path("content").asText());
            assertEquals(s[2], c.path("sessionId").asText(), "the card names its session");
            assertEquals(12, c.path("effectiveHour").asInt());
            assertEquals(CLOCK.millis() / 1000 + 12 * 3600, c.path("expireTime").asLong(), 5);
            assertTrue(c.path("selected").isMissingNode());
            v.send(s[1], choice("104", s[2]));
            JsonNode edit = v.await(f -> "MsgModified".equals(f.path("Type").asText())
                    && "9".equals(Bodies.src(f.path("Msg").path("MsgBody"))), "the filled card reaches the user's socket");
            assertEquals("104", Bodies.data(edit.path("Msg").path("MsgBody")).path("menuContent").path("selected").path("id")
                    .asText());
        }
        JsonNode e = RECEIVER.await(CallbackReceiver.event(s[2], "SatisfactionSelected"), "SatisfactionSelected");
        assertEquals(4, e.path("SatisfactionSelected").asInt());
        assertEquals(s[3], e.path("AgentId").asText());
        assertEquals(4, desk.satisfaction().stars(tenant.db(), s[2]), "the rating is kept with the session");
        send(s[0], s[1], choice("101", s[2]));
        Thread.sleep(500);
        assertEquals(1, ratedEvents(s[2]), "a second choice is not taken");
        assertEquals(4, desk.satisfaction().stars(tenant.db(), s[2]));
        List<JsonNode> cards = cards(s[2]);
        assertEquals(1, cards.size());
        assertEquals("104", cards.get(0).path("selected").path("id").asText(), "the card shows the choice");
        assertEquals("满意。", cards.get(0).path("selected").path("content").asText());
        assertTrue(desk.agentEvents().ofMemberAfter(tenant.db(), s[3], 0, 1000).stream()
                .anyMatch(x -> x.type().equals("Rated")), "the member learns the rating");
        assertEquals("ended", state(s[2]), "the choice opened no session");
    }

    private String state(String session) {
        AdminClient.Reply r = client.callA(SVC, "get_session_state", Map.of("SessionId", session));
        return r.ok() ? r.json().path("CurrentState").asText() : "ended";
    }

    @Test
    void aChoiceAfterTheValidityPeriodIsRefused() throws Exception {
        client.okA(SVC, "update_satisfaction_settings", Map.of("SatisfactionContent",
                content("请评价", "谢谢", List.of("1", "2", "3", "4", "5"), 1)));
        String[] s = served();
        desk.human().end(tenant, s[3], s[2]);
        HumanWait.until(() -> cards(s[2]).size() == 1, "the card");
        assertEquals(1, cards(s[2]).get(0).path("effectiveHour").asInt());
        CLOCK.advance(Duration.ofHours(1).plusSeconds(1));
        send(s[0], s[1], choice("105", s[2]));
        Thread.sleep(500);
        assertEquals(0, ratedEvents(s[2]), "the card expired");
        assertEquals(0, desk.satisfaction().stars(tenant.db(), s[2]));
    }

    @Test
    void choicesThatAreNotForThisUsersCardAreIgnored() throws Exception {
        String[] a = served();
        String[] b = served();
        desk.human().end(tenant, a[3], a[2]);
        HumanWait.until(() -> cards(a[2]).size() == 1, "the card");
        send(b[0], b[1], choice("105", a[2])); // another user names a's session
        send(a[0], a[1], choice("106", a[2])); // no such level
        send(a[0], a[1], Bodies.custom("{\"customerServicePlugin\":0,\"src\":\"10\"}"));
        send(b[0], b[1], choice("105", b[2])); // b's session has no card yet (still served)
        Thread.sleep(500);
        assertEquals(0, ratedEvents(a[2]) + ratedEvents(b[2]));
        send(a[0], a[1], Bodies.custom("{\"customerServicePlugin\":0,\"src\":\"10\",\"menuSelected\":{\"id\":102,"
                + "\"sessionId\":\"" + a[2] + "\"}}"));
        assertEquals(2, RECEIVER.await(CallbackReceiver.event(a[2], "SatisfactionSelected"), "a number id is taken")
                .path("SatisfactionSelected").asInt());
    }

    @Test
    void manyChoicesAtOnceRateOnce() throws Exception {
        String[] s = served();
        desk.human().end(tenant, s[3], s[2]);
        HumanWait.until(() -> cards(s[2]).size() == 1, "the card");
        int n = 40;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String level = Integer.toString(101 + i % 5);
            all.add(pool.submit(() -> {
                AdminClient own = new AdminClient(org.opendesk.testing.TestNode.http(port)); // a connection of its own
                go.await();
                own.okA("openim", "sendmsg", Map.of("From_Account", s[0], "To_Account", s[1], "MsgRandom",
                        ThreadLocalRandom.current().nextLong(1, 4_000_000_000L), "MsgBody", choice(level, s[2])));
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : all) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        JsonNode e = RECEIVER.await(CallbackReceiver.event(s[2], "SatisfactionSelected"), "SatisfactionSelected");
        Thread.sleep(500);
        assertEquals(1, ratedEvents(s[2]), "exactly one of " + n + " choices is taken");
        int stars = e.path("SatisfactionSelected").asInt();
        assertEquals(stars, desk.satisfaction().stars(tenant.db(), s[2]));
        assertEquals(Integer.toString(100 + stars), cards(s[2]).get(0).path("selected").path("id").asText());
    }

    @Test
    void aMemberInvitesAndThenNoCardComesAtTheEnd() throws Exception {
        String[] s = served();
        String token = agents.token(s[3]);
        try (Visitor v = Visitor.a(port, s[0])) {
            AdminClient.Reply r = agents.post("/sessions/" + s[2] + "/rating-invitation", token, Map.of());
            assertEquals(200, r.status(), r.raw());
            v.await(card(), "the invited card");
            send(s[0], s[1], choice("105", s[2]));
            assertEquals(5, RECEIVER.await(CallbackReceiver.event(s[2], "SatisfactionSelected"), "rated")
                    .path("SatisfactionSelected").asInt());
            AdminClient.Reply again = agents.post("/sessions/" + s[2] + "/rating-invitation", token, Map.of());
            assertEquals(409, again.status(), "rated already: " + again.raw());
            assertEquals(141026, again.json().path("ErrorCode").asInt());
            desk.human().end(tenant, s[3], s[2]);
            RECEIVER.await(CallbackReceiver.event(s[2], "SessionEnd"), "SessionEnd");
            Thread.sleep(300);
        }
        assertEquals(1, cards(s[2]).size(), "InvitationMethod 3: after an invitation no card at the end");
    }

    @Test
    void theInvitationMethodDecidesWhoSendsTheCard() throws Exception {
        client.okA(SVC, "update_satisfaction_settings", Map.of("InvitationMethod", 1));
        String[] one = served();
        AdminClient.Reply refused = agents.post("/sessions/" + one[2] + "/rating-invitation", agents.token(one[3]), Map.of());
        assertEquals(409, refused.status(), refused.raw());
        assertTrue(refused.json().path("ErrorInfo").asText().contains("InvitationMethod"), refused.raw());
        desk.human().end(tenant, one[3], one[2]);
        HumanWait.until(() -> cards(one[2]).size() == 1, "InvitationMethod 1: the card at the end");

        client.okA(SVC, "update_satisfaction_settings", Map.of("InvitationMethod", 2));
        String[] two = served();
        desk.human().end(tenant, two[3], two[2]);
        RECEIVER.await(CallbackReceiver.event(two[2], "SessionEnd"), "SessionEnd");
        Thread.sleep(300);
        assertEquals(0, cards(two[2]).size(), "InvitationMethod 2: no card at the end");

        client.okA(SVC, "update_satisfaction_settings", Map.of("SatisfactionEnabled", 0, "InvitationMethod", 3));
        String[] off = served();
        assertEquals(409, agents.post("/sessions/" + off[2] + "/rating-invitation", agents.token(off[3]), Map.of()).status());
        desk.human().end(tenant, off[3], off[2]);
        RECEIVER.await(CallbackReceiver.event(off[2], "SessionEnd"), "SessionEnd");
        Thread.sleep(300);
        assertEquals(0, cards(off[2]).size(), "ratings off: no card");
    }

    @Test
    void theUserAsksForTheCardWhenAllowedAndServed() throws Exception {
        String[] s = served();
        send(s[0], s[1], Bodies.custom("{\"customerServicePlugin\":0,\"src\":\"24\"}"));
        Thread.sleep(300);
        assertEquals(0, cards(s[2]).size(), "UserRequestEnabled 0: src 24 is not answered");
        client.okA(SVC, "update_satisfaction_settings", Map.of("UserRequestEnabled", 1));
        try (Visitor v = Visitor.a(port, s[0])) {
            v.send(s[1], Bodies.custom("{\"customerServicePlugin\":0,\"src\":\"24\"}"));
            v.await(card(), "src 24 answered with src 9");
        }
        assertEquals("Agent", state(s[2]), "the request changes nothing else");
        // the user did not rate: the card comes again at the end (no member invited)
        desk.human().end(tenant, s[3], s[2]);
        HumanWait.until(() -> cards(s[2]).size() == 2, "the card at the end");
    }

    @Test
    void aSessionNoMemberServedGetsNoCard() throws Exception {
        int n = USERS.incrementAndGet();
        String user = "sat-robot-" + n;
        client.okA("im_open_login_svc", "account_import", Map.of("UserID", user));
        send(user, Visitor.CS, Bodies.custom(Bodies.START));
        String session = client.okA(SVC, "get_session_state", Map.of("ClientUserId", user, "CustomerServiceId", Visitor.CS))
                .json().path("SessionId").asText();
        send(user, Visitor.CS, Bodies.custom(Bodies.END));
        RECEIVER.await(CallbackReceiver.event(session, "SessionEnd"), "SessionEnd");
        Thread.sleep(300);
        assertEquals(0, cards(session).size(), "only a member's service is rated");
    }

    @Test
    void theCardSpeaksTheSessionsLanguage() throws Exception {
        String[] s = served();
        // a second session of the same user and account, opened in English
        desk.human().end(tenant, s[3], s[2]);
        send(s[0], s[1], Bodies.custom("{\"customerServicePlugin\":0,\"src\":\"7\",\"language\":\"en\"}"));
        String session = client.okA(SVC, "get_session_state", Map.of("ClientUserId", s[0], "CustomerServiceId", s[1]))
                .json().path("SessionId").asText();
        client.okA(SVC, "transfer_to_human", Map.of("SessionId", session, "AgentIdList", List.of(s[3])));
        desk.human().end(tenant, s[3], session);
        HumanWait.until(() -> cards(session).size() == 1, "the card");
        JsonNode c = cards(session).get(0);
        assertEquals("Please rate our service!", c.path("head").asText());
        assertEquals("Very satisfied", c.path("menu").get(4).path("content").asText());
    }

    /** Waits up to 10 s for background work. */
    private static final class HumanWait {
        static void until(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("not within 10 s: " + what);
                }
                Thread.sleep(50);
            }
        }
    }
}
