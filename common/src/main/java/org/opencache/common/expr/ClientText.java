package org.opencache.common.expr;

/**
 * The one way a client's input is echoed into an error message: control characters escaped (one
 * line, always) and at most a bounded number of characters, so that a megabyte of garbage gets a
 * short answer rather than itself back (docs/design.md §4, "Errors").
 */
public final class ClientText {
    /** The most characters of a client's input that one echo of it carries in an API error. */
    public static final int MAX_ECHO = 200;

    private static final String ELLIPSIS = "...";

    private ClientText() {
    }

    /** {@code text} for an API error's {@code data}: at most {@link #MAX_ECHO} characters. */
    public static String echo(String text) {
        return echo(text, MAX_ECHO);
    }

    /**
     * {@code text} with control characters escaped as {@code \\uXXXX}, shortened to {@code max}
     * characters (ending in {@code ...}) when longer.
     *
     * @param max at least 4
     */
    static String echo(String text, int max) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        if (i < text.length() || out.length() > max) {
            out.setLength(max - ELLIPSIS.length());
            out.append(ELLIPSIS);
        }
        return out.toString();
    }
}
