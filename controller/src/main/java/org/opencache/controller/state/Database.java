package org.opencache.controller.state;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.bson.Document;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.SettingException;
import org.opencache.common.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's connection to MongoDB: the driver client, the embedded server when no
 * {@code database_uri} is configured, and the background loop that waits for the database.
 *
 * <p><b>Never blocking start-up.</b> {@link #open} returns at once. A daemon thread pings the
 * database and creates collections and indexes ({@link Schema}), retrying with exponential
 * back-off (0.5 s doubling to 30 s, with jitter) and logging every failed attempt; until it succeeds every
 * call throws {@link DatabaseUnavailableException}, which the API reports as "database
 * unavailable". Nodes keep serving meanwhile (docs/design.md §1).
 *
 * <p><b>Never hanging a call.</b> The driver is set to give up on server selection after 2 s and
 * on a silent socket after 5 s (unless the connection string says otherwise), and {@link #execute}
 * turns every "cannot reach the database" exception into {@link DatabaseUnavailableException}: the
 * one place that decides what counts as unavailable.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Duration SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final MongoClient client;
    private final MongoDatabase mongo;
    private final Optional<EmbeddedMongo> embedded;
    private final String description;
    private final Thread connector;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile RuntimeException lastFailure;

    private Database(String uri, String databaseName, Duration statRetention, Optional<EmbeddedMongo> embedded) {
        ConnectionString connection = new ConnectionString(uri);
        this.client = MongoClients.create(settings(connection));
        this.mongo = client.getDatabase(databaseName);
        this.embedded = embedded;
        // Hosts only: a connection string may carry a password.
        this.description = databaseName + " at " + String.join(",", connection.getHosts())
                + (embedded.isPresent() ? " (embedded)" : "");
        Schema schema = new Schema(mongo, statRetention);
        this.connector = Thread.ofPlatform().daemon().name("opencache-db-connect")
                .unstarted(() -> connectLoop(schema));
        connector.start();
    }

    /**
     * Connects to the database the configuration names, starting the embedded server first when
     * {@code database_uri} is empty. Returns immediately; see {@link #isReady()}.
     *
     * @throws SettingException when the embedded server cannot keep its data in {@code data_path}
     */
    public static Database open(ControllerConfig config) throws SettingException {
        if (config.databaseUri().isPresent()) {
            return new Database(config.databaseUri().get(), config.databaseName(), config.statRetention(),
                    Optional.empty());
        }
        EmbeddedMongo server = EmbeddedMongo.start(config.dataPath());
        try {
            return new Database(server.connectionString(), config.databaseName(), config.statRetention(),
                    Optional.of(server));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static MongoClientSettings settings(ConnectionString connection) {
        // Our timeouts first, then the connection string: an operator's explicit option wins.
        return MongoClientSettings.builder()
                .applicationName("opencache-controller")
                .applyToClusterSettings(b -> b.serverSelectionTimeout(
                        SERVER_SELECTION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(b -> b
                        .connectTimeout((int) CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout((int) READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .applyConnectionString(connection)
                .build();
    }

    private void connectLoop(Schema schema) {
        Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);
        for (int attempt = 1; !Thread.currentThread().isInterrupted(); attempt++) {
            Duration delay;
            try {
                mongo.runCommand(new Document("ping", 1));
                schema.ensure();
                ready.countDown();
                log.info("connected to database {} (attempt {})", description, attempt);
                return;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted() || e instanceof MongoInterruptedException) {
                    return; // closing
                }
                lastFailure = e;
                delay = backoff.next();
                log.warn("database {} unavailable (attempt {}): {}; retrying in {} ms",
                        description, attempt, oneLine(e), delay.toMillis());
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return; // closing
            }
        }
    }

    /** Whether the database has been reached and its collections and indexes exist. */
    public boolean isReady() {
        return ready.getCount() == 0;
    }

    /** Waits up to {@code timeout} for {@link #isReady()}; returns whether it became ready. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Runs one database operation. Throws {@link DatabaseUnavailableException} if the database is
     * not ready yet or cannot be reached during the call; other driver errors (a bug, a rejected
     * write) pass through unchanged.
     */
    <T> T execute(Function<MongoDatabase, T> operation) {
        if (!isReady()) {
            throw new DatabaseUnavailableException("database unavailable", lastFailure);
        }
        try {
            return operation.apply(mongo);
        } catch (MongoException e) {
            if (isUnavailable(e)) {
                throw new DatabaseUnavailableException("database unavailable", e);
            }
            throw e;
        }
    }

    /** Whether a driver exception means the database could not be reached (rather than refused). */
    static boolean isUnavailable(MongoException e) {
        return e instanceof MongoTimeoutException // no server selected within the timeout
                || e instanceof MongoSocketException // refused, reset, read timed out
                || e instanceof MongoNotPrimaryException // replica set electing a new primary
                || e instanceof MongoNodeIsRecoveringException
                || e instanceof MongoExecutionTimeoutException // server-side maxTimeMS
                || e instanceof MongoInterruptedException; // controller shutting down
    }

    /** The first line of an exception's message, for one-line log entries. */
    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Stops waiting for the database, closes the client, then stops the embedded server if any. */
    @Override
    public void close() {
        connector.interrupt();
        try {
            connector.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
        embedded.ifPresent(EmbeddedMongo::close);
    }

    @Override
    public String toString() {
        return "Database[" + description + (isReady() ? ", ready]" : ", not ready]");
    }
}
