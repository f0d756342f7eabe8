package org.opendesk.agent;

import org.opendesk.message.Message;
import org.opendesk.team.MemberStatus;
import org.opendesk.tenant.Tenant;

import java.util.List;

/**
 * What a member does at the workbench, as the agent API calls it; the human service implements it.
 * Failures are {@code DeskException}s with the vendor's codes (141004 invalid, 141005 no such open
 * session of this member, 141026 not in a state that allows it, ...).
 */
public interface Workbench {
    /** Sets the member's own status (free / busy / rest with a reason / offline). */
    void setStatus(Tenant tenant, String memberId, MemberStatus status, String restReason);

    /** The member's open sessions: offered to it (manual reception) or in service. */
    List<SessionView> sessions(Tenant tenant, String memberId);

    /** Accepts a session offered to the member (manual reception). */
    void accept(Tenant tenant, String memberId, String sessionId);

    /** A page of a session the member serves or served (history included), and the total count. */
    MessagePage messages(Tenant tenant, String memberId, String sessionId, boolean newestFirst, int offset, int limit);

    /** Sends a message (a validated MsgBody JSON array) to the user of a session the member serves. */
    Sent send(Tenant tenant, String memberId, String sessionId, long random, String body, String cloudCustomData);

    /**
     * Invites the user of a session the member serves to rate it (the src 9 card); refused with 141026
     * when the satisfaction settings do not let members invite or the user rated already.
     */
    void inviteRating(Tenant tenant, String memberId, String sessionId);

    /**
     * A suggested reply to the user's last message in a session the member serves: the robot's FAQ
     * matches for it (best first), for the member to send as they are or edited; 141026 when the user
     * has written nothing yet.
     */
    Suggested suggestReply(Tenant tenant, String memberId, String sessionId);

    /** Ends a session the member serves (SessionAgentEnd). */
    void end(Tenant tenant, String memberId, String sessionId);

    /** Transfers a session the member serves to another member or to a group (exactly one of them). */
    void transfer(Tenant tenant, String memberId, String sessionId, String toMemberId, Long toGroupId);

    /** A session as the workbench lists it; times epoch ms (0 = not yet). */
    record SessionView(String sessionId, String clientUserId, String customerServiceId, String state, long startedAt,
                       long transferRequestedAt, long acceptedAt, long offerDeadline) {
    }

    record MessagePage(long total, List<Message> messages) {
    }

    record Sent(String msgKey, long msgSeq, long msgTime) {
    }

    /** The user's message a suggestion answers, and the FAQ answers that match it. */
    record Suggested(String msgKey, String question, List<SuggestedAnswer> answers) {
    }

    /** An FAQ entry that matches: its id and standard question, the question it matched by, its answer, the similarity. */
    record SuggestedAnswer(String standardQuestionId, String standardQuestion, String matchedQuestion, String answer,
                           int answerType, double similarity) {
    }
}
