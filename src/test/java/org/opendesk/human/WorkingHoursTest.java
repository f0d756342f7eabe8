package org.opendesk.human;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendesk.Desk;
import org.opendesk.team.MemberStatus;
import org.opendesk.team.TeamService;
import org.opendesk.testing.AdminClient;
import org.opendesk.testing.Bodies;
import org.opendesk.testing.MutableClock;
import org.opendesk.testing.TestDesk;
import org.opendesk.testing.Visitor;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Working hours of a customer-service account (rules 71-73), in the app's time zone: a weekly plan
 * with more than one period a day and a period crossing midnight, the legal-workday calendar
 * (WorkTimeConfig.Type 2 with update_workday_calendar), transfer_to_human's CheckIfDuringWorkingHours
 * and SendPromptNotDuringWorkingHours, and the user's own request in the robot phase, which always
 * meets the working hours and is answered with NotWorkTimePrompt outside them.
 */
@ServerTest
class WorkingHoursTest {
    private static final MutableClock CLOCK = new MutableClock();
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String NOT_WORK_TIME = "当前非工作时间，请您于工作日 09:00-18:00 咨询";
    private static final AtomicInteger USERS = new AtomicInteger();
    private static Desk desk;
    private final AdminClient client;
    private final int port;
    private HumanFixture f;

    WorkingHoursTest(Http1Client http, WebServer server) {
        this.client = new AdminClient(http);
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        desk = TestDesk.setup(server, CLOCK, Map.of("DESK_RATE_LIMITS", "off"));
    }

    @BeforeEach
    void fixture() {
        f = new HumanFixture(desk, client);
        desk.team().updateSettings(f.tenant, new TeamService.SettingsChange(null, null, null, 50, "Asia/Shanghai"));
    }

    /**
     * Moves the clock to a wall time in Shanghai: moments of the recent past, since a UserSig issued now
     * is valid then (only its expiry is checked) and would not be a year on.
     */
    private static void at(String localDateTime) {
        CLOCK.set(LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant());
    }

    private static Map<String, Object> periods(Object... dayAndSpans) {
        List<Object> days = new java.util.ArrayList<>();
        for (int i = 0; i < dayAndSpans.length; i += 2) {
            List<Map<String, String>> spans = new java.util.ArrayList<>();
            for (String span : ((String) dayAndSpans[i + 1]).split(",")) {
                String[] se = span.split("-");
                spans.add(Map.of("Start", se[0], "End", se[1]));
            }
            days.add(Map.of("Day", dayAndSpans[i], "PeriodsWithinOneDay", spans));
        }
        return Map.of("Periods", days);
    }

    private String account(String id, int type, Map<String, Object> periods, String member) {
        Map<String, Object> config = new java.util.HashMap<>(periods);
        config.put("Type", type);
        return f.account(id, f.group(id + "-group", List.of(member)), Map.of("WorkTimeConfig", config,
                "NotWorkTimePrompt", NOT_WORK_TIME));
    }

    /** transfer_to_human of a new user's session with CheckIfDuringWorkingHours 1: the ErrorCode (0: a member took it). */
    private int checkedTransfer(String cs) {
        String session = f.session("wh-user-" + USERS.incrementAndGet(), cs);
        AdminClient.Reply r = f.transfer(session, Map.of("CheckIfDuringWorkingHours", 1));
        if (r.ok()) {
            desk.human().endSession(f.tenant, session); // the member's seat is free again for the next moment
            return 0;
        }
        assertEquals("Chatbot", f.state(session), "a transfer refused outside working hours leaves the robot serving");
        return r.code();
    }

    @Test
    void aWeeklyPlanWithTwoPeriodsADayAndAPeriodCrossingMidnight() {
        String m = f.member("wh-weekly@wh.com", "Wei", MemberStatus.FREE);
        String cs = account("wh-weekly", 1, periods("Monday", "09:00-11:30,14:00-18:00", "Friday", "22:00-02:00",
                "Sunday", "20:00-24:00"), m);
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("2026-09-28T08:59:59", 141003); // Monday before the first period
        expected.put("2026-09-28T09:00:00", 0); // Start included
        expected.put("2026-09-28T11:29:00", 0);
        expected.put("2026-09-28T11:30:00", 141003); // End excluded: the lunch break
        expected.put("2026-09-28T14:00:00", 0); // the second period of the day
        expected.put("2026-09-28T18:00:00", 141003);
        expected.put("2026-09-29T10:00:00", 141003); // Tuesday is not in the plan
        expected.put("2026-10-02T21:59:00", 141003); // Friday before its night period
        expected.put("2026-10-02T23:30:00", 0);
        expected.put("2026-10-03T01:59:00", 0); // Saturday morning, still Friday's period
        expected.put("2026-10-03T02:00:00", 141003);
        expected.put("2026-10-04T23:59:00", 0); // Sunday to 24:00
        expected.put("2026-10-05T00:00:00", 141003); // ... which is Monday 00:00, not in the plan
        Map<String, Integer> got = new java.util.LinkedHashMap<>();
        for (String moment : expected.keySet()) {
            at(moment);
            got.put(moment, checkedTransfer(cs));
        }
        assertEquals(expected, got);
    }

