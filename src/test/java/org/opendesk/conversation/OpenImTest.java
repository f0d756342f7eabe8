package org.opendesk.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.TestDesk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** openim sendmsg and admin_getroammsg: Tencent IM's C2C messages through real HTTP. */
@ServerTest
class OpenImTest {
    private static final String IM = "openim";
    private final AdminClient client;

    OpenImTest(Http1Client http) {
        this.client = new AdminClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestDesk.setup(server, Clock.systemUTC(), Map.of("DESK_RATE_LIMITS", "off"));
    }

    private void users(String... ids) {
        for (String id : ids) {
            client.okA("im_open_login_svc", "account_import", Map.of("UserID", id));
        }
    }

    private static Map<String, Object> msg(String from, String to, long random, Object body) {
        Map<String, Object> m = new HashMap<>();
        m.put("From_Account", from);
        m.put("To_Account", to);
        m.put("MsgRandom", random);
        m.put("MsgBody", body);
        return m;
    }

    @Test
    void sendmsgStoresAndAnswersTheKeyAndTime() {
        users("im-alice", "im-bob");
        long before = System.currentTimeMillis() / 1000;
        JsonNode sent = client.okA(IM, "sendmsg", msg("im-alice", "im-bob", 1287657, Bodies.text("hello bob"))).json();
        String key = sent.path("MsgKey").asText();
        assertTrue(key.matches("\\d+_1287657_\\d+"), key);
        assertTrue(sent.path("MsgTime").asLong() >= before);

        JsonNode roam = client.okA(IM, "admin_getroammsg", Map.of("Operator_Account", "im-bob", "Peer_Account", "im-alice",
                "MaxCnt", 10, "MinTime", before - 5, "MaxTime", before + 60)).json();
        assertEquals(1, roam.path("Complete").asInt());
        assertEquals(1, roam.path("MsgCnt").asInt());
        JsonNode m = roam.path("MsgList").path(0);
        assertEquals("im-alice", m.path("From_Account").asText());
        assertEquals("im-bob", m.path("To_Account").asText());
        assertEquals(key, m.path("MsgKey").asText());
        assertEquals(1287657, m.path("MsgRandom").asLong());
        assertEquals("hello bob", Bodies.text(m.path("MsgBody")));
    }

    @Test
    void aRetryWithTheSameMsgRandomIsTheSameMessage() {
        users("im-carol", "im-dave");
        JsonNode first = client.okA(IM, "sendmsg", msg("im-carol", "im-dave", 42, Bodies.text("once"))).json();
        JsonNode again = client.okA(IM, "sendmsg", msg("im-carol", "im-dave", 42, Bodies.text("once"))).json();
        assertEquals(first.path("MsgKey").asText(), again.path("MsgKey").asText());
        JsonNode other = client.okA(IM, "sendmsg", msg("im-carol", "im-dave", 43, Bodies.text("twice"))).json();
        assertNotEquals(first.path("MsgKey").asText(), other.path("MsgKey").asText());
        // a different message that happens to reuse a MsgRandom is not swallowed
        JsonNode reused = client.okA(IM, "sendmsg", msg("im-carol", "im-dave", 42, Bodies.text("something else"))).json();
        assertNotEquals(first.path("MsgKey").asText(), reused.path("MsgKey").asText());
        long now = System.currentTimeMillis() / 1000;
        JsonNode roam = client.okA(IM, "admin_getroammsg", Map.of("Operator_Account", "im-carol", "Peer_Account", "im-dave",
                "MaxCnt", 10, "MinTime", now - 60, "MaxTime", now + 60)).json();
        assertEquals(3, roam.path("MsgCnt").asInt(), roam.toString());
    }

    @Test
    void typingAndOnlineOnlyMessagesAreNotHistory() {
        users("im-jack");
        client.okA(IM, "sendmsg", msg("@customer_service_account", "im-jack", 1, Bodies.custom(Bodies.TYPING)));
        Map<String, Object> online = msg("im-jack", "@customer_service_account", 2, Bodies.text("only if you are there"));
        online.put("MsgLifeTime", 0);
        client.okA(IM, "sendmsg", online);
        client.okA(IM, "sendmsg", msg("@customer_service_account", "im-jack", 3, Bodies.text("kept")));
        long now = System.currentTimeMillis() / 1000;
        JsonNode roam = client.okA(IM, "admin_getroammsg", Map.of("Operator_Account", "im-jack",
                "Peer_Account", "@customer_service_account", "MaxCnt", 10, "MinTime", now - 60, "MaxTime", now + 60)).json();
        assertEquals(1, roam.path("MsgCnt").asInt(), roam.toString());
        assertEquals("kept", Bodies.text(roam.path("MsgList").path(0).path("MsgBody")));
    }

