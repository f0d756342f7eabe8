package org.opendesk.human;

import org.opendesk.imagent.ImAgentSettings;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Whether a moment is within a customer-service account's working hours (WorkTimeConfig), in the
 * app's time zone: Type 0 (or none) means always; Type 1 a weekly plan of Start-End periods per day
 * ("HH:MM", Start included, End excluded). The legal-workday calendar comes with the session-control work.
 */
final class WorkingHours {
    private WorkingHours() {
    }

    static boolean within(ImAgentSettings.WorkTimeConfig config, ZoneId zone, long epochMillis) {
        if (config == null || config.type() == null || config.type() != 1 || config.periods() == null) {
            return true;
        }
        ZonedDateTime at = Instant.ofEpochMilli(epochMillis).atZone(zone);
        String day = at.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        LocalTime time = at.toLocalTime();
        for (ImAgentSettings.DayPeriods d : config.periods()) {
            if (!day.equals(d.day()) || d.periodsWithinOneDay() == null) {
                continue;
            }
            for (ImAgentSettings.Period p : d.periodsWithinOneDay()) {
                LocalTime start = LocalTime.parse(p.start());
                LocalTime end = LocalTime.parse(p.end());
                if (!time.isBefore(start) && time.isBefore(end)) {
                    return true;
                }
            }
        }
        return false;
    }
}
