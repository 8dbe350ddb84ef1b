package io.github.sfnfail.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The activity worker's task journal as a host's configuration turned it on: the tasks went through it, and its
 * directory and files are the owner's only (they hold task tokens).
 */
public final class JournalOnDisk {

    private JournalOnDisk() {
    }

    /**
     * @param tasksJournaled the worker's figure (its endpoint's {@code getTasksJournaled})
     * @param directory      the {@code journal-directory} the configuration names
     */
    public static void assertTasksWentThrough(LongSupplier tasksJournaled, Path directory) {
        long journaled = tasksJournaled.getAsLong();
        if (journaled < 1) {
            throw new AssertionError("no task went through the journal in " + directory + " (tasksJournaled "
                                     + journaled + "): is journal-directory bound?");
        }
        String directoryMode = mode(directory);
        if (!directoryMode.equals("rwx------")) {
            throw new AssertionError("journal directory " + directory + " is " + directoryMode + ", not rwx------");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(file -> file.toString().endsWith(".journal")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty()) {
            throw new AssertionError("no .journal file in " + directory);
        }
        for (Path file : files) {
            if (!mode(file).equals("rw-------")) {
                throw new AssertionError("journal file " + file + " is " + mode(file) + ", not rw-------");
            }
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
