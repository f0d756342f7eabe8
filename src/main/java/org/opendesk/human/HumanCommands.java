package org.opendesk.human;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.conversation.Session;
import org.opendesk.rest.CommandHandler;
import org.opendesk.team.TeamService;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.opendesk.json.Strict;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The human-service commands of desk_http_svc, with the seed's fields and codes: transfer_to_human,
 * transfer_session, end_session, suspend_session, unsuspend_session, mark_session.
 */
public final class HumanCommands {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    public static final int MAX_AGENT_IDS = 100;

    private final HumanService human;

    public HumanCommands(HumanService human) {
        this.human = human;
    }

    public record TransferReq(@JsonProperty("SessionId") String sessionId,
                              @JsonProperty("AgentIdList") List<String> agentIdList,
                              @JsonProperty("AgentGroupId") Long agentGroupId,
                              @JsonProperty("SendTipIfNoAgentOnline") Integer sendTipIfNoAgentOnline,
                              @JsonProperty("CheckIfDuringWorkingHours") Integer checkIfDuringWorkingHours,
                              @JsonProperty("SendPromptNotDuringWorkingHours") Integer sendPromptNotDuringWorkingHours) {
    }

    /** AgentId (the member who took or was offered the session, "" otherwise) and IsInQueue. */
    public record TransferResp(@JsonProperty("AgentId") String agentId, @JsonProperty("IsInQueue") int isInQueue) {
    }

    /** transfer_session: MemberId (wins when both come), GroupId, or neither (the account's group). */
    public record TransferSessionReq(@JsonProperty("SessionId") String sessionId,
                                     @JsonProperty("GroupId") Long groupId,
                                     @JsonProperty("MemberId") String memberId) {
    }

    /**
     * contact_user: the seed's table says IMAgentUserId and ClientUserId, its example IMAgentUserID and
     * ClientUserID; both spellings are taken.
     */
    public record ContactReq(@JsonProperty("IMAgentUserId") @JsonAlias("IMAgentUserID")
                             @JsonDeserialize(using = Strict.Text.class) String imAgentUserId,
                             @JsonProperty("ClientUserId") @JsonAlias("ClientUserID")
                             @JsonDeserialize(using = Strict.Text.class) String clientUserId,
                             @JsonProperty("GroupId") @JsonDeserialize(using = Strict.Int64.class) Long groupId,
                             @JsonProperty("MemberId") @JsonDeserialize(using = Strict.Text.class) String memberId) {
    }

    /** MemberId as the seed answers it, and the session opened (our addition). */
    public record ContactResp(@JsonProperty("MemberId") String memberId, @JsonProperty("SessionId") String sessionId) {
    }

    /** end_session, suspend_session, unsuspend_session. */
    public record SessionReq(@JsonProperty("SessionId") String sessionId) {
    }

