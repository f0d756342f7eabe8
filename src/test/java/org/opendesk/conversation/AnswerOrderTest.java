package org.opendesk.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.tenant.Tenant;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a user's message is answered: in the transaction that stores it (the REST answer comes
 * after the robot's reply is stored), unless earlier messages of the session still wait for
 * theirs, in which case it waits its turn: the robot always answers a session's messages in order.
 */
@ServerTest
class AnswerOrderTest {
    private static final String IM = "openim";
    private static final String CS = "@customer_service_account";
    private static final Map<String, String> FAQ = Map.of("如何退货", "在“我的订单”中点击“申请退货”。", "运费怎么算",
            "满 99 元包邮，否则 8 元。", "多久发货", "付款后 48 小时内发货。");
    private static Desk desk;
    private static boolean taught;
    private final AdminClient client;

    AnswerOrderTest(Http1Client http) {
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    @BeforeEach
    void teach() {
        if (taught) {
            return;
        }
        String robot = "openim_console_http_svc";
        long c = client.okA(robot, "add_faq_category", Map.of("Title", "售后")).json().path("CategoryId").asLong();
        FAQ.forEach((q, a) -> client.okA(robot, "add_faq", Map.of("CategoryId", c, "Question", q, "Answer", a)));
        taught = true;
    }

    private void send(String user, long random, String text) {
        Map<String, Object> m = new HashMap<>();
        m.put("From_Account", user);
        m.put("To_Account", CS);
        m.put("MsgRandom", random);
        m.put("MsgBody", Bodies.text(text));
        client.okA(IM, "sendmsg", m);
    }

    /** The user's history with the customer-service account, oldest first, as "Q:text" / "A:text". */
    private List<String> history(String user) {
        long now = System.currentTimeMillis() / 1000;
        JsonNode roam = client.okA(IM, "admin_getroammsg", Map.of("Operator_Account", user, "Peer_Account", CS,
                "MaxCnt", 100, "MinTime", now - 600, "MaxTime", now + 600)).json();
        List<String> lines = new ArrayList<>();
        for (JsonNode m : roam.path("MsgList")) {
            lines.add(0, (user.equals(m.path("From_Account").asText()) ? "Q:" : "A:") + Bodies.text(m.path("MsgBody")));
        }
        return lines;
    }

    @Test
    void theRobotsAnswerIsStoredWhenSendmsgAnswers() {
        client.okA("im_open_login_svc", "account_import", Map.of("UserID", "order-now"));
        send("order-now", 1, "如何退货");
        // no waiting: the reply was written in the transaction of the question
        assertEquals(List.of("Q:如何退货", "A:" + FAQ.get("如何退货")), history("order-now"));
        send("order-now", 2, "运费怎么算");
        assertEquals(List.of("Q:如何退货", "A:" + FAQ.get("如何退货"), "Q:运费怎么算", "A:" + FAQ.get("运费怎么算")),
                history("order-now"));
    }

    @Test
    void aMessageWaitsForTheAnswersOfEarlierOnes() {
        client.okA("im_open_login_svc", "account_import", Map.of("UserID", "order-wait"));
        ConversationService conversations = desk.conversations();
        record Held(Tenant tenant, String sessionId) {
        }
        List<Held> held = new CopyOnWriteArrayList<>();
        conversations.handOffTo((tenant, sessionId) -> held.add(new Held(tenant, sessionId)));
        try {
            conversations.answerInline(false); // the first two wait for the (held) worker
            send("order-wait", 1, "如何退货");
            send("order-wait", 2, "运费怎么算");
            conversations.answerInline(true);
            send("order-wait", 3, "多久发货"); // could be answered at once, but the session has earlier questions waiting
            assertEquals(List.of("Q:如何退货", "Q:运费怎么算", "Q:多久发货"), history("order-wait"));
            assertTrue(held.size() >= 1, "the waiting messages were handed to the worker");
            for (Held h : held) {
                conversations.drain(h.tenant(), h.sessionId());
            }
        } finally {
            conversations.answerInline(true);
            conversations.handOffTo(conversations::drain);
        }
        assertEquals(List.of("Q:如何退货", "Q:运费怎么算", "Q:多久发货", "A:" + FAQ.get("如何退货"), "A:" + FAQ.get("运费怎么算"),
                "A:" + FAQ.get("多久发货")), history("order-wait"));
        send("order-wait", 4, "如何退货"); // nothing waits any more: answered at once again
        assertEquals("A:" + FAQ.get("如何退货"), history("order-wait").getLast());
    }
}
