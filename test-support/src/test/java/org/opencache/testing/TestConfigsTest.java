package org.opencache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.config.ConfigReader;
import org.opencache.common.config.ControllerConfig;
import org.opencache.common.config.NodeConfig;
import org.opencache.common.config.PortRange;

class TestConfigsTest {
    @TempDir
    Path dir;

    @Test
    void aControllerIsOnLoopbackWithTheEmbeddedDatabaseAndTheDefaultTimings() {
        ControllerConfig config = TestConfigs.controller(dir).build();
        assertEquals("127.0.0.1", config.controllerHost());
        assertEquals(0, config.controllerPort(), "an ephemeral API port");
        assertTrue(config.notificationPort() > 0);
        assertEquals(Optional.empty(), config.databaseUri());
        assertEquals(dir, config.dataPath());
        assertEquals(Duration.ofSeconds(30), config.nodeTimeout());
        assertEquals(Duration.ofSeconds(5), config.commandTimeout());
        assertEquals(Duration.ofHours(24), config.statRetention());
        assertEquals(3, config.logging().verbosity());
    }

    @Test
    void aControllersValuesCanEachBeReplaced() {
        ControllerConfig config = TestConfigs.controller(dir).host("10.78.0.1").apiPort(49001).notificationPort(50001)
                .database("mongodb://127.0.0.1:1").nodeTimeout(Duration.ofSeconds(1))
                .commandTimeout(Duration.ofSeconds(2)).statRetention(Duration.ofHours(1)).build();
        assertEquals(new ControllerConfig("10.78.0.1", 49001, 50001, Optional.of("mongodb://127.0.0.1:1"), "opencache",
                dir, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(1), Optional.empty(), config.logging(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(30), 100, true), config);
    }

    @Test
    void aNodeIsReadByTheConfigReaderWithTheDefaultsForWhatIsNotSet() throws Exception {
        NodeConfig config = TestConfigs.node(dir.resolve("cache"), 50123)
                .set("keep_alive_interval", Duration.ofMillis(400))
                .set("port_range", "20401,20440")
                .build();
        assertEquals("127.0.0.1", config.nodeHost());
        assertEquals("127.0.0.1", config.controllerHost());
        assertEquals(50123, config.notificationPort());
        assertEquals(dir.resolve("cache"), config.cachePath());
        assertEquals(Duration.ofMillis(400), config.keepAliveInterval());
        assertEquals(new PortRange(20401, 20440), config.portRange());
        assertEquals(ConfigReader.node(TestConfigs.node(dir.resolve("cache"), 50123).keys(), "defaults").maxDisk(),
                config.maxDisk());
    }

    @Test
    void aNodeWrittenAsAFileReadsBackTheSame() throws Exception {
        TestConfigs.NodeBuilder node = TestConfigs.node(dir.resolve("cache"), 50123)
                .set("node_port", 20400).set("max_cache_size", "64MB").set("keep_alive_interval", "1s");
        Path file = node.write(dir.resolve("node.conf"));

        assertTrue(Files.readString(file).startsWith("[config]\nnode_host = 127.0.0.1\n"), Files.readString(file));
        assertEquals(node.build(), ConfigReader.node(file));
    }

    @Test
    void anInvalidNodeKeyFailsNamingIt() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> TestConfigs.node(dir, 50123).set("keep_alive_interval", "soon").build());
        assertTrue(failure.getMessage().contains("keep_alive_interval"), failure.getMessage());
    }
}
