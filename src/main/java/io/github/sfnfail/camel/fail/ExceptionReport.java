package io.github.sfnfail.camel.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Describes an exception the way AWS Lambda reports errors to Step Functions, so that state machines written for Lambda
 * workers work unchanged: the error is the exception's class name (what {@code "ErrorEquals":
 * ["java.lang.IllegalStateException"]} matches) and the cause is JSON
 * {@code {"errorMessage", "errorType", "stackTrace": [...], "cause": {...}}} that {@code States.StringToJson($.Cause)}
 * can read.
 */
public final class ExceptionReport {

    /** Guards against pathological or cyclic cause chains. */
    private static final int MAX_CHAIN_DEPTH = 20;

    private ExceptionReport() {
    }

    public static String errorName(Throwable exception, int limit) {
        String name = exception.getClass().getName();
        return name.length() <= limit ? name : name.substring(0, limit);
    }

    /**
     * The cause as JSON of at most {@code limit} characters. Stack frames are dropped first (the deepest of each
     * exception), the messages are cut only when no frame is left and it still does not fit: the message is what a person
     * acts on.
     */
    public static String causeJson(Throwable exception, int limit) {
        List<Throwable> chain = chainOf(exception);
        int mostFrames = chain.stream().mapToInt(t -> t.getStackTrace().length).max().orElse(0);
        int longestMessage = chain.stream().mapToInt(t -> t.getMessage() == null ? 0 : t.getMessage().length()).max()
                .orElse(0);
        int frames = largestFitting(mostFrames, n -> render(chain, n, longestMessage).length() <= limit);
        if (frames >= 0) {
            return render(chain, frames, longestMessage);
        }
        int messageLength = largestFitting(longestMessage, n -> render(chain, 0, n).length() <= limit);
        if (messageLength >= 0) {
            return render(chain, 0, messageLength);
        }
        // only a chain of absurdly long class names gets here: the outermost exception alone
        return render(chain.subList(0, 1), 0, 0);
    }

    private static List<Throwable> chainOf(Throwable exception) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = exception; t != null && chain.size() < MAX_CHAIN_DEPTH && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The largest n in [0, high] that fits, or -1; fits(n) must hold for every n below one that holds. */
    private static int largestFitting(int high, IntPredicate fits) {
        if (fits.test(high)) {
            return high;
        }
        if (!fits.test(0)) {
            return -1;
        }
        int low = 0;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (fits.test(mid)) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    private static String render(List<Throwable> chain, int maxFrames, int maxMessageLength) {
        StringBuilder json = new StringBuilder(256);
        for (int i = 0; i < chain.size(); i++) {
            Throwable t = chain.get(i);
            if (i > 0) {
                json.append(",\"cause\":");
            }
            json.append("{\"errorMessage\":");
            String message = t.getMessage();
            if (message == null) {
                json.append("null");
            } else {
                appendString(json, FailureReportLimits.truncate(message, maxMessageLength));
            }
            json.append(",\"errorType\":");
            appendString(json, t.getClass().getName());
            json.append(",\"stackTrace\":[");
            StackTraceElement[] frames = t.getStackTrace();
            int first = firstOwnFrame(frames);
            for (int f = first; f < Math.min(first + maxFrames, frames.length); f++) {
                if (f > first) {
                    json.append(',');
                }
                appendString(json, frames[f].toString());
            }
            json.append(']');
        }
        json.append("}".repeat(chain.size()));
        return json.toString();
    }

    /**
     * The first frame after the reflection frames an exception made by reflection starts with (Camel's throwException
     * with an exception type makes it through its constructor): the cause starts where the exception was made.
     */
    private static int firstOwnFrame(StackTraceElement[] frames) {
        int first = 0;
        while (first < frames.length && isReflection(frames[first].getClassName())) {
            first++;
        }
        return first == frames.length ? 0 : first;
    }

    private static boolean isReflection(String className) {
        return className.startsWith("jdk.internal.reflect.") || className.startsWith("java.lang.reflect.")
               || className.startsWith("sun.reflect.") || className.startsWith("java.lang.invoke.");
    }

    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !isPaired(value, i)) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    private static boolean isPaired(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }
}
