package org.opendesk.conversation;

import org.opendesk.message.Message;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;

/**
 * The human phase as the conversation engine reaches it (the human service implements it): a
 * request for a human made in the robot phase, and what users do in a session that is queueing,
 * offered to a member or served by one. The "in" methods run inside the transaction of the cause;
 * the "after" methods run once it has committed.
 */
public interface HumanPhase {
    /**
     * The robot phase asks for a human (the robot's to-human intent, the user's choice of a group):
     * recorded durably in the transaction, routed by {@link #afterRequest}.
     *
     * @param groupId the group the user chose (0: the account's routing)
     */
    void requested(TenantDb tx, Session session, long groupId);

    /** Routes what {@link #requested} recorded, now that it is committed. */
    void afterRequest(Tenant tenant, String sessionId);

    /**
     * A user's message (typing and src 27 included) in a session of the human phase, inside its
     * transaction. Answers whether a seat was freed (the queue may move: call {@link #afterSeatFreed}).
     */
    boolean onUserMessage(TenantDb tx, Session session, Message message, String src);

    /**
     * A message of the customer-service account in a session of the human phase (send_msg, inside its
     * transaction): unless excluded (ExcludeFromUserRespTimeout 1) it starts the user reply timeout.
     */
    void onAccountMessage(TenantDb tx, Session session, Message message, boolean excludeFromTimeout);

    /** After a transaction that freed a seat: the next queued sessions are assigned. */
    void afterSeatFreed(Tenant tenant);

    /** A message of a session of the human phase was edited (modify_msg, a stream chunk). */
    void onEdited(TenantDb tx, Session session, Message message);

    /** The text the user sent while asked to pick a group: the group chosen, or 0 when it is no choice. */
    long chosenGroup(Tenant tenant, Session session, String text);
}
