package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The version an operator reads is the same everywhere: {@code opencache --version} takes it from
 * the launcher jar's manifest, and a node reports its own jar's in its {@code hello}. Both come
 * from the Implementation-Version entry of the jars {@code bin/opencache} runs.
 */
class VersionIT {
    private static final Path TARGET = Path.of("target");

    @Test
    void everyOpenCacheJarCarriesTheLaunchersVersion() throws IOException {
        String launcher = version(TARGET.resolve("opencache.jar"));
        assertNotNull(launcher, "opencache.jar has no Implementation-Version");

        TreeMap<String, String> versions = new TreeMap<>();
        try (Stream<Path> jars = Files.list(TARGET.resolve("lib"))) {
            for (Path jar : jars.filter(jar -> jar.getFileName().toString().startsWith("opencache-")).toList()) {
                versions.put(jar.getFileName().toString().replaceAll("-[0-9].*", ""), version(jar));
            }
        }
        assertEquals(List.of("opencache-common", "opencache-controller", "opencache-node"),
                List.copyOf(versions.keySet()), "the module jars in lib/");
        versions.forEach((jar, version) -> assertEquals(launcher, version, jar + "'s Implementation-Version"));
    }

    private static String version(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        }
    }
}
