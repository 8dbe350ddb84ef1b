package io.github.sfnfail.camel.success;

/**
 * Checks that a text is one JSON value (RFC 8259), as Step Functions requires of a task's output, without building
 * anything: a success report's output is checked on every call, so the check allocates nothing but itself and reads
 * each character once. Nesting is kept on a small stack of its own, never on the thread's, so no depth overflows it.
 */
final class JsonSyntax {

    /** Where a text stops being JSON, and what was found there. */
    record Problem(int position, String what) {
    }

    private static final byte IN_OBJECT = 1;
    private static final byte IN_ARRAY = 2;

    private final CharSequence text;
    private final int length;
    private int at;
    private byte[] open = new byte[16];
    private int depth;
    private Problem problem;

    private JsonSyntax(CharSequence text) {
        this.text = text;
        this.length = text.length();
    }

    /** @return null when the text is one JSON value, with whitespace around it at most; else the first problem */
    static Problem check(CharSequence text) {
        return new JsonSyntax(text).check();
    }

    private Problem check() {
        boolean valueNext = true;
        while (true) {
            skipWhitespace();
            if (valueNext) {
                if (!value()) {
                    return problem;
                }
                // a non-empty object or array just opened: its first value comes next
                valueNext = justOpened();
                continue;
            }
            if (depth == 0) {
                return at == length ? null : found("unexpected " + describe(text.charAt(at)) + " after the JSON value");
            }
            boolean inObject = open[depth - 1] == IN_OBJECT;
            if (at == length) {
                return found("the text ends inside " + (inObject ? "an object" : "an array"));
            }
            char c = text.charAt(at);
            if (c == ',') {
                at++;
                if (inObject && !memberName()) {
                    return problem;
                }
                valueNext = true;
            } else if (c == (inObject ? '}' : ']')) {
                at++;
                depth--;
            } else {
                return found("unexpected " + describe(c) + " where ',' or '" + (inObject ? '}' : ']')
                             + "' is expected");
            }
        }
    }

    /** Set by {@link #value()} when it opened an object or array that is not empty: a value (or member) comes next. */
    private boolean valueOpened;

    private boolean justOpened() {
        boolean opened = valueOpened;
        valueOpened = false;
        return opened;
    }

    /** Reads a scalar whole, or the start of an object or array (with its first member name). */
    private boolean value() {
        if (at == length) {
            return fail("the text ends where a value is expected");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{' -> {
                return !open(IN_OBJECT, '}') || memberNameAt();
            }
            case '[' -> {
                open(IN_ARRAY, ']');
                return true;
            }
            case '"' -> {
                return string();
            }
            case 't' -> {
                return literal("true");
            }
            case 'f' -> {
                return literal("false");
            }
            case 'n' -> {
                return literal("null");
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                return fail("unexpected " + describe(c) + " where a value is expected");
            }
        }
    }

    /** @return whether the object or array just begun has something in it (else it is read whole, closed at once) */
    private boolean open(byte container, char close) {
        at++;
        skipWhitespace();
        if (at < length && text.charAt(at) == close) {
            at++;
            return false;
        }
        push(container);
        valueOpened = true;
        return true;
    }

    /** After a ',' in an object: the next member's name and its ':'. */
    private boolean memberName() {
        skipWhitespace();
        return memberNameAt();
    }

    private boolean memberNameAt() {
        if (at == length || text.charAt(at) != '"') {
            return fail(at == length ? "the text ends where a member name is expected"
                    : "unexpected " + describe(text.charAt(at)) + " where a member name (a string) is expected");
        }
        if (!string()) {
            return false;
        }
        skipWhitespace();
        if (at == length || text.charAt(at) != ':') {
            return fail(at == length ? "the text ends where ':' is expected"
                    : "unexpected " + describe(text.charAt(at)) + " where ':' is expected");
        }
        at++;
        return true;
    }

    private boolean string() {
        int start = at;
        at++;
        while (at < length) {
            char c = text.charAt(at);
            if (c == '"') {
                at++;
                return true;
            }
            if (c < 0x20) {
                return fail("a control character (U+" + String.format("%04X", (int) c) + ") inside a string; it must "
                            + "be escaped");
            }
            if (c == '\\') {
                if (at + 1 == length) {
                    break;
                }
                char escaped = text.charAt(at + 1);
                if (escaped == 'u') {
                    for (int i = 2; i <= 5; i++) {
                        if (at + i >= length || !isHexDigit(text.charAt(at + i))) {
                            return fail("an invalid \\u escape inside a string");
                        }
                    }
                    at += 4;
                } else if ("\"\\/bfnrt".indexOf(escaped) < 0) {
                    return fail("an invalid escape \\" + escaped + " inside a string");
                }
                at++;
            }
            at++;
        }
        at = start;
        return fail("a string that is never closed");
    }

    private boolean number() {
        if (text.charAt(at) == '-') {
            at++;
        }
        if (at < length && text.charAt(at) == '0') {
            at++;
        } else if (!digits()) {
            return fail("a number without digits");
        }
        if (at < length && text.charAt(at) == '.') {
            at++;
            if (!digits()) {
                return fail("a number with no digit after its decimal point");
            }
        }
        if (at < length && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < length && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            if (!digits()) {
                return fail("a number with no digit in its exponent");
            }
        }
        return true;
    }

    private boolean digits() {
        int start = at;
        while (at < length && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at > start;
    }

    private boolean literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (at + i >= length || text.charAt(at + i) != word.charAt(i)) {
                at += i;
                return fail(at == length ? "the text ends inside " + word
                        : "unexpected " + describe(text.charAt(at)) + " where " + word + " was begun");
            }
        }
        at += word.length();
        return true;
    }

    private void push(byte container) {
        if (depth == open.length) {
            open = java.util.Arrays.copyOf(open, depth * 2);
        }
        open[depth++] = container;
    }

    private void skipWhitespace() {
        while (at < length) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            at++;
        }
    }

    private boolean fail(String what) {
        problem = new Problem(at, what);
        return false;
    }

    private Problem found(String what) {
        return new Problem(at, what);
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String describe(char c) {
        if (c < 0x20 || c > 0x7e) {
            return String.format("character U+%04X", (int) c);
        }
        return "'" + c + "'";
    }
}
