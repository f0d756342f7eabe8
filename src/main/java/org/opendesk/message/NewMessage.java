package org.opendesk.message;

/**
 * A message to store: sender, receiver, the sender's MsgRandom (de-duplication), the validated
 * body JSON and CloudCustomData, its session ('' for none), role, and whether it is pushed to
 * connected clients only. {@code pending} marks a user message the conversation engine must handle;
 * {@code dedup} makes a retry with the same sender, receiver and MsgRandom answer the stored message
 * (messages sent by clients and the API; the server's own messages need no check).
 * {@code excludeFromTimeout} is send_msg's ExcludeFromUserRespTimeout.
 */
public record NewMessage(String from, String to, long random, String body, String cloudCustomData, String sessionId,
                         Message.Role role, boolean onlineOnly, boolean pending, boolean dedup,
                         boolean excludeFromTimeout) {
    /** A message of the server's own (robot replies, protocol messages): no de-duplication, nothing pending. */
    public static NewMessage system(String from, String to, long random, String body, String sessionId) {
        return new NewMessage(from, to, random, body, "", sessionId, Message.Role.SYSTEM, false, false, false, false);
    }

    public NewMessage {
        cloudCustomData = cloudCustomData == null ? "" : cloudCustomData;
        sessionId = sessionId == null ? "" : sessionId;
    }
}
