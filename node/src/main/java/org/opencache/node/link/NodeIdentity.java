package org.opencache.node.link;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.UUID;
import org.opencache.node.store.PrivateFiles;

/**
 * A node's persistent identity: a random UUID kept in {@code cache_path/node.uuid}. The controller
 * keys the node-id on it, so a node keeps its id across restarts as long as this file survives;
 * the link uses it as the socket identity too.
 */
public final class NodeIdentity {
    /** The file under {@code cache_path} that holds the uuid. */
    public static final String FILE_NAME = "node.uuid";

    private NodeIdentity() {
    }

    /**
     * The uuid stored under {@code cachePath}, created (with the directories) on first use.
     *
     * @throws IOException when the directory or file cannot be read or written, or the file does
     *                     not hold a UUID; the message names the file and says what to do
     */
    public static String load(Path cachePath) throws IOException {
        Path file = cachePath.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return read(file);
        }
        PrivateFiles.createDirectories(cachePath);
        String uuid = UUID.randomUUID().toString();
        // Written aside and moved in, so that a crash never leaves a half-written identity.
        Path temporary = Files.createTempFile(cachePath, FILE_NAME, ".tmp");
        try {
            Files.writeString(temporary, uuid + "\n", UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return uuid;
        } catch (FileAlreadyExistsException e) {
            return read(file); // another process sharing cache_path was first: take its identity
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String read(Path file) throws IOException {
        String text = Files.readString(file, UTF_8).strip();
        try {
            UUID uuid = UUID.fromString(text);
            if (uuid.toString().equals(text.toLowerCase(Locale.ROOT))) {
                return uuid.toString();
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        throw new IOException(file + " is corrupt: '" + shown + "' is not a UUID. Restore it, or delete it to give "
                + "this node a new identity (the controller will then register it as a new node)");
    }
}
