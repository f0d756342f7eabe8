package org.opendesk.matching;

/**
 * A standard question offered while the user types: {@code text} contains what was typed
 * at {@code [start, end)} (as a prefix when {@code start} is 0, else inside it).
 */
public record Suggestion(String id, String text, int start, int end) {
    /** The text with the matched part wrapped in {@code <span class="high-light">}, HTML-escaped otherwise. */
    public String highlighted() {
        if (start == end) {
            return escape(text);
        }
        return escape(text.substring(0, start)) + "<span class=\"high-light\">" + escape(text.substring(start, end))
                + "</span>" + escape(text.substring(end));
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
