package org.opendesk.realtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendesk.json.Json;
import org.opendesk.message.Message;
import org.opendesk.message.MsgBody;

/**
 * The JSON frames of the visitor WebSocket (DESIGN.md 2.3), and the Error frame every socket
 * shares. MsgTime is in unix seconds, as sendmsg answers it.
 */
public final class Frames {
    private Frames() {
    }

    /** A message as a Msg frame, or as MsgModified for a connection that was sent it already. */
    static Connection.Frame of(Message m) {
        ObjectNode msg = Json.mapper().createObjectNode();
        msg.put("MsgKey", m.key());
        msg.put("MsgSeq", m.seq());
        msg.put("FromAccount", m.from());
        msg.put("ToAccount", m.to());
        msg.put("MsgTime", m.time() / 1000);
        msg.set("MsgBody", MsgBody.parse(m.body()));
        msg.put("CloudCustomData", m.cloudCustomData());
        String asMsg = wrap("Msg", msg);
        String asModified = wrap("MsgModified", msg);
        return change -> change ? asModified : asMsg;
    }

    private static String wrap(String type, ObjectNode msg) {
        ObjectNode frame = Json.mapper().createObjectNode();
        frame.put("Type", type);
        frame.set("Msg", msg);
        return MsgBody.write(frame);
    }

    static String ack(long random, String msgKey) {
        ObjectNode frame = Json.mapper().createObjectNode();
        frame.put("Type", "Ack");
        frame.put("MsgRandom", random);
        frame.put("MsgKey", msgKey);
        return MsgBody.write(frame);
    }

    /** {@code {"Type":"Error","ErrorCode":n,"ErrorInfo":".."}}. */
    public static String error(int code, String info) {
        return error(code, info, 0);
    }

    /** An Error frame; it names the MsgRandom of the SendMsg frame it answers, when that had one. */
    static String error(int code, String info, long random) {
        ObjectNode frame = Json.mapper().createObjectNode();
        frame.put("Type", "Error");
        frame.put("ErrorCode", code);
        frame.put("ErrorInfo", info);
        if (random != 0) {
            frame.put("MsgRandom", random);
        }
        return MsgBody.write(frame);
    }
}
