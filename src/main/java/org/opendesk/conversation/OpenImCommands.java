package org.opendesk.conversation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.message.Message;
import org.opendesk.message.MessageStore;
import org.opendesk.message.MsgBody;
import org.opendesk.rest.CommandHandler;

import java.util.List;

/**
 * Tencent IM's standard message commands of service {@code openim}: sendmsg (the admin sends a
 * C2C message as any account, e.g. a user writing to a customer-service account) and
 * admin_getroammsg (the history between two accounts, newest first, paged by time and LastMsgKey).
 */
public final class OpenImCommands {
    public static final int MAX_ROAM_COUNT = 100;
    private final ConversationService conversations;

    public OpenImCommands(ConversationService conversations) {
        this.conversations = conversations;
    }

    /**
     * sendmsg. From_Account absent = the calling administrator. MsgLifeTime 0 = online only (not
     * stored in history, pushed to connected clients). SyncOtherMachine, OfflinePushInfo,
     * ForbidCallbackControl, SendMsgControl and the other push options are accepted and have no
     * effect here: every message reaches every connection of both parties.
     */
    public record SendReq(@JsonProperty("From_Account") String fromAccount,
                          @JsonProperty("To_Account") String toAccount,
                          @JsonProperty("MsgRandom") JsonNode msgRandom,
                          @JsonProperty("MsgBody") JsonNode msgBody,
                          @JsonProperty("CloudCustomData") String cloudCustomData,
                          @JsonProperty("MsgLifeTime") Integer msgLifeTime,
                          @JsonProperty("SyncOtherMachine") Integer syncOtherMachine) {
    }

    public record SendResp(@JsonProperty("MsgTime") long msgTime, @JsonProperty("MsgKey") String msgKey) {
    }

    public record RoamReq(@JsonProperty("Operator_Account") String operatorAccount,
                          @JsonProperty("Peer_Account") String peerAccount,
                          @JsonProperty("MaxCnt") Integer maxCnt,
                          @JsonProperty("MinTime") Long minTime,
                          @JsonProperty("MaxTime") Long maxTime,
                          @JsonProperty("LastMsgKey") String lastMsgKey) {
    }

    public record RoamMsg(@JsonProperty("From_Account") String fromAccount,
                          @JsonProperty("To_Account") String toAccount,
                          @JsonProperty("MsgSeq") long msgSeq,
                          @JsonProperty("MsgRandom") long msgRandom,
                          @JsonProperty("MsgTimeStamp") long msgTimeStamp,
                          @JsonProperty("MsgFlagBits") int msgFlagBits,
                          @JsonProperty("IsPeerRead") int isPeerRead,
                          @JsonProperty("MsgKey") String msgKey,
                          @JsonProperty("MsgBody") JsonNode msgBody,
                          @JsonProperty("CloudCustomData") String cloudCustomData) {
    }

    public record RoamResp(@JsonProperty("Complete") int complete,
                           @JsonProperty("MsgCnt") int msgCnt,
                           @JsonProperty("LastMsgTime") long lastMsgTime,
                           @JsonProperty("LastMsgKey") String lastMsgKey,
                           @JsonProperty("MsgList") List<RoamMsg> msgList) {
    }

    public CommandHandler<SendReq> sendmsg() {
        return call -> {
            SendReq r = call.body();
            String to = required("To_Account", r.toAccount());
            String from = r.fromAccount() == null || r.fromAccount().isBlank() ? call.identifier() : r.fromAccount().strip();
            long random = MsgBody.random(r.msgRandom());
            if (r.syncOtherMachine() != null && r.syncOtherMachine() != 1 && r.syncOtherMachine() != 2) {
                throw new DeskException(DeskError.IM_ILLEGAL_REQUEST, "SyncOtherMachine must be 1 or 2");
            }
            if (r.msgLifeTime() != null && (r.msgLifeTime() < 0 || r.msgLifeTime() > 604_800)) {
                throw new DeskException(DeskError.IM_ILLEGAL_REQUEST, "MsgLifeTime must be 0 to 604800 seconds");
            }
            String body = MsgBody.validate(r.msgBody(), r.cloudCustomData());
            boolean onlineOnly = r.msgLifeTime() != null && r.msgLifeTime() == 0;
            ConversationService.Ack ack = conversations.send(call.tenant(),
                    new ConversationService.Outgoing(from, to, random, body, r.cloudCustomData(), onlineOnly));
            return new SendResp(ack.msgTime() / 1000, ack.msgKey());
        };
    }

    public CommandHandler<RoamReq> getRoamMsg() {
        return call -> {
            RoamReq r = call.body();
            String operator = required("Operator_Account", r.operatorAccount());
            String peer = required("Peer_Account", r.peerAccount());
            if (r.maxCnt() == null || r.maxCnt() < 1 || r.maxCnt() > MAX_ROAM_COUNT) {
                throw new DeskException(DeskError.IM_ILLEGAL_REQUEST, "MaxCnt must be 1 to " + MAX_ROAM_COUNT);
            }
            if (r.minTime() == null || r.maxTime() == null || r.minTime() < 0 || r.maxTime() < r.minTime()) {
                throw new DeskException(DeskError.IM_ILLEGAL_REQUEST, "MinTime and MaxTime (unix seconds) are required and"
                        + " MinTime must not be after MaxTime");
            }
            MessageStore store = conversations.store();
            long before = Long.MAX_VALUE;
            if (r.lastMsgKey() != null && !r.lastMsgKey().isBlank()) {
                Message last = store.byKey(call.tenant().db(), r.lastMsgKey().strip()).orElseThrow(() -> new DeskException(
                        DeskError.IM_ILLEGAL_REQUEST, "LastMsgKey '" + r.lastMsgKey() + "' is not a message of this app"));
                before = last.seq();
            }
            // MaxTime is inclusive to the second (a continuation passes LastMsgTime with LastMsgKey)
            List<Message> page = store.between(call.tenant().db(), operator, peer, r.minTime() * 1000,
                    (r.maxTime() + 1) * 1000, before, r.maxCnt() + 1);
            boolean complete = page.size() <= r.maxCnt();
            List<Message> shown = complete ? page : page.subList(0, r.maxCnt());
            Message oldest = shown.isEmpty() ? null : shown.get(shown.size() - 1);
            return new RoamResp(complete ? 1 : 0, shown.size(), oldest == null ? 0 : oldest.time() / 1000,
                    oldest == null ? "" : oldest.key(), shown.stream().map(m -> new RoamMsg(m.from(), m.to(), m.seq(),
                    m.random(), m.time() / 1000, 0, 0, m.key(), MsgBody.parse(m.body()), m.cloudCustomData())).toList());
        };
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new DeskException(DeskError.IM_ILLEGAL_REQUEST, field + " is required");
        }
        return value.strip();
    }
}
