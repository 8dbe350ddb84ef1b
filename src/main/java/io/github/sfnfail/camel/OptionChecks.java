package io.github.sfnfail.camel;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.camel.spi.UriParam;

/**
 * What the schemes check of option names and values as they are set, the same way for the shared aws-sfn prefix, a
 * scheme's own prefix and an endpoint's URI: a misspelled name is told the closest option, and a plain number under a
 * second for a duration is refused, since Camel would take it as milliseconds ({@code apiCallTimeout = 30} would allow
 * 30 ms, not 30 s).
 */
public final class OptionChecks {

    private static final Pattern PLAIN_NUMBER = Pattern.compile("\\s*\\d+\\s*");
    private static final Map<Class<?>, List<String>> OPTIONS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, List<String>> DURATIONS = new ConcurrentHashMap<>();

    private OptionChecks() {
    }

    /** The URI options of a configuration class, its superclasses' included, as they are named. */
    public static List<String> options(Class<?> configuration) {
        return OPTIONS.computeIfAbsent(configuration, type -> fields(type, false));
    }

    /** The options of a configuration class whose type is a duration (java.time.Duration, held as milliseconds). */
    public static List<String> durations(Class<?> configuration) {
        return DURATIONS.computeIfAbsent(configuration, type -> fields(type, true));
    }

    private static List<String> fields(Class<?> configuration, boolean durationsOnly) {
        List<String> names = new ArrayList<>();
        for (Class<?> type = configuration; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                UriParam param = field.getAnnotation(UriParam.class);
                if (param != null && (!durationsOnly || "java.time.Duration".equals(param.javaType()))) {
                    names.add(field.getName());
                }
            }
        }
        return List.copyOf(names);
    }

    /** The option among these that this name is in any case and with or without dashes, or null. */
    public static String named(String name, Collection<String> options) {
        String wanted = plain(name);
        return options.stream().filter(option -> plain(option).equals(wanted)).findFirst().orElse(null);
    }

    /**
     * The message for a name that is no option: the option it most likely meant, when one is close enough.
     *
     * @param prefix how the user wrote the option's place, such as "camel.component.aws-sfn."
     */
    public static String unknown(String prefix, String name, Collection<String> options) {
        String closest = closest(name, options);
        return "Unknown option " + prefix + name + (closest == null ? "" : ": did you mean " + prefix
                                                                           + dashed(closest, name) + "?")
               + " The options are " + String.join(", ", options);
    }

    /**
     * Refuses a plain number under a second for a duration option: Camel takes a plain number as milliseconds, so
     * {@code 30} would be 30 ms where 30 s is almost always meant. 0 (none, or the default) and 1000 or more are taken.
     *
     * @param where how the user wrote the option, such as "camel.component.aws-sfn.api-call-timeout"
     */
    public static void checkDuration(String where, Object value) {
        String text = value instanceof CharSequence || value instanceof Number ? value.toString() : null;
        if (text == null || !PLAIN_NUMBER.matcher(text).matches()) {
            return;
        }
        long millis;
        try {
            millis = Long.parseLong(text.trim());
        } catch (NumberFormatException tooLong) {
            return;
        }
        if (millis > 0 && millis < 1000) {
            throw new IllegalArgumentException(where + " = " + millis + " is a plain number, which would be " + millis
                                               + " milliseconds: write " + millis + "s for seconds, or " + millis
                                               + "ms if milliseconds are meant (a plain number under a second is "
                                               + "refused)");
        }
    }

    /** The option closest to a name, within a few edits, or null. */
    static String closest(String name, Collection<String> options) {
        String wanted = plain(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String option : options) {
            int distance = distance(wanted, plain(option));
            if (distance < bestDistance) {
                best = option;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(2, wanted.length() / 3) ? best : null;
    }

    /** The option as the user writes names: dashed when the name had dashes (as in properties files). */
    private static String dashed(String option, String asWritten) {
        if (!asWritten.contains("-")) {
            return option;
        }
        return option.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    private static String plain(String name) {
        return name.replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** Optimal string alignment distance: a swap of two neighbours (regoin, region) counts as one edit. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
