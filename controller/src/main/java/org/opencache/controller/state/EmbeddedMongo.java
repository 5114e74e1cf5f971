package org.opencache.controller.state;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB-compatible server the controller starts when no {@code database_uri} is configured
 * (mongo-java-server). It listens on loopback only and is reached over TCP with the same driver as
 * a real MongoDB, so the rest of the controller cannot tell the difference. It has no
 * authentication: anyone who can open a loopback connection on the controller's machine can read
 * and change the state; a deployment that shares the machine with untrusted users runs a real
 * MongoDB with credentials and TLS in {@code database_uri} (docs/design.md §8).
 *
 * <p>Data lives in one H2 MVStore file, {@code data_path/opencache.mv}. If that file cannot be
 * opened (directory not creatable or not writable, file locked by another process, …) the server
 * still starts, in memory, after one warning: the controller keeps working, it only forgets its
 * state on restart. H2 commits in the background about once a second and on {@link #close()}, so
 * an orderly shutdown keeps everything and a crash loses at most the last second of writes.
 */
public final class EmbeddedMongo implements AutoCloseable {
    /** Name of the store file inside {@code data_path}. */
    public static final String STORE_FILE = "opencache.mv";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);
    private static final String HOST = "127.0.0.1";

    private final MongoServer server;
    private final int port;
    private final boolean persistent;

    private EmbeddedMongo(MongoServer server, int port, boolean persistent) {
        this.server = server;
        this.port = port;
        this.persistent = persistent;
    }

    /**
     * Starts a server on an ephemeral loopback port, keeping its data under {@code dataPath}
     * (created if missing), or in memory if that is not possible.
     */
    public static EmbeddedMongo start(Path dataPath) {
        return start(dataPath, 0);
    }

    /**
     * Starts a server on a given loopback port (0: ephemeral). Package-private: tests use it to make
     * a server appear where a client is already waiting.
     */
    static EmbeddedMongo start(Path dataPath, int port) {
        MongoBackend backend = openBackend(dataPath);
        boolean persistent = backend instanceof H2Backend h2 && !h2.isInMemory();
        MongoServer server = new MongoServer(backend);
        try {
            server.bind(HOST, port);
        } catch (RuntimeException e) {
            // Releases the event loops and the store file's lock, so a retry can open it again.
            server.shutdownNow();
            throw e;
        }
        int bound = server.getLocalAddress().getPort();
        log.info("embedded database listening on {}:{} ({})", HOST, bound,
                persistent ? "data in " + dataPath.resolve(STORE_FILE) : "in memory");
        return new EmbeddedMongo(server, bound, persistent);
    }

    private static MongoBackend openBackend(Path dataPath) {
        Path file = dataPath.resolve(STORE_FILE);
        try {
            Files.createDirectories(dataPath);
            if (!Files.isWritable(dataPath)) {
                throw new IOException("directory is not writable");
            }
            return new H2Backend(file.toString());
        } catch (IOException | RuntimeException e) {
            // H2 reports a locked or corrupt file as an unchecked MVStoreException.
            log.warn("cannot keep the embedded database in {} ({}): using memory, data will not survive a restart",
                    file, Database.oneLine(e));
            return new MemoryBackend();
        }
    }

    /** A driver connection string for this server, e.g. {@code mongodb://127.0.0.1:40213}. */
    public String connectionString() {
        return "mongodb://" + HOST + ":" + port;
    }

    /** Where the server listens: 127.0.0.1 and its port. */
    public InetSocketAddress address() {
        return server.getLocalAddress();
    }

    /** The loopback port the server listens on. */
    public int port() {
        return port;
    }

    /** Whether data is kept on disk (false after falling back to memory). */
    public boolean isPersistent() {
        return persistent;
    }

    /**
     * Stops listening, closes client connections and closes the store, which writes everything
     * still pending to disk.
     */
    @Override
    public void close() {
        server.shutdownNow();
        log.info("embedded database stopped");
    }
}