    /**
     * mark_session: the seed's table says sessionId, StarStatus, UserTimeoutSwitch, its examples
     * SessionId, starStatus, userTimeoutSwitch; every casing of them is taken.
     */
    public record MarkReq(@JsonProperty("SessionId") @JsonAlias({"sessionId", "sessionID"}) String sessionId,
                          @JsonProperty("Mark") @JsonAlias("mark")
                          @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = org.opendesk.json.Strict.Text.class)
                          String mark,
                          @JsonProperty("StarStatus") @JsonAlias("starStatus") Integer starStatus,
                          @JsonProperty("UserTimeoutSwitch") @JsonAlias("userTimeoutSwitch") Integer userTimeoutSwitch) {
    }

    /** update_workday_calendar (extension): dates to set, dates to remove. */
    public record CalendarReq(@JsonProperty("Days") List<CalendarDay> days,
                              @JsonProperty("RemoveDates") @JsonDeserialize(contentUsing = Strict.Text.class)
                              List<String> removeDates) {
    }

    /** A date of the calendar: Workday 1 a working day (a weekend day worked), 0 a holiday. */
    public record CalendarDay(@JsonProperty("Date") @JsonDeserialize(using = Strict.Text.class) String date,
                              @JsonProperty("Workday") @JsonDeserialize(using = Strict.Int32.class) Integer workday) {
    }

    /** get_workday_calendar (extension): the dates from From to To, both "YYYY-MM-DD", both included. */
    public record CalendarRangeReq(@JsonProperty("From") @JsonDeserialize(using = Strict.Text.class) String from,
                                   @JsonProperty("To") @JsonDeserialize(using = Strict.Text.class) String to) {
    }

    public record CalendarResp(@JsonProperty("Days") List<CalendarDay> days) {
    }

    /** The answer of the session commands: the envelope alone, as the seed shows. */
    public record Done() {
    }

    public CommandHandler<TransferSessionReq> transferSession() {
        return call -> {
            TransferSessionReq r = call.body();
            String session = sessionId(r.sessionId());
            long group = r.groupId() == null ? 0 : r.groupId();
            if (group < 0) {
                throw new DeskException(DeskError.DESK_GROUP_INVALID, "GroupId must be an agent group id, got " + group);
            }
            human.transferSession(call.tenant(), session, r.memberId(), group);
            return new Done();
        };
    }

    public static final int MAX_CALENDAR_DATES = 1000;
    public static final int MAX_CALENDAR_SPAN_DAYS = 3660;

    public CommandHandler<CalendarReq> updateCalendar() {
        return call -> {
            CalendarReq r = call.body();
            List<WorkdayCalendar.Day> days = new ArrayList<>();
            List<LocalDate> removed = new ArrayList<>();
            Set<LocalDate> seen = new HashSet<>();
            int count = (r.days() == null ? 0 : r.days().size()) + (r.removeDates() == null ? 0 : r.removeDates().size());
            if (count == 0) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "give Days to set or RemoveDates to remove");
            }
            if (count > MAX_CALENDAR_DATES) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "at most " + MAX_CALENDAR_DATES
                        + " dates in one call (Days and RemoveDates together), got " + count);
            }
            if (r.days() != null) {
                for (CalendarDay d : r.days()) {
                    if (d == null) {
                        throw new DeskException(DeskError.DESK_INVALID_PARAM, "Days[] must be objects {Date, Workday}");
                    }
                    LocalDate date = date("Days[].Date", d.date());
                    if (d.workday() == null || (d.workday() != 0 && d.workday() != 1)) {
                        throw new DeskException(DeskError.DESK_INVALID_PARAM, "Days[" + date + "].Workday must be 1 (a working"
                                + " day) or 0 (a holiday), got " + d.workday());
                    }
                    once(seen, date);
                    days.add(new WorkdayCalendar.Day(date, d.workday() == 1));
                }
            }
            if (r.removeDates() != null) {
                for (String raw : r.removeDates()) {
                    LocalDate date = date("RemoveDates[]", raw);
                    once(seen, date);
                    removed.add(date);
                }
            }
            human.updateCalendar(call.tenant(), days, removed);
            return new Done();
        };
    }

    public CommandHandler<CalendarRangeReq> calendar() {
        return call -> {
            LocalDate from = date("From", call.body().from());
            LocalDate to = date("To", call.body().to());
            if (to.isBefore(from)) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "To " + to + " is before From " + from);
            }
            if (ChronoUnit.DAYS.between(from, to) >= MAX_CALENDAR_SPAN_DAYS) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "From to To spans at most " + MAX_CALENDAR_SPAN_DAYS
                        + " days");
            }
            return new CalendarResp(human.calendar(call.tenant(), from, to).stream()
                    .map(d -> new CalendarDay(d.date().toString(), d.workday() ? 1 : 0)).toList());
        };
    }

    private static void once(Set<LocalDate> seen, LocalDate date) {
        if (!seen.add(date)) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, "the date " + date + " comes twice; give each date once");
        }
    }

    private static LocalDate date(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, field + " is required (a date \"YYYY-MM-DD\")");
        }
        if (!raw.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, field + " must be a date \"YYYY-MM-DD\", got \"" + raw + "\"");
        }
        try {
            return LocalDate.parse(raw);
        } catch (DateTimeParseException e) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, field + " is not a calendar date: \"" + raw + "\"");
        }
    }

    public CommandHandler<ContactReq> contactUser() {
        return call -> {
            ContactReq r = call.body();
            if (r.imAgentUserId() == null || r.imAgentUserId().isBlank()) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "IMAgentUserId is required: the customer-service account"
                        + " the user is contacted through");
            }
            if (r.clientUserId() == null || r.clientUserId().isBlank()) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "ClientUserId is required: the user to contact");
            }
            long group = r.groupId() == null ? 0 : r.groupId();
            if (group < 0) {
                throw new DeskException(DeskError.DESK_CONTACT_GROUP_INVALID, "GroupId must be an agent group id, got " + group);
            }
            HumanService.Contact c = human.contactUser(call.tenant(), r.imAgentUserId().strip(), r.clientUserId().strip(),
                    r.memberId(), group);
            return new ContactResp(c.memberId(), c.sessionId());
        };
    }

    public CommandHandler<SessionReq> endSession() {
        return call -> {
            human.endSession(call.tenant(), sessionId(call.body().sessionId()));
            return new Done();
        };
    }

    public CommandHandler<SessionReq> suspendSession(boolean on) {
        return call -> {
            human.suspend(call.tenant(), sessionId(call.body().sessionId()), on);
            return new Done();
        };
    }

    public CommandHandler<MarkReq> markSession() {
        return call -> {
            MarkReq r = call.body();
            String session = sessionId(r.sessionId());
            if (r.mark() != null && r.mark().getBytes(StandardCharsets.UTF_8).length > Session.Marks.MAX_MARK_BYTES) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "Mark is " + r.mark().getBytes(StandardCharsets.UTF_8).length
                        + " bytes (UTF-8); at most " + Session.Marks.MAX_MARK_BYTES);
            }
            Boolean star = r.starStatus() == null ? null : flag("StarStatus", r.starStatus());
            Boolean timeout = r.userTimeoutSwitch() == null ? null : flag("UserTimeoutSwitch", r.userTimeoutSwitch());
            human.mark(call.tenant(), session, r.mark(), star, timeout);
            return new Done();
        };
    }

    /** A SessionId of the commands whose seed lists no 141006: required, a UUID (141004 otherwise). */
    private static String sessionId(String raw) {
        return sessionId(raw, DeskError.DESK_INVALID_PARAM);
    }

    /** A SessionId: required (141004), a UUID ({@code malformed} otherwise). */
    private static String sessionId(String raw, DeskError malformed) {
        if (raw == null || raw.isBlank()) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, "SessionId is required");
        }
        String session = raw.strip();
        if (!UUID.matcher(session).matches()) {
            throw new DeskException(malformed, "SessionId '" + session + "' is not a session id"
                    + " (a UUID such as fd8a2e30-54de-4e40-bcaf-02718409c5cf)");
        }
        return session;
    }

    public CommandHandler<TransferReq> transferToHuman() {
        return call -> {
            TransferReq r = call.body();
            String session = sessionId(r.sessionId(), DeskError.DESK_SESSION_ID_INVALID);
            List<String> agents = new ArrayList<>();
            if (r.agentIdList() != null) {
                if (r.agentIdList().size() > MAX_AGENT_IDS) {
                    throw new DeskException(DeskError.DESK_INVALID_PARAM, "AgentIdList holds at most " + MAX_AGENT_IDS
                            + " members");
                }
                LinkedHashSet<String> unique = new LinkedHashSet<>();
                for (String a : r.agentIdList()) {
                    unique.add(TeamService.memberId(a));
                }
                agents.addAll(unique);
            }
            long group = r.agentGroupId() == null ? 0 : r.agentGroupId();
            if (group < 0) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "AgentGroupId must be an agent group id, got " + group);
            }
            HumanService.TransferResult result = human.transferToHuman(call.tenant(), session, new HumanService.TransferOptions(
                    agents, group, flag("SendTipIfNoAgentOnline", r.sendTipIfNoAgentOnline()),
                    flag("CheckIfDuringWorkingHours", r.checkIfDuringWorkingHours()),
                    flag("SendPromptNotDuringWorkingHours", r.sendPromptNotDuringWorkingHours())));
            return switch (result.decision()) {
                case RoutingDecision.NoAgentOnline n -> throw new DeskException(DeskError.DESK_NO_AGENT_ONLINE,
                        "no member who could take the session is online" + (group > 0 ? " in agent group " + group : "")
                                + (agents.isEmpty() ? "" : " among AgentIdList"));
                case RoutingDecision.OutsideWorkingHours o -> throw new DeskException(DeskError.DESK_CANNOT_TRANSFER,
                        "it is outside the working hours of the customer-service account (WorkTimeConfig)");
                case RoutingDecision.Denied d -> throw new DeskException(DeskError.DESK_CANNOT_TRANSFER,
                        "the business server refused the transfer (ChatBot.OnAssignHuman answered AgentTransferDenied 1)");
                default -> new TransferResp(result.agentId(), result.inQueue() ? 1 : 0);
            };
        };
    }

    private static boolean flag(String field, Integer value) {
        if (value != null && value != 0 && value != 1) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, field + " must be 0 or 1, got " + value);
        }
        return value != null && value == 1;
    }
}
