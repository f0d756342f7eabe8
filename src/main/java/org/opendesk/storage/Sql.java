package org.opendesk.storage;

import io.helidon.dbclient.DbRow;

import java.util.List;
import java.util.StringJoiner;

/** Small helpers for SQL text and row values that differ between H2 and MariaDB drivers. */
public final class Sql {
    private Sql() {
    }

    /**
     * Named placeholders for an IN list: {@code (:p0, :p1, ...)}. The values are bound by
     * the caller as {@code p0, p1, ...} through {@link Params#list}.
     */
    public static String inList(String prefix, int size) {
        StringJoiner joiner = new StringJoiner(", ", "(", ")");
        for (int i = 0; i < size; i++) {
            joiner.add(":" + prefix + i);
        }
        return joiner.toString();
    }

    /**
     * A column's value as the driver gave it (null for SQL NULL). Not {@code DbColumn.get()}: that
     * wraps every value in a mapper Value first, which measured as the largest allocation of the
     * message path (every row of every read).
     */
    public static Object value(DbRow row, String column) {
        return row.column(column).get(Object.class);
    }

    /** A NOT NULL column as text (select nullable columns through COALESCE). */
    public static String string(DbRow row, String column) {
        Object v = value(row, column);
        return v == null ? null : v.toString();
    }

    public static long longValue(DbRow row, String column) {
        Object v = value(row, column);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new IllegalStateException("column " + column + " is not numeric: " + v);
    }

    public static int intValue(DbRow row, String column) {
        return Math.toIntExact(longValue(row, column));
    }

    /** Values of a list to bind as {@code prefix0..prefixN}. */
    public static Params listParams(Params params, String prefix, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            params.put(prefix + i, values.get(i));
        }
        return params;
    }
}