    @Test
    void theAppsTimeZoneDecides() {
        String m = f.member("wh-zone@wh.com", "Zoe", MemberStatus.FREE);
        String cs = account("wh-zone", 1, periods("Monday", "09:00-18:00"), m);
        at("2026-09-28T10:00:00"); // Monday 10:00 in Shanghai is Monday 02:00 UTC
        assertEquals(0, checkedTransfer(cs));
        desk.team().updateSettings(f.tenant, new TeamService.SettingsChange(null, null, null, null, "UTC"));
        assertEquals(141003, checkedTransfer(cs), "the same moment is outside 09:00-18:00 in UTC");
    }

    @Test
    void theFlagsOfTransferToHuman() {
        String m = f.member("wh-flags@wh.com", "Fei", MemberStatus.FREE);
        String cs = account("wh-flags", 1, periods("Monday", "09:00-18:00"), m);
        at("2026-09-28T20:00:00");
        String quiet = f.session("wh-quiet", cs);
        String loud = f.session("wh-loud", cs);
        String unchecked = f.session("wh-unchecked", cs);
        try (Visitor v1 = Visitor.a(port, "wh-quiet"); Visitor v2 = Visitor.a(port, "wh-loud")) {
            AdminClient.Reply r = f.transfer(quiet, Map.of("CheckIfDuringWorkingHours", 1));
            assertEquals(141003, r.code(), r.raw());
            assertTrue(r.info().contains("working hours"), r.info());
            assertEquals(141003, f.transfer(loud, Map.of("CheckIfDuringWorkingHours", 1, "SendPromptNotDuringWorkingHours", 1))
                    .code());
            v2.await(TransferToHumanTest.says(cs, NOT_WORK_TIME), "SendPromptNotDuringWorkingHours 1 sends NotWorkTimePrompt");
            assertTrue(v1.drain(500).stream().noneMatch(TransferToHumanTest.says(cs, NOT_WORK_TIME)),
                    "without SendPromptNotDuringWorkingHours the user is told nothing");
        }
        assertEquals(m, f.transfer(unchecked, Map.of()).json().path("AgentId").asText(),
                "CheckIfDuringWorkingHours 0 (the default) routes whatever the hour");
        assertEquals(141004, f.transfer(quiet, Map.of("CheckIfDuringWorkingHours", 2)).code());
    }

    @Test
    void theUsersOwnRequestMeetsTheWorkingHours() {
        String m = f.member("wh-robot@wh.com", "Rui", MemberStatus.FREE);
        String cs = account("wh-robot", 1, periods("Monday", "09:00-18:00"), m);
        at("2026-09-28T19:00:00");
        try (Visitor v = Visitor.a(port, "wh-robot-user")) {
            v.send(cs, Bodies.custom(Bodies.START));
            v.await(Visitor.textFrom(cs), "welcome");
            v.send(cs, Bodies.text("转人工"));
            v.await(TransferToHumanTest.says(cs, NOT_WORK_TIME), "outside working hours the user is told when to come back");
            String session = client.okA("desk_http_svc", "get_session_state", Map.of("ClientUserId", "wh-robot-user",
                    "CustomerServiceId", cs)).json().path("SessionId").asText();
            assertEquals("Chatbot", f.state(session));
            assertEquals(0, f.active(m));
            at("2026-09-28T10:00:00");
            v.send(cs, Bodies.text("转人工"));
            v.await(TransferToHumanTest.says(cs, "转接人工成功，客服Rui为您服务"), "within working hours the member takes it");
            assertEquals("Agent/" + m, f.state(session));
        }
    }

