package org.opendesk.human;

import org.opendesk.Desk;
import org.opendesk.team.MemberStatus;
import org.opendesk.team.TeamService;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.TestDesk;
import org.opendesk.tenant.Tenant;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the human-service tests set up through the real server: members in a group of their own, a
 * customer-service account routed to that group, users with open sessions.
 */
final class HumanFixture {
    static final String SVC = "desk_http_svc";
    final Desk desk;
    final AdminClient client;
    final Tenant tenant;

    HumanFixture(Desk desk, AdminClient client) {
        this.desk = desk;
        this.client = client;
        this.tenant = desk == null ? null : desk.tenants().find(TestDesk.APP_A).orElseThrow(); // null: a server in another process
    }

    long group(String name, List<String> members) {
        return desk.team().addGroup(tenant, name, members);
    }

    /** A member with the staff role, its status set (through the workbench port, as the agent API does). */
    String member(String id, String nick, MemberStatus status) {
        desk.team().addMember(tenant, id, nick, List.of("staff"));
        if (status != MemberStatus.OFFLINE) {
            desk.human().setStatus(tenant, id, status, status == MemberStatus.REST ? "lunch" : "");
        }
        return id;
    }

    /** A customer-service account whose sessions go to the group, with extra settings. */
    String account(String id, long groupId, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("IMAgentUserID", id, "IMAgentNick", id, "WelcomeMessage", "欢迎",
                "AgentGroupId", groupId, "TransferToHumanPrompt", "正在为您转接，请稍候",
                "TransferToHumanSuccessPrompt", "转接人工成功，客服${StaffNickName}为您服务",
                "TransferToHumanFailPrompt", "抱歉，当前无客服在线", "QueueingPrompt", "您排在第${QueuePosition}位，前面还有${WaitNo}人",
                "UserTimeout", 600, "EndPrompt", "本次服务已结束"));
        body.put("TimeoutEndPrompt", "超时结束");
        body.put("WorkTimeConfig", Map.of("Type", 0));
        body.put("NotWorkTimePrompt", "非工作时间");
        body.put("AssignmentStrategy", 0);
        body.put("IMAgentAvatarUrl", "");
        body.put("ChatbotDisabled", 0);
        body.putAll(extra);
        client.okA(SVC, "add_im_agent", body);
        return id;
    }

    /** Imports a user and opens its session with the account (src 7 through openim sendmsg); answers the SessionId. */
    String session(String user, String cs) {
        client.okA("im_open_login_svc", "account_import", Map.of("UserID", user));
        client.okA("openim", "sendmsg", Map.of("From_Account", user, "To_Account", cs, "MsgRandom",
                ThreadLocalRandom.current().nextLong(1, 4_000_000_000L), "MsgBody", Bodies.custom(Bodies.START)));
        return client.okA(SVC, "get_session_state", Map.of("ClientUserId", user, "CustomerServiceId", cs)).json()
                .path("SessionId").asText();
    }

    void say(String user, String cs, String text) {
        client.okA("openim", "sendmsg", Map.of("From_Account", user, "To_Account", cs, "MsgRandom",
                ThreadLocalRandom.current().nextLong(1, 4_000_000_000L), "MsgBody", Bodies.text(text)));
    }

    AdminClient.Reply transfer(String session, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("SessionId", session));
        body.putAll(extra);
        return client.callA(SVC, "transfer_to_human", body);
    }

    String state(String session) {
        AdminClient.Reply r = client.callA(SVC, "get_session_state", Map.of("SessionId", session));
        return r.ok() ? r.json().path("CurrentState").asText() + (r.json().path("AgentId").asText().isEmpty() ? ""
                : "/" + r.json().path("AgentId").asText()) : "ended";
    }

    int active(String member) {
        return desk.team().member(tenant.db(), member).orElseThrow().activeSessions();
    }

    /** Waits up to 10 s for a condition that background work (timers, sockets, callbacks) makes true. */
    static void eventually(java.util.function.BooleanSupplier condition, String what) {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 10 s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    void settings(Integer mode, Integer acceptTimeout, Integer restAfter, Integer max) {
        desk.team().updateSettings(tenant, new TeamService.SettingsChange(mode, acceptTimeout, restAfter, max, null));
    }
}
