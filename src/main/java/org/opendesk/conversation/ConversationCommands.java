package org.opendesk.conversation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.message.MsgBody;
import org.opendesk.rest.CommandHandler;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The conversation commands of desk_http_svc: send_msg, send_stream_msg, modify_msg,
 * describe_chat_messages and get_session_state, with the seed's fields and codes.
 */
public final class ConversationCommands {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    public static final int MAX_CHUNK_CHARS = 4000;
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ConversationService conversations;

    public ConversationCommands(ConversationService conversations) {
        this.conversations = conversations;
    }

    public record SendMsgReq(@JsonProperty("SessionId") String sessionId,
                             @JsonProperty("FromAccount") String fromAccount,
                             @JsonProperty("ToAccount") String toAccount,
                             @JsonProperty("MsgRandom") JsonNode msgRandom,
                             @JsonProperty("MsgBody") JsonNode msgBody,
                             @JsonProperty("CloudCustomData") String cloudCustomData,
                             @JsonProperty("ExcludeFromUserRespTimeout") Integer excludeFromUserRespTimeout) {
    }

    /** send_msg answers the envelope only in the seed; MsgKey is added so callers can edit the message later. */
    public record SendMsgResp(@JsonProperty("MsgKey") String msgKey) {
    }

    /** send_stream_msg. The seed's first example spells the session "sessionId"; both spellings are accepted. */
    public static final class StreamReq {
        @JsonProperty("SessionId")
        private String sessionId;
        @JsonProperty("sessionId")
        private String sessionIdLower;
        @JsonProperty("Chunk")
        private String chunk;
        @JsonProperty("MsgKey")
        private String msgKey;
        @JsonProperty("Finish")
        private Integer finish;

        String sessionId() {
            return sessionId != null ? sessionId : sessionIdLower;
        }
    }

    public record StreamResp(@JsonProperty("MsgKey") String msgKey) {
    }

    public record ModifyReq(@JsonProperty("SessionId") String sessionId,
                            @JsonProperty("MsgKey") String msgKey,
                            @JsonProperty("MsgBody") JsonNode msgBody,
                            @JsonProperty("CloudCustomData") String cloudCustomData) {
    }

    public record DescribeReq(@JsonProperty("SessionId") String sessionId,
                              @JsonProperty("Limit") Integer limit,
                              @JsonProperty("Offset") Integer offset,
                              @JsonProperty("Order") Integer order) {
    }

    public record ChatMessage(@JsonProperty("FromAccount") String fromAccount,
                              @JsonProperty("FromAccountRole") int fromAccountRole,
                              @JsonProperty("MsgBody") JsonNode msgBody,
                              @JsonProperty("Timestamp") long timestamp,
                              @JsonProperty("MsgKey") String msgKey,
                              @JsonProperty("CloudCustomData") String cloudCustomData) {
    }

    public record DescribeResp(@JsonProperty("TotalCount") long totalCount,
                               @JsonProperty("Messages") List<ChatMessage> messages) {
    }

    public record StateReq(@JsonProperty("SessionId") String sessionId,
                           @JsonProperty("ClientUserId") String clientUserId,
                           @JsonProperty("CustomerServiceId") String customerServiceId) {
    }

