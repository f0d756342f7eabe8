package org.opendesk.account;

/** An IM account of a tenant. */
public record Account(String userId, String nick, String faceUrl, Kind kind) {
    /** What the account is; stored as a number. */
    public enum Kind {
        USER(1), ADMIN(2), CUSTOMER_SERVICE(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Kind of(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown account kind " + code);
        }
    }
}
