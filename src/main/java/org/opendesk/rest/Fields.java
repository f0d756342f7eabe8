package org.opendesk.rest;

import java.net.URI;

/**
 * Checks of request fields shared by every service: each failure is an {@link InvalidRequest}
 * naming the field, which the dispatcher answers with the service's invalid-parameter code.
 */
public final class Fields {
    private Fields() {
    }

    /** A required text: not blank, at most {@code maxChars} characters; answered stripped. */
    public static String text(String field, String value, int maxChars) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequest(field + " is required and must not be empty");
        }
        String clean = value.strip();
        if (clean.codePointCount(0, clean.length()) > maxChars) {
            throw new InvalidRequest(field + " is longer than " + maxChars + " characters");
        }
        return clean;
    }

    /** An optional switch: null (absent) or 0 / 1. */
    public static Integer flag(String field, Integer value) {
        if (value != null && value != 0 && value != 1) {
            throw new InvalidRequest(field + " must be 0 (off) or 1 (on), got " + value);
        }
        return value;
    }

    /** Whether the text is an absolute http or https URL with a host and no fragment. */
    public static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawFragment() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
