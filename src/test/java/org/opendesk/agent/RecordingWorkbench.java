package org.opendesk.agent;

import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.message.Message;
import org.opendesk.team.MemberStatus;
import org.opendesk.tenant.Tenant;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A workbench for the agent API's HTTP tests only: it records each call as a line and fails for
 * three session ids the way the human service would (no such session, wrong state, a bug).
 */
final class RecordingWorkbench implements Workbench {
    static final String SESSION = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    static final String MISSING = "00000000-0000-4000-8000-000000000404";
    static final String WRONG_STATE = "00000000-0000-4000-8000-000000000409";
    static final String BROKEN = "00000000-0000-4000-8000-000000000500";

    final List<String> calls = new CopyOnWriteArrayList<>();

    String last() {
        return calls.isEmpty() ? "" : calls.get(calls.size() - 1);
    }

    private void check(String sessionId) {
        switch (sessionId) {
            case MISSING -> throw new DeskException(DeskError.DESK_SESSION_NOT_FOUND, "no open session " + sessionId);
            case WRONG_STATE -> throw new DeskException(DeskError.DESK_CANNOT_FORWARD, "the session is queueing");
            case BROKEN -> throw new IllegalStateException("boom in org.opendesk.human.Secret");
            default -> {
            }
        }
    }

    @Override
    public void setStatus(Tenant tenant, String memberId, MemberStatus status, String restReason) {
        calls.add("setStatus " + memberId + " " + status + " " + restReason);
    }

    @Override
    public List<SessionView> sessions(Tenant tenant, String memberId) {
        calls.add("sessions " + memberId);
        return List.of(new SessionView(SESSION, "user-1", "@customer_service_account", "Agent", 1_000L, 2_000L, 3_000L, 0L));
    }

    @Override
    public void accept(Tenant tenant, String memberId, String sessionId) {
        check(sessionId);
        calls.add("accept " + memberId + " " + sessionId);
    }

    @Override
    public MessagePage messages(Tenant tenant, String memberId, String sessionId, boolean newestFirst, int offset, int limit) {
        check(sessionId);
        calls.add("messages " + memberId + " " + sessionId + " newestFirst=" + newestFirst + " offset=" + offset
                + " limit=" + limit);
        Message m = new Message(41, 41, "41_7_1700000000", "user-1", "@customer_service_account", 7, 1_700_000_000_123L,
                "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hello\"}}]", "ccd", sessionId, Message.Role.USER,
                false);
        return new MessagePage(3, List.of(m));
    }

    @Override
    public Sent send(Tenant tenant, String memberId, String sessionId, long random, String body, String cloudCustomData) {
        check(sessionId);
        calls.add("send " + memberId + " " + sessionId + " " + random + " " + body + " " + cloudCustomData);
        return new Sent("42_" + random + "_1700000001", 42, 1_700_000_001_500L);
    }

    @Override
    public void inviteRating(Tenant tenant, String memberId, String sessionId) {
        check(sessionId);
        calls.add("inviteRating " + memberId + " " + sessionId);
    }

    @Override
    public Suggested suggestReply(Tenant tenant, String memberId, String sessionId) {
        check(sessionId);
        calls.add("suggestReply " + memberId + " " + sessionId);
        return new Suggested("", "", List.of());
    }

    @Override
    public void end(Tenant tenant, String memberId, String sessionId) {
        check(sessionId);
        calls.add("end " + memberId + " " + sessionId);
    }

    @Override
    public void transfer(Tenant tenant, String memberId, String sessionId, String toMemberId, Long toGroupId) {
        check(sessionId);
        calls.add("transfer " + memberId + " " + sessionId + " " + toMemberId + " " + toGroupId);
    }
}
