package io.github.sfnfail.camel.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The tokens a killed worker's file journal still holds, read the way the next start reads them (the component page's
 * format: "A millis token crc" records a task, "R token crc" removes it, a last line without its line feed was never
 * finished), for the soak to tell a task in hand at a SIGKILL that the journal had from one handed as the kill came.
 */
final class KilledJournal {

    private KilledJournal() {
    }

    static Set<String> liveTokens(Path directory) {
        Set<String> live = new HashSet<>();
        if (!Files.isDirectory(directory)) {
            return live;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".journal")).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n');
                for (String line : text.substring(0, end + 1).split("\n")) {
                    String[] fields = line.split(" ");
                    if (fields.length == 4 && fields[0].equals("A")) {
                        live.add(unescape(fields[2]));
                    } else if (fields.length == 3 && fields[0].equals("R")) {
                        live.remove(unescape(fields[1]));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return live;
    }

    /** %XX back to its byte (the stand-in's tokens have none, but the format allows them). */
    private static String unescape(String field) {
        if (field.indexOf('%') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '%' && i + 2 < field.length()) {
                out.append((char) Integer.parseInt(field, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
