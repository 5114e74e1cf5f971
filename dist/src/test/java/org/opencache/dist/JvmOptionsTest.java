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

    private String config(String... lines) throws Exception {
        Path file = dir.resolve("opencache.conf");
        Files.writeString(file, "[config]\n" + String.join("\n", lines) + "\n");
        return file.toString();
    }

    @Test
    void nodeGetsMaxCacheSizePlusHeadroom() throws Exception {
        assertEquals(List.of("-Xmx192m", "-D" + JvmOptions.SIZED_PROPERTY + "=true"),
                JvmOptions.options("--node", "--config", config("max_cache_size = 64MB")));
    }

    @Test
    void bothRolesInEitherOrderAndTheDefaultCacheSize() throws Exception {
        String file = config("verbosity = 2");
        List<String> expected = List.of("-Xmx" + (1024 + 128 + 64) + "m", "-D" + JvmOptions.SIZED_PROPERTY + "=true");
        assertEquals(expected, JvmOptions.options("--controller", "--node", "--config", file));
        assertEquals(expected, JvmOptions.options("--config", file, "--node", "--controller"));
    }

    @Test
    void controllerAloneIgnoresMaxCacheSize() throws Exception {
        assertEquals("-Xmx64m", JvmOptions.options("--controller", "--config", config("max_cache_size = 4GB")).get(0));
    }

    @Test
    void unboundedMemoryTierPrintsNothing() throws Exception {
        assertEquals(List.of(), JvmOptions.options("--node", "--controller", "--config", config("max_cache_size = 0B")));
    }

    @Test
    void unreadableConfigPrintsNothingForTheRealStartToReport() throws Exception {
        assertEquals(List.of(), JvmOptions.options("--node", "--config", dir.resolve("nowhere.conf").toString()));
        assertEquals(List.of(), JvmOptions.options("--node", "--config", config("max_cache_size = lots")));
        assertEquals(List.of(), JvmOptions.options("--controller", "--config", config("controller_port = 70000")));
        assertEquals(List.of(), JvmOptions.options("--node", "--config"));
    }

    @Test
    void noRoleOrNoConfigPrintsNothing() throws Exception {
        assertEquals(List.of(), JvmOptions.options("--config", config("max_cache_size = 64MB")));
        assertEquals(List.of(), JvmOptions.options("--node"));
        assertEquals(List.of(), JvmOptions.options());
    }
}
