package dev.irsa;

/**
 * Text from input, made safe to print on a terminal or in a log line: control characters (C0, DEL, C1),
 * line and paragraph separators, format characters (Unicode bidi overrides, zero-width characters) and
 * lone surrogates are written as escapes ({@code \n}, {@code \u001b}, {@code \u202e}), so a rejected value
 * can neither drive the terminal nor start a line of its own; long text is cut with a marker.
 *
 * <pre>{@code
 * SafeText.escape("dev\u001b[31m\nrule: forged");   // "dev\u001b[31m\nrule: forged" (escapes as text, one line)
 * SafeText.shorten("x".repeat(500), 100);           // 100 x then "... (500 characters)"
 * }</pre>
 */
public final class SafeText {
    private SafeText() {
    }

    /** Escapes every character that is not printable text; everything else is kept as is. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escaped = escapeOf(text, i);
            if (escaped == null) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            out.append(escaped);
        }
        return out == null ? text : out.toString();
    }

    /** {@link #escape} then, when longer than {@code max} characters, the first {@code max} and "... (N characters)". */
    public static String shorten(String text, int max) {
        if (text == null) {
            return null;
        }
        String safe = escape(text);
        if (safe.length() <= max) {
            return safe;
        }
        int cut = Character.isHighSurrogate(safe.charAt(max - 1)) ? max - 1 : max;
        return safe.substring(0, cut) + "... (" + text.length() + " characters)";
    }

    private static String escapeOf(String text, int i) {
        char c = text.charAt(i);
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        if (Character.isSurrogate(c)) {
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                    : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
            return paired && !isUnsafe(text.codePointAt(Character.isHighSurrogate(c) ? i : i - 1)) ? null : unicode(c);
        }
        return isUnsafe(c) ? unicode(c) : null;
    }

    private static boolean isUnsafe(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static String unicode(char c) {
        return String.format("\\u%04x", (int) c);
    }
}
