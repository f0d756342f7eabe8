package org.opendesk.message;

/**
 * A stored message. {@code seq} is the app-wide MsgSeq given when stored; {@code changeSeq} moves
 * on at every edit. {@code body} is the MsgBody JSON array; times are epoch milliseconds.
 */
public record Message(long seq, long changeSeq, String key, String from, String to, long random, long time,
                      String body, String cloudCustomData, String sessionId, Role role, boolean onlineOnly) {

    /** Who sent a message, as describe_chat_messages reports it (FromAccountRole). */
    public enum Role {
        USER(1), AGENT(2), SYSTEM(3);

        private final int code;

        Role(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Role of(int code) {
            for (Role r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            throw new IllegalStateException("unknown role " + code);
        }
    }

    public boolean edited() {
        return changeSeq != seq;
    }
}