    @Test
    void legalWorkingDaysFollowTheAppsCalendar() {
        String m = f.member("wh-legal@wh.com", "Li", MemberStatus.FREE);
        // Type 2: Monday's hours for every working day Periods does not list; Friday its own, shorter
        String cs = account("wh-legal", 2, periods("Monday", "09:00-18:00", "Friday", "09:00-12:00"), m);
        client.okA("desk_http_svc", "update_workday_calendar", Map.of("Days", List.of(
                Map.of("Date", "2026-10-02", "Workday", 0), Map.of("Date", "2026-10-05", "Workday", 0),
                Map.of("Date", "2026-10-10", "Workday", 1))));
        JsonNodeAssert.days(client.okA("desk_http_svc", "get_workday_calendar", Map.of("From", "2026-09-01", "To",
                "2026-12-31")).json().path("Days"), "2026-10-02=0,2026-10-05=0,2026-10-10=1");
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("2026-10-01T10:00:00", 0); // Thursday, a usual working day with Monday's hours
        expected.put("2026-10-01T18:30:00", 141003);
        expected.put("2026-10-02T10:00:00", 141003); // Friday, a public holiday
        expected.put("2026-10-03T10:00:00", 141003); // Saturday, as usual
        expected.put("2026-10-05T10:00:00", 141003); // Monday, a holiday
        expected.put("2026-10-09T11:00:00", 0); // Friday, its own hours
        expected.put("2026-10-09T13:00:00", 141003);
        expected.put("2026-10-10T10:00:00", 0); // Saturday worked (调休), Monday's hours
        Map<String, Integer> got = new java.util.LinkedHashMap<>();
        for (String moment : expected.keySet()) {
            at(moment);
            got.put(moment, checkedTransfer(cs));
        }
        assertEquals(expected, got);
        // removing a date gives it back its usual meaning
        client.okA("desk_http_svc", "update_workday_calendar", Map.of("RemoveDates", List.of("2026-10-02")));
        at("2026-10-02T10:00:00");
        assertEquals(0, checkedTransfer(cs));
        JsonNodeAssert.days(client.okA("desk_http_svc", "get_workday_calendar", Map.of("From", "2026-10-01", "To",
                "2026-10-31")).json().path("Days"), "2026-10-05=0,2026-10-10=1");
    }

    @Test
    void badCalendarRequestsAnswer141004AndChangeNothing() {
        List<Map<String, Object>> bad = List.of(
                Map.of(),
                Map.of("Days", List.of(Map.of("Date", "2027-13-01", "Workday", 1))),
                Map.of("Days", List.of(Map.of("Date", "2027/10/01", "Workday", 1))),
                Map.of("Days", List.of(Map.of("Date", "2027-02-30", "Workday", 1))),
                Map.of("Days", List.of(Map.of("Date", "2027-11-11", "Workday", 2))),
                Map.of("Days", List.of(Map.of("Date", "2027-11-11", "Workday", "1"))),
                Map.of("Days", List.of(Map.of("Date", "2027-11-11"))),
                Map.of("Days", List.of(Map.of("Date", "2027-11-11", "Workday", 1)), "RemoveDates", List.of("2027-11-11")),
                Map.of("RemoveDates", List.of(20271111)));
        for (Map<String, Object> body : bad) {
            AdminClient.Reply r = client.callA("desk_http_svc", "update_workday_calendar", body);
            assertEquals(141004, r.code(), body + " -> " + r.raw());
            assertTrue(!r.info().isBlank() && !r.info().contains("Exception"), r.info());
        }
        assertEquals(0, client.okA("desk_http_svc", "get_workday_calendar", Map.of("From", "2027-11-01", "To", "2027-11-30"))
                .json().path("Days").size(), "nothing of a refused call was stored");
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("From", "2027-11-01"),
                Map.of("From", "2027-11-30", "To", "2027-11-01"), Map.of("From", "2000-01-01", "To", "2027-01-01"))) {
            assertEquals(141004, client.callA("desk_http_svc", "get_workday_calendar", body).code(), body.toString());
        }
    }

    /** Compares a calendar answer with "date=workday,..." */
    private static final class JsonNodeAssert {
        static void days(com.fasterxml.jackson.databind.JsonNode days, String expected) {
            List<String> got = new java.util.ArrayList<>();
            days.forEach(d -> got.add(d.path("Date").asText() + "=" + d.path("Workday").asInt()));
            assertEquals(expected, String.join(",", got));
        }
    }
}
