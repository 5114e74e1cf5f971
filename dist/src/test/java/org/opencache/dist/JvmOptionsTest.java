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
    private static final OperatorJvmOptions NONE = OperatorJvmOptions.parse("");

    /** The options with nothing set by the operator and no tuning accepted: the heap alone. */
    private static List<String> options(String... args) {
        return JvmOptions.options(NONE, tuning -> false, args);
    }

    private String config(String... lines) throws Exception {
        Path file = dir.resolve("opencache.conf");
        Files.writeString(file, "[config]\n" + String.join("\n", lines) + "\n");
        return file.toString();
    }

    @Test
    void nodeGetsMaxCacheSizePlusHeadroom() throws Exception {
        assertEquals(List.of("-Xmx192m", "-Xms96m", SIZED),
                options("--node", "--config", config("max_cache_size = 64MB")));
    }

    @Test
    void bothRolesInEitherOrderAndTheDefaultCacheSize() throws Exception {
        String file = config("verbosity = 2");
        List<String> expected = List.of("-Xmx" + (1024 + 128 + 64) + "m", "-Xms" + (1024 + 128 + 64) / 2 + "m", SIZED);
        assertEquals(expected, options("--controller", "--node", "--config", file));
        assertEquals(expected, options("--config", file, "--node", "--controller"));
    }

    @Test
    void controllerAloneIgnoresMaxCacheSize() throws Exception {
        assertEquals("-Xmx64m", options("--controller", "--config", config("max_cache_size = 4GB")).get(0));
    }

    @Test
    void unboundedMemoryTierPrintsNothing() throws Exception {
        assertEquals(List.of(), options("--node", "--controller", "--config", config("max_cache_size = 0B")));
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
        assertEquals(List.of(), options("--config", config("max_cache_size = 64MB")));
        assertEquals(List.of(), options("--node"));
        assertEquals(List.of(), options());
    }

    @Test
    void theOperatorsHeapWinsWhereverItIsSet() throws Exception {
        String file = config("max_cache_size = 64MB");
        for (String given : List.of("-Xmx300m", "-XX:MaxHeapSize=300m", "-XX:MaxRAMPercentage=50", "-XX:MaxRAM=1g")) {
            assertEquals(List.of(), JvmOptions.options(OperatorJvmOptions.parse("-Dx=y " + given), tuning -> false,
                    "--node", "--config", file), given);
        }
        assertEquals(List.of("-Xmx192m", SIZED), JvmOptions.options(OperatorJvmOptions.parse("-Xms50m"),
                tuning -> false, "--node", "--config", file));
    }

    @Test
    void tuningsTheJvmAcceptsArePrintedUnlessTheOperatorSetThem() throws Exception {
        String file = config("max_cache_size = 64MB");
        List<String> all = JvmOptions.TUNINGS.stream().map(JvmOptions.Tuning::option).toList();
        List<String> printed = JvmOptions.options(NONE, tuning -> true, "--node", "--config", file);
        assertEquals(all, printed.subList(3, printed.size()));
        assertEquals(List.of("-Xmx192m", "-Xms96m", SIZED, "-XX:TrimNativeHeapInterval=5000"),
                JvmOptions.options(NONE, tuning -> tuning.flag().startsWith("Trim"), "--node", "--config", file));
        assertEquals(List.of("-Xmx192m", "-Xms96m", SIZED, "-XX:TrimNativeHeapInterval=5000"),
                JvmOptions.options(OperatorJvmOptions.parse(" -XX:-UseCompactObjectHeaders "), tuning -> true,
                        "--node", "--config", file));
        assertEquals(List.of("-XX:+UseCompactObjectHeaders"), JvmOptions.options(
                OperatorJvmOptions.parse("-Xmx1g -XX:TrimNativeHeapInterval=0"), tuning -> true,
                "--node", "--config", file));
    }
}