    @Test
    void roamPagesNewestFirstWithLastMsgKey() {
        users("im-erin", "im-frank");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String from = i % 2 == 0 ? "im-erin" : "im-frank";
            String to = i % 2 == 0 ? "im-frank" : "im-erin";
            keys.add(client.okA(IM, "sendmsg", msg(from, to, 1000 + i, Bodies.text("m" + i))).json().path("MsgKey").asText());
        }
        long now = System.currentTimeMillis() / 1000;
        JsonNode page1 = client.okA(IM, "admin_getroammsg", Map.of("Operator_Account", "im-erin", "Peer_Account", "im-frank",
                "MaxCnt", 2, "MinTime", now - 60, "MaxTime", now + 60)).json();
        assertEquals(0, page1.path("Complete").asInt());
        assertEquals(keys.get(4), page1.path("MsgList").path(0).path("MsgKey").asText());
        assertEquals(keys.get(3), page1.path("LastMsgKey").asText());
        List<String> all = new ArrayList<>();
        page1.path("MsgList").forEach(m -> all.add(m.path("MsgKey").asText()));
        JsonNode page = page1;
        while (page.path("Complete").asInt() == 0) {
            page = client.okA(IM, "admin_getroammsg", Map.of("Operator_Account", "im-erin", "Peer_Account", "im-frank",
                    "MaxCnt", 2, "MinTime", now - 60, "MaxTime", page.path("LastMsgTime").asLong(),
                    "LastMsgKey", page.path("LastMsgKey").asText())).json();
            page.path("MsgList").forEach(m -> all.add(m.path("MsgKey").asText()));
        }
        assertEquals(List.of(keys.get(4), keys.get(3), keys.get(2), keys.get(1), keys.get(0)), all);
    }

    @Test
    void badMessagesAnswerTheImCodes() {
        users("im-gina");
        Map<String, Object> noRandom = msg("im-gina", "@customer_service_account", 1, Bodies.text("x"));
        noRandom.remove("MsgRandom");
        assertEquals(90005, client.callA(IM, "sendmsg", noRandom).code());
        assertEquals(90005, client.callA(IM, "sendmsg", msg("im-gina", "@customer_service_account", -1, Bodies.text("x")))
                .code());
        assertEquals(90007, client.callA(IM, "sendmsg", msg("im-gina", "@customer_service_account", 1, "text")).code());
        assertEquals(90002, client.callA(IM, "sendmsg", msg("im-gina", "@customer_service_account", 1,
                List.of(Map.of("MsgType", "TIMTextElem", "MsgContent", Map.of("Txt", "typo"))))).code());
        assertEquals(90002, client.callA(IM, "sendmsg", msg("im-gina", "@customer_service_account", 1,
                List.of(Map.of("MsgType", "TIMMagicElem", "MsgContent", Map.of())))).code());
        AdminClient.Reply tooLong = client.callA(IM, "sendmsg", msg("im-gina", "@customer_service_account", 1,
                Bodies.text("长".repeat(5000))));
        assertEquals(93000, tooLong.code());
        assertTrue(tooLong.info().contains("12288"), tooLong.info());
        AdminClient.Reply unknown = client.callA(IM, "sendmsg", msg("im-gina", "nobody-here", 1, Bodies.text("x")));
        assertEquals(20003, unknown.code());
        assertTrue(unknown.info().contains("nobody-here"), unknown.info());
        assertEquals(90001, client.callA(IM, "sendmsg", "{\"To_Account\": ").code());
        Map<String, Object> noTo = msg("im-gina", null, 1, Bodies.text("x"));
        assertEquals(20001, client.callA(IM, "sendmsg", noTo).code());
        // only administrators may call: the user's own valid UserSig is refused with 90009
        AdminClient.Reply notAdmin = client.call(IM, "sendmsg", AdminClient.query(TestDesk.APP_A, "im-gina",
                TestDesk.sigA("im-gina")), AdminClient.json(msg("im-gina", "@customer_service_account", 1, Bodies.text("x"))));
        assertEquals(90009, notAdmin.code());
        assertEquals(20001, client.callA(IM, "admin_getroammsg", Map.of("Operator_Account", "im-gina",
                "Peer_Account", "x", "MaxCnt", 0, "MinTime", 0, "MaxTime", 1)).code());
    }

    @Test
    void eachElementTypeOfTheFormatIsAccepted() {
        users("im-hank", "im-iris");
        List<Map<String, Object>> elements = List.of(
                Map.of("MsgType", "TIMTextElem", "MsgContent", Map.of("Text", "hi")),
                Map.of("MsgType", "TIMCustomElem", "MsgContent", Map.of("Data", "{\"k\":1}", "Desc", "d")),
                Map.of("MsgType", "TIMImageElem", "MsgContent", Map.of("UUID", "u1", "ImageFormat", 1, "ImageInfoArray",
                        List.of(Map.of("Type", 1, "Size", 100, "Width", 10, "Height", 10, "URL", "https://x/y.jpg")))),
                Map.of("MsgType", "TIMFileElem", "MsgContent", Map.of("Url", "https://x/f.pdf", "FileSize", 10, "FileName", "f.pdf",
                        "Download_Flag", 2)),
                Map.of("MsgType", "TIMSoundElem", "MsgContent", Map.of("Url", "https://x/s.mp3", "Size", 10, "Second", 3,
                        "Download_Flag", 2)),
                Map.of("MsgType", "TIMVideoFileElem", "MsgContent", Map.of("VideoUrl", "https://x/v.mp4", "VideoSize", 1,
                        "VideoSecond", 2, "VideoFormat", "mp4", "ThumbUrl", "https://x/t.jpg")),
                Map.of("MsgType", "TIMLocationElem", "MsgContent", Map.of("Desc", "office", "Latitude", 22.5, "Longitude", 113.9)),
                Map.of("MsgType", "TIMFaceElem", "MsgContent", Map.of("Index", 1, "Data", "smile")));
        for (Map<String, Object> e : elements) {
            AdminClient.Reply r = client.callA(IM, "sendmsg", msg("im-hank", "im-iris", e.hashCode() & 0xffff, List.of(e)));
            assertEquals(0, r.code(), e + " -> " + r.raw());
        }
    }
}
