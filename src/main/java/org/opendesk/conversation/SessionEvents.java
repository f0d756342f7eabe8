package org.opendesk.conversation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendesk.callback.CallbackService;
import org.opendesk.json.Json;
import org.opendesk.message.Message;
import org.opendesk.message.MsgBody;
import org.opendesk.tenant.TenantDb;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Session events (Desk.SessionEventNotify's Event values), emitted inside the transaction of the
 * change that caused them and fanned out to subscribers: the callback outbox (always, here) and
 * whoever else subscribes (the agent socket). Callback fields as the seed lists them; MsgKey,
 * MsgBody and CloudCustomData only for message events, SatisfactionSelected only for its event;
 * ForwardFromAgentId is "" but for AgentForward.
 */
public final class SessionEvents {
    static final String COMMAND = "Desk.SessionEventNotify";

    /** The events of Desk.SessionEventNotify. */
    public enum Event {
        SESSION_BEGIN("SessionBegin"), USER_SEND("ChatBot.UserSendMsg"), ROBOT_SEND("ChatBot.RobotSendMsg"),
        HUMAN_USER_SEND("Human.UserSendMsg"), HUMAN_AGENT_SEND("Human.AgentSendMsg"),
        TRANSFERRING("TransferringToHuman"), TRANSFERRING_WAIT("TransferringToHumanWait"),
        TRANSFER_SUCCESS("TransferToHumanSuccess"), NO_AGENT_ONLINE("NoAgentOnline"), AGENT_FORWARD("AgentForward"),
        SATISFACTION("SatisfactionSelected"), USER_END("SessionUserEnd"), AGENT_END("SessionAgentEnd"),
        USER_TIMEOUT_END("SessionUserTimeoutEnd"), AGENT_TIMEOUT_END("SessionAgentTimeoutEnd"),
        PENDING_AUTO_FINISH("SessionPendingAutoFinishEnd"), SESSION_END("SessionEnd"),
        MEMBER_ACCESS_TIMEOUT("MemberAccessTimeout");

        private final String wire;

        Event(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** Someone told of every session event, inside its transaction. */
    public interface Subscriber {
        void on(TenantDb tx, Session session, Event event, Message message);
    }

    private final CallbackService callbacks;
    private final Clock clock;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    public SessionEvents(CallbackService callbacks, Clock clock) {
        this.callbacks = callbacks;
        this.clock = clock;
    }

    public void subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
    }

    public void emit(TenantDb tx, Session s, Event event) {
        emit(tx, s, event, null, "");
    }

    public void emit(TenantDb tx, Session s, Event event, Message m) {
        emit(tx, s, event, m, "");
    }

    /** An event, for the message it is about (or null) and, for AgentForward, the member who transferred. */
    public void emit(TenantDb tx, Session s, Event event, Message m, String forwardFrom) {
        emit(tx, s, event, m, forwardFrom, 0);
    }

    /** SatisfactionSelected: the user's rating in stars (1-5). */
    public void rated(TenantDb tx, Session s, int stars) {
        emit(tx, s, Event.SATISFACTION, null, "", stars);
    }

    private void emit(TenantDb tx, Session s, Event event, Message m, String forwardFrom, int stars) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("CallbackCommand", COMMAND);
        e.put("SessionId", s.id());
        e.put("Event", event.wire());
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
        e.put("IsContactUser", s.marks().contactUser());
        if (stars > 0) {
            e.put("SatisfactionSelected", stars);
        }
        e.put("ForwardFromAgentId", forwardFrom == null ? "" : forwardFrom);
        callbacks.enqueue(tx, s.id(), COMMAND, MsgBody.write(e));
        for (Subscriber sub : subscribers) {
            sub.on(tx, s, event, m);
        }
    }
}
