package org.opencache.controller;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.LoggingConfig;

/** Controller configurations for tests: loopback, a free port, the embedded database in a temp dir. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** Embedded database under {@code dataPath}. */
    public static ControllerConfig embedded(Path dataPath) {
        return withDatabase(dataPath, Optional.empty());
    }

    /** A controller whose database is at {@code uri}. */
    public static ControllerConfig withDatabase(Path dataPath, Optional<String> uri) {
        return new ControllerConfig("127.0.0.1", 0, freePort(), uri, "opencache", dataPath,
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofHours(24),
                new LoggingConfig(Optional.empty(), 3));
    }

    /** A loopback port that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
