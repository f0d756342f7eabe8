/**
 * Human service: transfer to a human (transfer_to_human, the robot's to-human intent, the user's
 * choice of a group, the business server's ChatBot.OnAssignHuman), routing to members with a free
 * seat, the durable queue, manual reception with accept timeouts as timer rows, and the human
 * phase of a session (agent and user messages, transfer, end) behind the agent API's Workbench.
 */
package org.opendesk.human;
