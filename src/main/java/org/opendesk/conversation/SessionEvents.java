package org.opendesk.conversation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendesk.callback.CallbackService;
import org.opendesk.json.Json;
import org.opendesk.message.Message;
import org.opendesk.message.MsgBody;
import org.opendesk.tenant.TenantDb;

import java.time.Clock;

/**
 * Desk.SessionEventNotify: one event of a session, written to the callback outbox in the
 * transaction of the change that caused it, ordered by SessionId. Fields as the seed lists them;
 * MsgKey, MsgBody and CloudCustomData only for message events.
 */
final class SessionEvents {
    static final String COMMAND = "Desk.SessionEventNotify";
    static final String SESSION_BEGIN = "SessionBegin";
    static final String USER_SEND = "ChatBot.UserSendMsg";
    static final String ROBOT_SEND = "ChatBot.RobotSendMsg";
    static final String NO_AGENT_ONLINE = "NoAgentOnline";
    static final String USER_END = "SessionUserEnd";
    static final String SESSION_END = "SessionEnd";

    private final CallbackService callbacks;
    private final Clock clock;

    SessionEvents(CallbackService callbacks, Clock clock) {
        this.callbacks = callbacks;
        this.clock = clock;
    }

    void emit(TenantDb tx, Session s, String event) {
        emit(tx, s, event, null);
    }

    void emit(TenantDb tx, Session s, String event, Message m) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("CallbackCommand", COMMAND);
        e.put("SessionId", s.id());
        e.put("Event", event);
        e.put("EventTime", clock.millis());
        e.put("ChannelType", s.channelType());
        e.put("ClientUserId", s.userId());
        e.put("CustomerServiceId", s.customerServiceId());
        e.put("AgentId", s.agentId());
        if (m != null) {
            e.put("MsgKey", m.key());
            e.set("MsgBody", MsgBody.parse(m.body()));
            e.put("CloudCustomData", m.cloudCustomData());
        }
        e.put("IsContactUser", false);
        e.put("ForwardFromAgentId", "");
        callbacks.enqueue(tx, s.id(), COMMAND, MsgBody.write(e));
    }
}
