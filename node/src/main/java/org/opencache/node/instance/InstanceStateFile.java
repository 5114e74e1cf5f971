package org.opencache.node.instance;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.opencache.common.json.Json;
import org.opencache.common.protocol.InstanceState;
import org.opencache.node.store.PrivateFiles;

/**
 * The node's instances as last commanded, kept in {@code cache_path/instances.json} so that a
 * restarted node brings back what was running (desired state, Helios-style). Written to a temp
 * file and renamed, so a crash leaves either the old or the new list, never half of one.
 */
final class InstanceStateFile {
    private static final TypeReference<List<InstanceState>> LIST = new TypeReference<>() { };

    private final Path file;

    InstanceStateFile(Path cachePath) {
        this.file = cachePath.resolve("instances.json");
    }

    /** The saved instances; empty when none were saved. */
    List<InstanceState> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(file.toFile(), LIST);
        } catch (IOException e) {
            throw new IOException(file + " is unreadable (" + e.getMessage() + "); "
                    + "fix or delete it to start without restoring instances", e);
        }
    }

    void save(List<InstanceState> instances) throws IOException {
        PrivateFiles.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp); // left by a crash; created anew so that it is 0600
        PrivateFiles.writeNew(temp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(instances));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
