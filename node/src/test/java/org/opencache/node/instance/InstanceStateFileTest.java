package org.opencache.node.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;

/** cache_path/instances.json: written aside and moved in, private to the node's user. */
class InstanceStateFileTest {
    @TempDir
    Path root;

    @Test
    void savedListReadsBackAndIsPrivate() throws IOException {
        Path cachePath = root.resolve("cache");
        InstanceStateFile file = new InstanceStateFile(cachePath);
        List<InstanceState> instances = List.of(new InstanceState("example.com", InstanceStatus.START, 49003, 60));
        // A temp file a crash left behind with the umask's mode must not keep that mode.
        Files.createDirectories(cachePath);
        Files.writeString(cachePath.resolve("instances.json.tmp"), "[]");
        Files.setPosixFilePermissions(cachePath.resolve("instances.json.tmp"), PosixFilePermissions.fromString("rw-r--r--"));

        file.save(instances);
        file.save(instances);

        assertEquals(instances, file.load());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cachePath.resolve("instances.json"))));
    }
}
