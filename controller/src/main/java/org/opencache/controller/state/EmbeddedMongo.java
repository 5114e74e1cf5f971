package org.opencache.controller.state;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.opencache.common.config.ConfigKey;
import org.opencache.common.config.SettingException;
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
 * opened (directory not creatable or not writable, file locked by another controller, corrupt)
 * the server does not start: {@link SettingException} names {@code data_path} and why, and the
 * controller exits with status 2. (It used to start in memory after a warning, and a controller
 * that lost its state at the next restart looked like one that worked.) H2 commits in the
 * background about once a second and on {@link #close()}, so an orderly shutdown keeps
 * everything and a crash loses at most the last second of writes.
 */
public final class EmbeddedMongo implements AutoCloseable {
    /** Name of the store file inside {@code data_path}. */
    public static final String STORE_FILE = "opencache.mv";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);
    private static final String HOST = "127.0.0.1";

    private final MongoServer server;
    private final int port;

    private EmbeddedMongo(MongoServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a server on an ephemeral loopback port, keeping its data under {@code dataPath}
     * (created if missing).
     *
     * @throws SettingException when {@code dataPath} cannot hold the store, saying why
     */
    public static EmbeddedMongo start(Path dataPath) throws SettingException {
        return start(dataPath, 0);
    }

    /**
     * Starts a server on a given loopback port (0: ephemeral). Package-private: tests use it to make
     * a server appear where a client is already waiting.
     */
    static EmbeddedMongo start(Path dataPath, int port) throws SettingException {
        MongoServer server = new MongoServer(openBackend(dataPath));
        try {
            server.bind(HOST, port);
        } catch (RuntimeException e) {
            // Releases the event loops and the store file's lock, so a retry can open it again.
            server.shutdownNow();
            throw e;
        }
        int bound = server.getLocalAddress().getPort();
        log.info("embedded database listening on {}:{} (data in {})", HOST, bound, dataPath.resolve(STORE_FILE));
        return new EmbeddedMongo(server, bound);
    }

    private static MongoBackend openBackend(Path dataPath) throws SettingException {
        try {
            Files.createDirectories(dataPath);
        } catch (IOException e) {
            throw new SettingException(ConfigKey.DATA_PATH, dataPath, "cannot create the directory (" + reason(e) + ")", e);
        }
        if (!Files.isWritable(dataPath)) {
            throw new SettingException(ConfigKey.DATA_PATH, dataPath, "the directory is not writable by this user", null);
        }
        try {
            return new H2Backend(dataPath.resolve(STORE_FILE).toString());
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new SettingException(ConfigKey.DATA_PATH, dataPath, STORE_FILE
                        + " is locked by another process (another controller using this data_path?)", e);
            }
            throw new SettingException(ConfigKey.DATA_PATH, dataPath, "cannot open " + STORE_FILE + " ("
                    + Database.oneLine(e) + ")", e);
        }
    }

    /** An I/O failure in words: the JDK's file exceptions carry only the path as their message. */
    private static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " exists and is not a directory";
        }
        if (e instanceof FileSystemException file && file.getReason() != null) {
            return file.getFile() + ": " + file.getReason();
        }
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        return Database.oneLine(e);
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
