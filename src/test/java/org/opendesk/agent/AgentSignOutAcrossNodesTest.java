package org.opendesk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendesk.config.DeskConfig;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.AgentClient;
import org.opendesk.testing.TestDb;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.TestNode;
import org.opendesk.testing.WsClient;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An administrator's force_member_offline or delete_member, or a member's password change, on one
 * node ends the member's agent sockets on every node: each gets the SignedOut frame (after the
 * events before it) and a close 1008 with the reason. A reconnect that replays a SignedOut stays open.
 */
class AgentSignOutAcrossNodesTest {
    private static final String SVC = "desk_http_svc";
    private static TestNode a;
    private static TestNode b;

    @BeforeAll
    static void cluster() {
        DeskConfig config = TestDesk.config(TestDb.fresh(), Map.of("DESK_RATE_LIMITS", "off"));
        a = TestNode.start(config);
        b = TestNode.start(config);
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    private static String closedWith(WsClient socket) throws Exception {
        return socket.closed.get(5, TimeUnit.SECONDS);
    }

    @Test
    void forcedOfflineOnOneNodeClosesTheSocketOnTheOther() throws Exception {
        AgentClient.member(a.desk(), TestDesk.APP_A, "far@example.com");
        String token = b.agents().token("far@example.com");
        try (WsClient socket = AgentClient.socket(b.port(), token, null)) {
            assertEquals(200, b.agents().post("/status", token, Map.of("Status", "free")).status());
            socket.await(f -> "StatusChanged".equals(f.path("Type").asText()) && "free".equals(f.path("Status").asText()),
                    "its own status change, on node B");
            a.client().okA(SVC, "force_member_offline", Map.of("MemberId", "far@example.com"));
            JsonNode statusChanged = socket.await(f -> "StatusChanged".equals(f.path("Type").asText())
                    && "offline".equals(f.path("Status").asText()), "the administrator's change, from node A");
            assertEquals("admin", statusChanged.path("ChangedBy").asText());
            JsonNode signedOut = socket.await("SignedOut");
            assertEquals("MemberForcedOffline", signedOut.path("Reason").asText());
            assertTrue(signedOut.path("Seq").asLong() > statusChanged.path("Seq").asLong(), "the last frame");
            String closed = closedWith(socket);
            assertTrue(closed.startsWith("1008") && closed.contains("forced offline"), closed);
        }
        AdminClient.Reply refused = b.agents().login("far@example.com", AgentClient.PASSWORD);
        assertEquals(403, refused.status(), refused.raw());

        // restored, it logs in again; a socket resuming from before the SignedOut replays it and stays open
        a.client().okA(SVC, "restore_member", Map.of("MemberId", "far@example.com"));
        String again = b.agents().token("far@example.com");
        try (WsClient resumed = AgentClient.socket(a.port(), again, 0L)) {
            long replayed = resumed.await("SignedOut").path("Seq").asLong();
            assertEquals(200, a.agents().post("/status", again, Map.of("Status", "free")).status());
            resumed.await(f -> "StatusChanged".equals(f.path("Type").asText()) && "free".equals(f.path("Status").asText())
                    && f.path("Seq").asLong() > replayed, "live after the replay");
            assertFalse(resumed.closed.isDone(), "a replayed SignedOut does not close a new socket");
        }
    }

    @Test
    void deletingAMemberOnOneNodeClosesItsSocketsOnBoth() throws Exception {
        AgentClient.member(a.desk(), TestDesk.APP_A, "gone@example.com");
        String token = a.agents().token("gone@example.com");
        try (WsClient onA = AgentClient.socket(a.port(), token, null); WsClient onB = AgentClient.socket(b.port(), token, null)) {
            b.client().okA(SVC, "delete_member", Map.of("MemberId", "gone@example.com"));
            for (WsClient socket : List.of(onA, onB)) {
                assertEquals("MemberDeleted", socket.await("SignedOut").path("Reason").asText());
                String closed = closedWith(socket);
                assertTrue(closed.startsWith("1008") && closed.contains("deleted"), closed);
            }
        }
    }

    @Test
    void aPasswordChangeOnOneNodeClosesTheOldTokensSocketOnTheOther() throws Exception {
        AgentClient.member(a.desk(), TestDesk.APP_A, "pwd@example.com");
        String token = a.agents().token("pwd@example.com");
        try (WsClient onB = AgentClient.socket(b.port(), token, null)) {
            AdminClient.Reply changed = a.agents().post("/password", token, Map.of("OldPassword", AgentClient.PASSWORD,
                    "NewPassword", "a new long passphrase"));
            assertEquals(200, changed.status(), changed.raw());
            assertEquals("PasswordChanged", onB.await("SignedOut").path("Reason").asText());
            String closed = closedWith(onB);
            assertTrue(closed.startsWith("1008") && closed.contains("password changed"), closed);
            String fresh = changed.json().path("Token").asText();
            try (WsClient next = AgentClient.socket(b.port(), fresh, null)) {
                assertEquals(200, b.agents().post("/status", fresh, Map.of("Status", "busy")).status());
                next.await("StatusChanged");
                assertFalse(next.closed.isDone(), "the new token's socket stays open");
            }
        }
    }
}
