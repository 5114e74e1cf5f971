package org.opencache.node.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files and directories only the node's user may read: directories 0700, files 0600, given at
 * creation (the mode of open(2) and mkdir(2)), never widened by the umask and never briefly
 * readable before a chmod. Stored responses may be private to the users of an origin, the uuid
 * is the node's identity towards the controller.
 *
 * <p>On a file system without POSIX permissions the attributes are left out and the system's
 * defaults apply, quietly: there is nothing to set.
 */
public final class PrivateFiles {
    /** rwx------ */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** rw------- */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private PrivateFiles() {
    }

    /** Creates {@code dir} and its missing parents, each new one 0700. */
    public static Path createDirectories(Path dir) throws IOException {
        return Files.createDirectories(dir, attributes(dir, DIRECTORY));
    }

    /** Opens a new file (with {@code CREATE_NEW} or {@code CREATE} among the options) as 0600. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), attributes(file, FILE));
    }

    /** Creates a new file holding {@code content}, 0600; fails if it exists. */
    public static void writeNew(Path file, byte[] content) throws IOException {
        try (FileChannel channel = open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /**
     * Narrows what an older version created with the umask's modes: every directory under
     * {@code root} (itself included) down to {@code maxDepth} becomes 0700, every regular file
     * within that depth 0600. Files deeper down need no change: nobody else can reach them
     * through a 0700 directory. Symbolic links are not followed.
     *
     * @return the paths whose mode was changed, for one log line
     */
    public static List<Path> tighten(Path root, int maxDepth) throws IOException {
        if (!posix(root) || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root, maxDepth)) {
            List<Path> changed = new ArrayList<>();
            for (Path path : (Iterable<Path>) paths::iterator) {
                Set<PosixFilePermission> wanted = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? DIRECTORY
                        : Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? FILE : null;
                if (wanted != null && !wanted.containsAll(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS))) {
                    Files.setPosixFilePermissions(path, wanted);
                    changed.add(path);
                }
            }
            return changed;
        }
    }

    private static FileAttribute<?>[] attributes(Path path, Set<PosixFilePermission> permissions) {
        return posix(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : NONE;
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
