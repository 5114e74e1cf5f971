package org.opencache.node.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real file system of a few hundred KiB (a tmpfs mounted on a test's directory), so that a
 * test meets a genuine {@code ENOSPC} ("No space left on device") rather than a simulated one.
 * Mounting needs root with {@code CAP_SYS_ADMIN} (the tests run so); elsewhere the test is
 * skipped, with the reason.
 */
public final class TinyFilesystem implements AutoCloseable {
    private final Path root;

    private TinyFilesystem(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code bytes} on {@code directory} (which must exist), or skips the test. */
    public static TinyFilesystem mount(Path directory, long bytes) throws IOException, InterruptedException {
        String output = run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", directory.toString());
        Assumptions.assumeTrue(output == null, () -> "cannot mount a tmpfs (needs root): " + output);
        return new TinyFilesystem(directory);
    }

    /** The mounted directory. */
    public Path root() {
        return root;
    }

    /**
     * Fills the file system with a file of zeros, leaving about {@code free} bytes: the space
     * other files on a shared disk would take.
     */
    public Path fillLeaving(long free) throws IOException {
        Path ballast = root.resolve("ballast");
        long size = Files.getFileStore(root).getUsableSpace() - free;
        byte[] block = new byte[4096];
        try (var out = Files.newOutputStream(ballast)) {
            for (long written = 0; written + block.length <= size; written += block.length) {
                out.write(block);
            }
        }
        return ballast;
    }

    /** Unmounts; what was in it is gone. */
    @Override
    public void close() throws IOException {
        String output;
        try {
            output = run("umount", "-l", root.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            output = "interrupted";
        }
        if (output != null) {
            throw new IOException("cannot unmount " + root + ": " + output);
        }
    }

    /** Runs a command; null if it succeeded, else its output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
    }
}
