package io.github.sfnfail.camel.journal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The file journal's format, version 1: UTF-8 text, one record a line, each line ending with the CRC-32 of what comes
 * before it on the line (8 hex digits) and a line feed.
 *
 * <pre>
 * H sfn-task-journal/1 ACTIVITY_ARN WORKER_NAME CRC    the header, once, first
 * A EPOCH_MILLIS TOKEN CRC                             a task recorded (when, and its token)
 * R TOKEN CRC                                          a task removed
 * </pre>
 *
 * <p>Fields are separated by one space; a byte outside {@code !} to {@code ~}, and {@code %} itself, is written as
 * {@code %XX} (real task tokens, base64-like, are written as they are). On read, a last line without its line feed (a
 * write the process did not finish) is ignored; a line whose CRC does not match is skipped and counted as damaged.
 */
final class JournalFormat {

    static final String MAGIC = "sfn-task-journal/1";

    private JournalFormat() {
    }

    /** What a journal file held. */
    static final class Contents {
        /** token → when it was recorded (epoch millis), in the order recorded */
        final Map<String, Long> live = new LinkedHashMap<>();
        int records;
        int damaged;
        int tornBytes;
    }

    /** The file is not a journal of this identity (no header, another header, or damaged beyond reading). */
    static final class NotAJournal extends Exception {
        private static final long serialVersionUID = 1L;

        NotAJournal(String message) {
            super(message);
        }
    }

    static byte[] header(String activityArn, String workerName) {
        return line("H " + MAGIC + " " + escape(activityArn) + " " + escape(workerName));
    }

    static void appendAdd(ByteArrayOutputStream out, String token, long millis) {
        out.writeBytes(line("A " + millis + " " + escape(token)));
    }

    static void appendRemove(ByteArrayOutputStream out, String token) {
        out.writeBytes(line("R " + escape(token)));
    }

    private static byte[] line(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (body + " " + String.format("%08x", crc.getValue()) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    static Contents read(byte[] data, String activityArn, String workerName) throws NotAJournal {
        Contents contents = new Contents();
        int start = 0;
        boolean header = true;
        while (start < data.length) {
            int end = indexOf(data, (byte) '\n', start);
            if (end < 0) {
                contents.tornBytes = data.length - start;
                break;
            }
            String line = new String(data, start, end - start, StandardCharsets.ISO_8859_1);
            start = end + 1;
            String body = checked(line);
            if (header) {
                String expected = "H " + MAGIC + " " + escape(activityArn) + " " + escape(workerName);
                if (body == null || !body.equals(expected)) {
                    throw new NotAJournal(body == null ? "its first line is not a journal header"
                            : body.startsWith("H " + MAGIC + " ") ? "its header names another activity or worker"
                            : "its first line is not a version 1 journal header");
                }
                header = false;
                continue;
            }
            if (body == null || !apply(body, contents)) {
                contents.damaged++;
            } else {
                contents.records++;
            }
        }
        if (header) {
            throw new NotAJournal("it has no complete header");
        }
        return contents;
    }

    private static boolean apply(String body, Contents contents) {
        String[] fields = body.split(" ", -1);
        try {
            if (fields.length == 3 && fields[0].equals("A")) {
                contents.live.putIfAbsent(unescape(fields[2]), Long.parseLong(fields[1]));
                return true;
            }
            if (fields.length == 2 && fields[0].equals("R")) {
                contents.live.remove(unescape(fields[1]));
                return true;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return false;
    }

    /** The line's body if its CRC matches, else null. */
    private static String checked(String line) {
        int space = line.lastIndexOf(' ');
        if (space < 0 || line.length() - space != 9) {
            return null;
        }
        String body = line.substring(0, space);
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.ISO_8859_1));
        try {
            return Long.parseLong(line.substring(space + 1), 16) == crc.getValue() ? body : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static String escape(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = null;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = b >= '!' && b <= '~' && b != '%';
            if (!plain && out == null) {
                out = new StringBuilder(bytes.length + 16);
                out.append(new String(bytes, 0, i, StandardCharsets.US_ASCII));
            }
            if (out != null) {
                if (plain) {
                    out.append((char) b);
                } else {
                    out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
            }
        }
        return out == null ? text : out.toString();
    }

    static String unescape(String field) {
        if (field.isEmpty()) {
            throw new IllegalArgumentException("empty field");
        }
        if (field.indexOf('%') < 0) {
            return field;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '%') {
                if (i + 2 >= field.length()) {
                    throw new IllegalArgumentException("a cut escape");
                }
                out.write(Integer.parseInt(field, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
