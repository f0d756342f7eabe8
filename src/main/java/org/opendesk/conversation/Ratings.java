package org.opendesk.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendesk.tenant.TenantDb;

/**
 * The satisfaction ratings as the conversations see them (a port: the satisfaction feature
 * implements it). Every method runs inside the app's message transaction, after its lock.
 */
public interface Ratings {
    /** src 23's menuSendRuleFlag for the app's settings now. */
    int ruleFlags(TenantDb db);

    /** A served session ended: the card goes out when the settings send it at the end and no member invited. */
    void onEnded(TenantDb tx, Session ended);

    /** A member invites the user to rate a session it serves; refused (a DeskException) when the settings do not allow it. */
    void invite(TenantDb tx, Session served);

    /** The user asks for the card (src 24) in a session: sent when the user may and a member serves it. */
    void onRequest(TenantDb tx, Session session);

    /** The user's choice (src 10) of a card, for a session of this user and account, ended or not. */
    void onChoice(TenantDb tx, String userId, String customerServiceId, JsonNode body);

    /** No ratings: no rules, nothing sent. */
    Ratings NONE = new Ratings() {
        @Override
        public int ruleFlags(TenantDb db) {
            return 0;
        }

        @Override
        public void onEnded(TenantDb tx, Session ended) {
        }

        @Override
        public void invite(TenantDb tx, Session served) {
            throw new org.opendesk.error.DeskException(org.opendesk.error.DeskError.DESK_CANNOT_FORWARD,
                    "satisfaction ratings are not available");
        }

        @Override
        public void onRequest(TenantDb tx, Session session) {
        }

        @Override
        public void onChoice(TenantDb tx, String userId, String customerServiceId, JsonNode body) {
        }
    };
}
