package org.opendesk.team;

import java.util.Set;

/**
 * A member (human agent) as stored, without the password hash. Times are epoch ms.
 * {@code activeSessions} is the number of seats in use (sessions offered to or served by it).
 */
public record Member(String memberId, String nickName, Set<Role> roles, MemberStatus status, String restReason,
                     long statusSince, int activeSessions, long lastAssignedAt, boolean forcedOffline,
                     int passwordVersion, boolean passwordGenerated, long lastLoginAt, long createdAt) {

    /** Whether the member may use the workbench (the agent API). */
    public boolean agent() {
        return roles.contains(Role.STAFF) || roles.contains(Role.SUPER_ADMIN);
    }
}
