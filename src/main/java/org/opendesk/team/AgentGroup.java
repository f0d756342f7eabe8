package org.opendesk.team;

import java.util.List;

/** An agent group: its id (the vendor's AgentGroupId), name and members' ids. */
public record AgentGroup(long groupId, String name, List<String> memberIds, long createdAt) {
}
