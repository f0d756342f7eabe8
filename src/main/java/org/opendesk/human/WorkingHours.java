package org.opendesk.human;

import org.opendesk.imagent.ImAgentSettings;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/**
 * Whether a moment is within a customer-service account's working hours (WorkTimeConfig), in the
 * app's time zone.
 * <ul>
 * <li>Type 0 (or none): always.</li>
 * <li>Type 1, the weekly plan (每周计划): the Start-End periods of the moment's weekday.</li>
 * <li>Type 2, legal working days (法定工作日, our extension of the vendor's 0/1): only on working days
 * of the app's calendar (Monday to Friday unless marked a holiday, a weekend day when marked a
 * working day); a working day has the periods of its weekday, or, when Periods does not list that
 * weekday (a working Sunday), those of the first weekday Periods lists from Monday on.</li>
 * </ul>
 * A period includes Start and excludes End; End "24:00" is midnight. A period whose End is not after its
 * Start crosses midnight: "22:00"-"06:00" on Friday runs to Saturday 06:00, and counts only when Friday is
 * a working day.
 */
final class WorkingHours {
    /** Which dates are working days under Type 2. */
    @FunctionalInterface
    interface Workdays {
        boolean workday(LocalDate date);
    }

    private WorkingHours() {
    }

    static boolean usualWorkday(LocalDate date) {
        return date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    /** Whether Type 2 applies, and so the calendar must be read. */
    static boolean usesCalendar(ImAgentSettings.WorkTimeConfig config) {
        return config != null && config.type() != null && config.type() == 2;
    }

    static boolean within(ImAgentSettings.WorkTimeConfig config, ZoneId zone, long epochMillis, Workdays calendar) {
        if (config == null || config.type() == null || config.type() == 0 || config.periods() == null) {
            return true;
        }
        boolean legal = config.type() == 2;
        ZonedDateTime at = Instant.ofEpochMilli(epochMillis).atZone(zone);
        LocalDate today = at.toLocalDate();
        LocalTime time = at.toLocalTime();
        if (!legal || calendar.workday(today)) {
            for (ImAgentSettings.Period p : periods(config, today, legal)) {
                LocalTime start = time(p.start());
                LocalTime end = time(p.end());
                if (!time.isBefore(start) && (crossesMidnight(start, end) || time.isBefore(end))) {
                    return true;
                }
            }
        }
        LocalDate yesterday = today.minusDays(1);
        if (!legal || calendar.workday(yesterday)) {
            for (ImAgentSettings.Period p : periods(config, yesterday, legal)) {
                LocalTime start = time(p.start());
                LocalTime end = time(p.end());
                if (crossesMidnight(start, end) && time.isBefore(end)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** End at or before Start: the period ends on the next day ("24:00" is the end of the same day). */
    static boolean crossesMidnight(LocalTime start, LocalTime end) {
        return !end.equals(LocalTime.MAX) && !end.isAfter(start);
    }

    /** "HH:MM", "24:00" as the end of the day. */
    static LocalTime time(String hhmm) {
        return hhmm.equals("24:00") ? LocalTime.MAX : LocalTime.parse(hhmm);
    }

    private static List<ImAgentSettings.Period> periods(ImAgentSettings.WorkTimeConfig config, LocalDate date,
                                                        boolean fallBack) {
        String day = date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        ImAgentSettings.DayPeriods first = null;
        int firstOrder = Integer.MAX_VALUE;
        for (ImAgentSettings.DayPeriods d : config.periods()) {
            if (d.periodsWithinOneDay() == null) {
                continue;
            }
            if (day.equals(d.day())) {
                return d.periodsWithinOneDay();
            }
            int order = DayOfWeek.valueOf(d.day().toUpperCase(Locale.ROOT)).getValue();
            if (order < firstOrder) {
                firstOrder = order;
                first = d;
            }
        }
        return fallBack && first != null ? first.periodsWithinOneDay() : List.of();
    }
}
