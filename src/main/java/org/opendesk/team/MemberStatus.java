package org.opendesk.team;

/**
 * A member's status (Desk workbench: 示闲 free, 示忙 busy, 小休 rest, 下线 offline). Only free
 * members get new sessions; free, busy and rest count as online. {@link #code()} is the
 * statistics API's MemberStatus (0 offline, 1 free, 2 busy, 3 rest).
 */
public enum MemberStatus {
    OFFLINE("offline", 0), FREE("free", 1), BUSY("busy", 2), REST("rest", 3);

    private final String wire;
    private final int code;

    MemberStatus(String wire, int code) {
        this.wire = wire;
        this.code = code;
    }

    public String wire() {
        return wire;
    }

    public int code() {
        return code;
    }

    public boolean online() {
        return this != OFFLINE;
    }

    /** The status named by its wire value (any case), or null. */
    public static MemberStatus of(String wire) {
        if (wire == null) {
            return null;
        }
        for (MemberStatus s : values()) {
            if (s.wire.equalsIgnoreCase(wire.strip())) {
                return s;
            }
        }
        return null;
    }
}