    /**
     * The seed's SessionId, CurrentState, AgentId; for an open session also (our additions, named as
     * mark_session and suspend_session set them) Suspended, Mark, StarStatus, UserTimeoutSwitch.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record StateResp(@JsonProperty("SessionId") String sessionId,
                            @JsonProperty("CurrentState") String currentState,
                            @JsonProperty("AgentId") String agentId,
                            @JsonProperty("Suspended") Integer suspended,
                            @JsonProperty("Mark") String mark,
                            @JsonProperty("StarStatus") Integer starStatus,
                            @JsonProperty("UserTimeoutSwitch") Integer userTimeoutSwitch) {
        static StateResp of(Session s) {
            Session.Marks m = s.marks();
            return new StateResp(s.id(), s.state().wire(), agentOf(s), m.suspended() ? 1 : 0, m.mark(), m.starred() ? 1 : 0,
                    m.userTimeoutOn() ? 1 : 0);
        }
    }

    public CommandHandler<SendMsgReq> sendMsg() {
        return call -> {
            SendMsgReq r = call.body();
            long random = MsgBody.random(r.msgRandom());
            String body = MsgBody.validate(r.msgBody(), r.cloudCustomData());
            boolean exclude = flag("ExcludeFromUserRespTimeout", r.excludeFromUserRespTimeout());
            ConversationService.Ack ack;
            if (present(r.sessionId())) {
                ack = conversations.sendToSession(call.tenant(), r.sessionId().strip(), random, body, r.cloudCustomData(), exclude);
            } else if (present(r.fromAccount()) && present(r.toAccount())) {
                ack = conversations.sendAs(call.tenant(), r.fromAccount().strip(), r.toAccount().strip(), random, body,
                        r.cloudCustomData(), exclude);
            } else {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "give SessionId, or FromAccount (a customer-service "
                        + "account) and ToAccount (a user)");
            }
            return new SendMsgResp(ack.msgKey());
        };
    }

    public CommandHandler<StreamReq> sendStreamMsg() {
        return call -> {
            StreamReq r = call.body();
            String session = sessionId(r.sessionId(), DeskError.DESK_SESSION_ID_INVALID);
            if (r.chunk == null) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "Chunk is required (the text to append)");
            }
            if (r.chunk.length() > MAX_CHUNK_CHARS) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "Chunk is longer than " + MAX_CHUNK_CHARS + " characters");
            }
            boolean finish = flag("Finish", r.finish);
            String key = conversations.stream(call.tenant(), session, present(r.msgKey) ? r.msgKey.strip() : null, r.chunk, finish);
            return new StreamResp(key);
        };
    }

    public CommandHandler<ModifyReq> modifyMsg() {
        return call -> {
            ModifyReq r = call.body();
            String session = sessionId(r.sessionId(), DeskError.DESK_INVALID_PARAM);
            if (!present(r.msgKey())) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "MsgKey is required");
            }
            String body = MsgBody.validate(r.msgBody(), r.cloudCustomData());
            conversations.modify(call.tenant(), session, r.msgKey().strip(), body, r.cloudCustomData());
            return null;
        };
    }

    public CommandHandler<DescribeReq> describeChatMessages() {
        return call -> {
            DescribeReq r = call.body();
            String session = sessionId(r.sessionId(), DeskError.DESK_INVALID_PARAM);
            int limit = r.limit() == null ? DEFAULT_LIMIT : r.limit();
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "Limit must be 1 to " + MAX_LIMIT);
            }
            int offset = r.offset() == null ? 0 : r.offset();
            if (offset < 0) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "Offset must not be negative");
            }
            int order = r.order() == null ? 2 : r.order();
            if (order != 1 && order != 2) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "Order must be 1 (oldest first) or 2 (newest first)");
            }
            ConversationService.Page page = conversations.messages(call.tenant(), session, order == 2, offset, limit);
            return new DescribeResp(page.total(), page.messages().stream().map(m -> new ChatMessage(m.from(), m.role().code(),
                    MsgBody.parse(m.body()), m.time(), m.key(), m.cloudCustomData())).toList());
        };
    }

    public CommandHandler<StateReq> getSessionState() {
        return call -> {
            StateReq r = call.body();
            if (present(r.sessionId())) {
                Session s = conversations.state(call.tenant(), sessionId(r.sessionId(), DeskError.DESK_INVALID_PARAM));
                return StateResp.of(s);
            }
            if (!present(r.clientUserId()) || !present(r.customerServiceId())) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "give SessionId, or ClientUserId and CustomerServiceId");
            }
            Optional<Session> open = conversations.stateOf(call.tenant(), r.clientUserId().strip(), r.customerServiceId().strip());
            return open.map(StateResp::of)
                    .orElseGet(() -> new StateResp("", SessionState.NOT_IN_SESSION.wire(), "", null, null, null, null));
        };
    }

    /** AgentId only while an agent is assigned (WaitingForAgentAnswering, Agent), as the seed says. */
    private static String agentOf(Session s) {
        return s.state() == SessionState.AGENT || s.state() == SessionState.WAITING_FOR_AGENT ? s.agentId() : "";
    }

    private static String sessionId(String raw, DeskError malformed) {
        if (!present(raw)) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, "SessionId is required");
        }
        String id = raw.strip();
        if (!UUID.matcher(id).matches()) {
            throw new DeskException(malformed, "SessionId '" + id + "' is not a session id (a UUID such as "
                    + "fd8a2e30-54de-4e40-bcaf-02718409c5cf)");
        }
        return id;
    }

    private static boolean flag(String field, Integer value) {
        if (value != null && value != 0 && value != 1) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, field + " must be 0 or 1");
        }
        return value != null && value == 1;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
