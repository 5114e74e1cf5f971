package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JvmOptions} with real config files read by the project's config reader. */
class JvmOptionsTest {
    @TempDir
    Path dir;

    private static final String SIZED = "-D" + JvmOptions.SIZED_PROPERTY + "=true";
    private static final String EXIT = JvmOptions.EXIT_ON_OUT_OF_MEMORY;
    private static final OperatorJvmOptions NONE = OperatorJvmOptions.parse("");

    /** The options with nothing set by the operator and no tuning accepted: the heap and the exit on out-of-memory. */
    private static List<String> options(String... args) {
        return JvmOptions.options(NONE, tuning -> false, args);
    }

    private String config(String... lines) throws Exception {
        Path file = dir.resolve("opencache.conf");
        Files.writeString(file, "[config]\n" + String.join("\n", lines) + "\n");
        return file.toString();
    }

    @Test
    void nodeGetsMaxCacheSizePlusHeadroomPlusItsIndex() throws Exception {
        assertEquals(List.of("-Xmx192m", "-Xms96m", SIZED, EXIT),
                options("--node", "--config", config("max_cache_size = 64MB", "max_disk = 16MB")));
        // The default max_disk of 10 GB: 320 MiB for the index.
        assertEquals(List.of("-Xmx512m", "-Xms256m", SIZED, EXIT),
                options("--node", "--config", config("max_cache_size = 64MB", "max_disk = 10GB")));
    }

    @Test
    void bothRolesInEitherOrderAndTheDefaultCacheSize() throws Exception {
        String file = config("verbosity = 2");
        int heap = 1024 + 128 + 320 + 64; // the default max_disk, 10 GB, adds 320 MiB for the index
        List<String> expected = List.of("-Xmx" + heap + "m", "-Xms" + heap / 2 + "m", SIZED, EXIT);
        assertEquals(expected, options("--controller", "--node", "--config", file));
        assertEquals(expected, options("--config", file, "--node", "--controller"));
    }

    @Test
    void controllerAloneIgnoresMaxCacheSize() throws Exception {
        assertEquals("-Xmx64m", options("--controller", "--config", config("max_cache_size = 4GB")).get(0));
    }

    @Test
    void unboundedMemoryTierPrintsNoHeap() throws Exception {
        assertEquals(List.of(EXIT), options("--node", "--controller", "--config", config("max_cache_size = 0B")));
    }

    @Test
    void unreadableConfigPrintsNothingForTheRealStartToReport() throws Exception {
        assertEquals(List.of(), options("--node", "--config", dir.resolve("nowhere.conf").toString()));
        assertEquals(List.of(), options("--node", "--config", config("max_cache_size = lots")));
        assertEquals(List.of(), options("--controller", "--config", config("controller_port = 70000")));
        assertEquals(List.of(), options("--node", "--config"));
    }

    @Test
    void noRoleOrNoConfigPrintsNothing() throws Exception {
        assertEquals(List.of(), options("--config", config("max_cache_size = 64MB", "max_disk = 16MB")));
        assertEquals(List.of(), options("--node"));
        assertEquals(List.of(), options());
    }

    @Test
    void theOperatorsHeapWinsWhereverItIsSet() throws Exception {
        String file = config("max_cache_size = 64MB", "max_disk = 16MB");
        for (String given : List.of("-Xmx300m", "-XX:MaxHeapSize=300m", "-XX:MaxRAMPercentage=50", "-XX:MaxRAM=1g")) {
            assertEquals(List.of(EXIT), JvmOptions.options(OperatorJvmOptions.parse("-Dx=y " + given), tuning -> false,
                    "--node", "--config", file), given);
        }
        assertEquals(List.of("-Xmx192m", SIZED, EXIT), JvmOptions.options(OperatorJvmOptions.parse("-Xms50m"),
                tuning -> false, "--node", "--config", file));
    }

    @Test
    void tuningsTheJvmAcceptsArePrintedUnlessTheOperatorSetThem() throws Exception {
        String file = config("max_cache_size = 64MB", "max_disk = 16MB");
        List<String> all = JvmOptions.TUNINGS.stream().map(JvmOptions.Tuning::option).toList();
        List<String> printed = JvmOptions.options(NONE, tuning -> true, "--node", "--config", file);
        assertEquals(all, printed.subList(4, printed.size()));
        assertEquals(List.of("-Xmx192m", "-Xms96m", SIZED, EXIT, "-XX:TrimNativeHeapInterval=5000"),
                JvmOptions.options(NONE, tuning -> tuning.flag().startsWith("Trim"), "--node", "--config", file));
        assertEquals(List.of("-Xmx192m", "-Xms96m", SIZED, EXIT, "-XX:TrimNativeHeapInterval=5000"),
                JvmOptions.options(OperatorJvmOptions.parse(" -XX:-UseCompactObjectHeaders "), tuning -> true,
                        "--node", "--config", file));
        assertEquals(List.of(EXIT, "-XX:+UseCompactObjectHeaders"), JvmOptions.options(
                OperatorJvmOptions.parse("-Xmx1g -XX:TrimNativeHeapInterval=0"), tuning -> true,
                "--node", "--config", file));
    }

    @Test
    void exitOnOutOfMemoryUnlessTheOperatorSaysWhatHappensOnOutOfMemory() throws Exception {
        String file = config("max_cache_size = 64MB", "max_disk = 16MB");
        for (String given : List.of("-XX:-ExitOnOutOfMemoryError", "-XX:+ExitOnOutOfMemoryError",
                "-XX:+CrashOnOutOfMemoryError", "-XX:-CrashOnOutOfMemoryError", "-XX:OnOutOfMemoryError=/bin/true")) {
            assertEquals(List.of("-Xmx192m", "-Xms96m", SIZED), JvmOptions.options(
                    OperatorJvmOptions.parse("-Dx=y " + given + " -Xss1m"), tuning -> false, "--node", "--config", file),
                    given);
        }
        // Options about other errors, or a heap dump on out-of-memory, do not say whether to exit.
        assertEquals(List.of("-Xmx192m", "-Xms96m", SIZED, EXIT), JvmOptions.options(OperatorJvmOptions.parse(
                "-XX:+HeapDumpOnOutOfMemoryError -XX:OnError=/bin/true"),
                tuning -> false, "--node", "--config", file));
    }
}
