package org.opendesk.human;

import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The legal-workday calendar of an app (desk_workday): the dates that differ from the usual week, a
 * public holiday on a weekday (workday false) or a working weekend day (workday true). Every other
 * Monday to Friday is a working day and every other Saturday and Sunday is not.
 */
public final class WorkdayCalendar {
    /** One calendar date that differs from the usual week. */
    public record Day(LocalDate date, boolean workday) {
    }

    private static final String UPSERT = "INSERT INTO desk_workday (sdkappid, work_date, workday, updated_at) "
            + "VALUES (:sdkappid, :day, :workday, :now) ON DUPLICATE KEY UPDATE workday = :workday, updated_at = :now";
    private static final String REMOVE = "DELETE FROM desk_workday WHERE sdkappid = :sdkappid AND work_date = :day";
    private static final String RANGE = "SELECT work_date, workday FROM desk_workday WHERE sdkappid = :sdkappid "
            + "AND work_date >= :from AND work_date <= :to ORDER BY work_date";

    void set(TenantDb tx, List<Day> days, List<LocalDate> removed, long now) {
        for (Day d : days) {
            tx.dml("workday-upsert", UPSERT, Params.of("day", d.date().toString(), "workday", d.workday() ? 1 : 0)
                    .put("now", now));
        }
        for (LocalDate d : removed) {
            tx.dml("workday-remove", REMOVE, Params.of("day", d.toString()));
        }
    }

    /** The calendar's dates from {@code from} to {@code to}, both included, in order. */
    List<Day> between(TenantDb db, LocalDate from, LocalDate to) {
        return db.list("workday-range", RANGE, Params.of("from", from.toString(), "to", to.toString()),
                r -> new Day(LocalDate.parse(Sql.string(r, "work_date")), Sql.longValue(r, "workday") == 1));
    }

    /** The two dates a moment's working hours depend on (the day and the one before, for periods crossing midnight). */
    WorkingHours.Workdays around(TenantDb db, LocalDate day) {
        Map<LocalDate, Boolean> marked = new TreeMap<>();
        for (Day d : between(db, day.minusDays(1), day)) {
            marked.put(d.date(), d.workday());
        }
        return date -> marked.getOrDefault(date, WorkingHours.usualWorkday(date));
    }
}
