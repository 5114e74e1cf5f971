package org.opencache.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigReaderTest {

    private static final String ORIGINAL_CONTROLLER_CONF = """
            #Sample configuration file for an OpenCache controller.
            #Can be used to test-run controller and node on the same OS.

            [config]
            controller_host = 127.0.0.1
            controller_port = 49001
            notification_port = 50001
            database_host = 127.0.0.1
            database_port = 27017
            openflow_host = 127.0.0.1
            openflow_port = 8080
            switch_dpid = 02:00:00:00:00:00:00:02
            vlan_id = 800
            log_path = /var/log/opencache/
            node_timeout = 30
            verbosity = 3
            """;

    private static final String ORIGINAL_NODE_CONF = """
            #Sample configuration file for an OpenCache node.
            #Can be used to test-run node and controller on the same OS.

            [config]
            node_host = 127.0.0.1
            node_port = 49002
            notification_port = 50001
            database_host = 127.0.0.1
            database_port = 27017
            port_range = 49003,50000
            controller_host = 127.0.0.1
            controller_port = 49001
            cache_path = /var/tmp/opencache/
            log_path = /var/log/opencache/
            keep_alive_interval = 15
            stat_refresh = 60
            alert_load = 500
            alert_disk = 9663676416
            max_disk = 10737418240
            verbosity = 3
            """;

    private static final ControllerConfig CONTROLLER_DEFAULTS = new ControllerConfig(
            "127.0.0.1", 49001, 50001, Optional.empty(), "opencache", Path.of("/var/lib/opencache"),
            Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofHours(24),
            Optional.empty(), new LoggingConfig(Optional.empty(), 3), Optional.empty(), Optional.empty(), Duration.ofSeconds(30),
            100, true);

    private static final NodeConfig NODE_DEFAULTS = new NodeConfig(
            "127.0.0.1", "127.0.0.1", 49002, new PortRange(49003, 50000), "127.0.0.1", 50001,
            Path.of("/var/tmp/opencache/"), Duration.ofSeconds(5), Duration.ofSeconds(60), 500,
            9L * 1024 * 1024 * 1024, 10L * 1024 * 1024 * 1024, 1024L * 1024 * 1024, 10L * 1024 * 1024,
            Duration.ofSeconds(60), Optional.empty(), Duration.ofSeconds(10), Duration.ZERO,
            Duration.ofSeconds(5), Duration.ofSeconds(30), 32L * 1024, 256, Duration.ofSeconds(10), 256, List.of(),
            List.of(), Optional.empty(), new LoggingConfig(Optional.empty(), 3), "127.0.0.1", Optional.empty(),
            AccessLogConfig.NONE, new ResponseRulesConfig(List.of("OpenCache-Cache-Control", "CDN-Cache-Control",
                    "Surrogate-Control"),
                    false, ResponseRulesConfig.SetCookie.STRIP, true));

    @TempDir
    Path dir;

    private final List<String> notes = new ArrayList<>();
    private final Notes recorder = (level, message) -> notes.add(level + " " + message);

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** A file with a [config] section holding {@code lines}. */
    private Path conf(String... lines) throws IOException {
        return write("test.conf", "[config]\n" + String.join("\n", lines) + "\n");
    }

    private ControllerConfig controller(Path file) throws ConfigException {
        return ConfigReader.controller(IniFile.read(file), file.toString(), recorder);
    }

    private NodeConfig node(Path file) throws ConfigException {
        return ConfigReader.node(IniFile.read(file), file.toString(), recorder);
    }

    private ControllerConfig controller(String... lines) throws Exception {
        return controller(conf(lines));
    }

    private NodeConfig node(String... lines) throws Exception {
        return node(conf(lines));
    }

    /** Asserts the exact one-line message, which always starts with the file name. */
    private void assertMessage(ConfigException e, Path file, String expectedAfterFile) {
        assertEquals(file + ": " + expectedAfterFile, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertEquals(file.toString(), e.source());
    }

    private String test() {
        return dir.resolve("test.conf").toString();
    }

    @Nested
    class Defaults {

        @Test
        void emptyConfigSectionGivesControllerDefaults() throws Exception {
            assertEquals(CONTROLLER_DEFAULTS, controller(conf()));
        }

        @Test
        void emptyConfigSectionGivesNodeDefaults() throws Exception {
            assertEquals(NODE_DEFAULTS, node(conf()));
        }

        @Test
        void emptyMapGivesDefaults() throws Exception {
            assertEquals(CONTROLLER_DEFAULTS, ConfigReader.controller(Map.of(), "defaults"));
            assertEquals(NODE_DEFAULTS, ConfigReader.node(Map.of(), "defaults"));
        }

        @Test
        void publicFileVariantsReadTheFile() throws Exception {
            Path file = conf("verbosity = 4");
            assertEquals(4, ConfigReader.controller(file).logging().verbosity());
            assertEquals(4, ConfigReader.node(file).logging().verbosity());
        }
    }

    @Nested
    class EveryKey {

        @Test
        void controllerReadsEveryKey() throws Exception {
            ControllerConfig config = controller(
                    "controller_host = 127.0.0.11",
                    "controller_port = 8001",
                    "notification_port = 8002",
                    "database_uri = mongodb://db.example:27018/?replicaSet=rs0",
                    "database_name = cache_test",
                    "data_path = /srv/opencache/db",
                    "node_timeout = 45s",
                    "command_timeout = 1500ms",
                    "stat_retention = 7d",
                    "log_path = /var/log/oc.log",
                    "verbosity = 4",
                    "timestamp_error_margin = 10s",
                    "max_batch = 20",
                    "console = false");
            assertEquals(new ControllerConfig("127.0.0.11", 8001, 8002,
                    Optional.of("mongodb://db.example:27018/?replicaSet=rs0"), "cache_test",
                    Path.of("/srv/opencache/db"), Duration.ofSeconds(45), Duration.ofMillis(1500),
                    Duration.ofDays(7), Optional.empty(), new LoggingConfig(Optional.of(Path.of("/var/log/oc.log")), 4),
                    Optional.empty(), Optional.empty(), Duration.ofSeconds(10), 20, false), config);
            assertEquals(List.of(), notes);
        }

        @Test
        void nodeReadsEveryKey() throws Exception {
            NodeConfig config = node(
                    "node_host = 127.0.0.12",
                    "node_advertise_host = 192.0.2.12",
                    "node_port = 9000",
                    "port_range = 9001-9100",
                    "controller_host = 127.0.0.11",
                    "notification_port = 8002",
                    "cache_path = /srv/cache",
                    "keep_alive_interval = 2s",
                    "stat_refresh = 1m",
                    "alert_load = 1",
                    "alert_disk = 90GB",
                    "max_disk = 100GB",
                    "max_cache_size = 512MB",
                    "max_item_size = 0B",
                    "cache_purge_time = 5m",
                    "openflow_switch = tcp:192.168.1.1:6653",
                    "redirect_lease = 20s",
                    "horizon = 1h",
                    "origin_connect_timeout = 2s",
                    "origin_read_timeout = 1m",
                    "sendfile_min_size = 0B",
                    "open_body_files = 1",
                    "client_header_timeout = 3s",
                    "max_connections_per_client = 0",
                    "origin_deny = 10.0.0.0/8, fd00::/8",
                    "purge_allow = 127.0.0.1, 10.1.0.0/16",
                    "log_path = /var/log/opencache/",
                    "verbosity = 1",
                    "node_admin_host = 127.0.0.19",
                    "status_tokens = false",
                    "access_log = /var/log/opencache/access.log",
                    "access_log_format = JSON",
                    "targeted_cache_control = Edge-Cache-Control",
                    "targeted_cache_control_forward = true",
                    "set_cookie = Store",
                    "cache_authorized = false");
            assertEquals(new NodeConfig("127.0.0.12", "192.0.2.12", 9000, new PortRange(9001, 9100), "127.0.0.11", 8002,
                    Path.of("/srv/cache"), Duration.ofSeconds(2), Duration.ofMinutes(1), 1,
                    90L << 30, 100L << 30, 512L << 20, 0L, Duration.ofMinutes(5),
                    Optional.of("tcp:192.168.1.1:6653"), Duration.ofSeconds(20), Duration.ofHours(1),
                    Duration.ofSeconds(2), Duration.ofMinutes(1), 0L, 1, Duration.ofSeconds(3), 0,
                    List.of(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("fd00::/8")),
                    List.of(AddressRange.parse("127.0.0.1"), AddressRange.parse("10.1.0.0/16")),
                    Optional.empty(), new LoggingConfig(Optional.of(Path.of("/var/log/opencache/")), true, 1), "127.0.0.19", Optional.empty(),
                    new AccessLogConfig(Optional.of(Path.of("/var/log/opencache/access.log")), AccessLogConfig.Format.JSON),
                    new ResponseRulesConfig(List.of("Edge-Cache-Control"), true, ResponseRulesConfig.SetCookie.STORE,
                            false)),
                    config);
            assertEquals(List.of(), notes);
        }

        @Test
        void originalControllerSampleLoadsUnchanged() throws Exception {
            ControllerConfig config = controller(write("controller.conf", ORIGINAL_CONTROLLER_CONF));
            assertEquals(Optional.of("mongodb://127.0.0.1:27017"), config.databaseUri());
            assertEquals(Duration.ofSeconds(30), config.nodeTimeout());
            assertEquals(Optional.of(Path.of("/var/log/opencache/")), config.logging().logPath());
            String file = dir.resolve("controller.conf").toString();
            assertEquals(List.of(
                    "INFO " + file + ": key 'openflow_host' is from the original OpenCache and is not used",
                    "INFO " + file + ": key 'openflow_port' is from the original OpenCache and is not used",
                    "INFO " + file + ": key 'switch_dpid' is from the original OpenCache and is not used",
                    "INFO " + file + ": key 'vlan_id' is from the original OpenCache and is not used"), notes);
        }

        @Test
        void originalNodeSampleLoadsUnchanged() throws Exception {
            NodeConfig config = node(write("node.conf", ORIGINAL_NODE_CONF));
            assertEquals(new PortRange(49003, 50000), config.portRange());
            assertEquals(Duration.ofSeconds(15), config.keepAliveInterval());
            assertEquals(9_663_676_416L, config.alertDisk());
            assertEquals(10_737_418_240L, config.maxDisk());
            String file = dir.resolve("node.conf").toString();
            assertEquals(List.of(
                    "DEBUG " + file + ": key 'database_host' is for the controller; a node ignores it",
                    "DEBUG " + file + ": key 'database_port' is for the controller; a node ignores it",
                    "DEBUG " + file + ": key 'controller_port' is for the controller; a node ignores it"), notes);
        }

        @Test
        void databaseUriWinsOverHost() throws Exception {
            ControllerConfig config = controller("database_host = db1", "database_uri = mongodb+srv://cluster.example");
            assertEquals(Optional.of("mongodb+srv://cluster.example"), config.databaseUri());
        }

        @Test
        void databaseHostAloneUsesDefaultPort() throws Exception {
            assertEquals(Optional.of("mongodb://db1:27017"), controller("database_host = db1").databaseUri());
        }

        @Test
        void databaseHostAndPortMakeAUri() throws Exception {
            assertEquals(Optional.of("mongodb://db1:27018"),
                    controller("database_host = db1", "database_port = 27018").databaseUri());
        }

        @Test
        void ipv6DatabaseHostIsBracketed() throws Exception {
            assertEquals(Optional.of("mongodb://[::1]:27017"), controller("database_host = ::1").databaseUri());
        }

        @Test
        void emptyDatabaseKeysMeanEmbedded() throws Exception {
            assertEquals(Optional.empty(), controller("database_uri =", "database_host =").databaseUri());
        }

        @Test
        void emptyOptionalKeysMeanNone() throws Exception {
            NodeConfig config = node("log_path =", "openflow_switch = ");
            assertEquals(Optional.empty(), config.logging().logPath());
            assertEquals(Optional.empty(), config.openflowSwitch());
        }

        /** Issue 17 item 7: Path drops a trailing '/', which the reader must keep as "a directory". */
        @Test
        void logPathEndingInSlashIsADirectoryEvenBeforeItExists() throws Exception {
            Path logs = dir.resolve("logs");
            LoggingConfig logging = node("log_path = " + logs + "/").logging();
            assertEquals(new LoggingConfig(Optional.of(logs), true, 3), logging);
            assertEquals(Optional.of(logs.resolve("node.log")), logging.file("node.log"));
            assertFalse(Files.exists(logs), "reading the config creates nothing");
        }

        @Test
        void logPathThatIsAnExistingDirectoryIsADirectoryWithoutTheSlash() throws Exception {
            Path logs = Files.createDirectory(dir.resolve("logs"));
            LoggingConfig logging = controller("log_path = " + logs).logging();
            assertEquals(Optional.of(logs.resolve("controller.log")), logging.file("controller.log"));
        }

        @Test
        void logPathWithoutTheSlashIsAFile() throws Exception {
            Path file = dir.resolve("oc.log");
            LoggingConfig logging = node("log_path = " + file).logging();
            assertEquals(Optional.of(file), logging.file("node.log"));
            assertEquals(Optional.empty(), node("log_path =").logging().file("node.log"));
        }

        @Test
        void horizonMayBeZero() throws Exception {
            assertEquals(Duration.ZERO, node("horizon = 0s").horizon());
        }

        @Test
        void originDenyIsAListOfBlocksOrBareAddresses() throws Exception {
            NodeConfig config = node("origin_deny = 192.168.0.0/16 ,fd00::/8, 203.0.113.7, 0.0.0.0/0");
            assertEquals(List.of(new AddressRange(InetAddress.getByName("192.168.0.0"), 16),
                    new AddressRange(InetAddress.getByName("fd00::"), 8),
                    new AddressRange(InetAddress.getByName("203.0.113.7"), 32),
                    new AddressRange(InetAddress.getByName("0.0.0.0"), 0)), config.originDeny());
            assertEquals(List.of(), node("origin_deny =").originDeny(), "empty means none");
        }

        @Test
        void purgeAllowIsAListOfBlocksAndNoneByDefault() throws Exception {
            assertEquals(List.of(AddressRange.parse("192.168.0.0/16"), AddressRange.parse("::1")),
                    node("purge_allow = 192.168.0.0/16, ::1").purgeAllow());
            assertEquals(List.of(), node().purgeAllow(), "by default nobody may PURGE");
            ConfigException bad = assertThrows(ConfigException.class, () -> node("purge_allow = 10.0.0.0/33"));
            assertTrue(bad.getMessage().contains("purge_allow"), bad.getMessage());
        }

        @Test
        void targetedCacheControlIsAnOrderedListOfFieldNamesOrNone() throws Exception {
            assertEquals(List.of("X-Cache-Control", "CDN-Cache-Control"),
                    node("targeted_cache_control = X-Cache-Control ,CDN-Cache-Control").responseRules().targetedFields());
            assertEquals(List.of(), node("targeted_cache_control =").responseRules().targetedFields(), "empty: none");
            assertEquals(ResponseRulesConfig.defaults(), node().responseRules());
            for (String bad : List.of("CDN Cache-Control", "CDN-Cache-Control,", "Cache-Control", "a, A")) {
                ConfigException e = assertThrows(ConfigException.class, () -> node("targeted_cache_control = " + bad));
                assertTrue(e.getMessage().contains("targeted_cache_control"), e.getMessage());
            }
        }

        @Test
        void setCookieIsOneOfThreeModes() throws Exception {
            assertEquals(ResponseRulesConfig.SetCookie.PASS, node("set_cookie = pass").responseRules().setCookie());
            assertEquals(ResponseRulesConfig.SetCookie.STRIP, node().responseRules().setCookie(), "the default");
            ConfigException e = assertThrows(ConfigException.class, () -> node("set_cookie = keep"));
            assertTrue(e.getMessage().contains("store, strip or pass"), e.getMessage());
        }

        @Test
        void portRangeMayBeOnePort() throws Exception {
            assertEquals(new PortRange(50000, 50000), node("port_range = 50000,50000").portRange());
        }

        @Test
        void nodePortJustOutsidePortRangeIsFine() throws Exception {
            assertEquals(49002, node("node_port = 49002", "port_range = 49003,50000").nodePort());
        }

        @Test
        void quotesAndWhitespaceAreStripped() throws Exception {
            NodeConfig config = node(
                    "   node_host   =    \"127.0.0.12\"   ",
                    "cache_path = '/srv/my cache/'",
                    "log_path = \"/var/log/a ; b#c.log\"",
                    "max_disk = \" 10 GB \"",
                    "port_range = ' 49003 , 50000 '");
            assertEquals("127.0.0.12", config.nodeHost());
            assertEquals(Path.of("/srv/my cache/"), config.cachePath());
            assertEquals(Optional.of(Path.of("/var/log/a ; b#c.log")), config.logging().logPath());
            assertEquals(10L << 30, config.maxDisk());
            assertEquals(new PortRange(49003, 50000), config.portRange());
        }

        @Test
        void inlineCommentsAfterWhitespaceAreIgnored() throws Exception {
            NodeConfig config = node(
                    "verbosity = 4 ; debug while testing",
                    "stat_refresh = 30s # twice as often",
                    "cache_path = /srv/cache#1");
            assertEquals(4, config.logging().verbosity());
            assertEquals(Duration.ofSeconds(30), config.statRefresh());
            assertEquals(Path.of("/srv/cache#1"), config.cachePath());
        }

        @Test
        void keysAreCaseInsensitive() throws Exception {
            assertEquals(49100, controller("Controller_Port = 49100").controllerPort());
        }

        @Test
        void mapValuesAreStrippedToo() throws Exception {
            ControllerConfig config = ConfigReader.controller(
                    Map.of("controller_host", "  '127.0.0.19' ", "node_timeout", " \"1m\""), "launcher");
            assertEquals("127.0.0.19", config.controllerHost());
            assertEquals(Duration.ofMinutes(1), config.nodeTimeout());
        }

        @Test
        void byteOrderMarkIsIgnored() throws Exception {
            Path file = write("bom.conf", "\uFEFF#comment\n[config]\nverbosity = 2\n");
            assertEquals(2, controller(file).logging().verbosity());
        }

        @Test
        void sectionNameMayHaveSpaces() throws Exception {
            assertEquals(2, controller(write("spaced.conf", "[ config ]\nverbosity = 2\n")).logging().verbosity());
        }
    }

    /** Issue 18 item 5: nodes bind every interface and tell the controller one address. */
    @Nested
    class AdvertiseHost {

        @Test
        void defaultsToNodeHost() throws Exception {
            NodeConfig config = node("node_host = 127.0.0.12");
            assertEquals("127.0.0.12", config.nodeHost());
            assertEquals("127.0.0.12", config.nodeAdvertiseHost());
        }

        @ParameterizedTest(name = "node_host = {0}")
        @CsvSource({"0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"})
        void aWildcardNodeHostBindsEveryInterfaceAndAdvertisesTheKey(String wildcard) throws Exception {
            NodeConfig config = node("node_host = " + wildcard, "node_advertise_host = 192.0.2.20",
                    "node_admin_host = 127.0.0.1");
            assertEquals(wildcard, config.nodeHost());
            assertEquals("192.0.2.20", config.nodeAdvertiseHost());
        }

        @ParameterizedTest(name = "node_host = {0}")
        @CsvSource({"0.0.0.0", "::", "[::]"})
        void aWildcardNodeHostWithoutItIsRefused(String wildcard) {
            ConfigException e = assertThrows(ConfigException.class, () -> node("node_host = " + wildcard));
            assertMessage(e, Path.of(test()), "key 'node_advertise_host': is required because node_host " + wildcard
                    + " is a wildcard address (every interface): set it to the address the controller and the"
                    + " switch's redirect rules should use for this node, e.g. node_advertise_host = 192.0.2.20");
            assertEquals(Optional.of("node_advertise_host"), e.key());
        }

        @Test
        void itCannotBeAWildcardItself() {
            ConfigException e = assertThrows(ConfigException.class, () -> node("node_advertise_host = 0.0.0.0"));
            assertMessage(e, Path.of(test()), "key 'node_advertise_host': 0.0.0.0 is a wildcard address; it must be"
                    + " the address the controller and the switch's redirect rules reach this node at");
        }

        @Test
        void namesAndOrdinaryAddressesAreNoWildcards() {
            assertEquals(false, ConfigReader.isWildcard("node.example"));
            assertEquals(false, ConfigReader.isWildcard("127.0.0.1"));
            assertEquals(false, ConfigReader.isWildcard("::1"));
            assertEquals(true, ConfigReader.isWildcard("::0"));
        }
    }

    @Nested
    class Notices {

        @Test
        void unknownKeyIsAWarningWithSuggestion() throws Exception {
            node("cache_pth = /srv/cache", "colour = blue");
            assertEquals(List.of(
                    "WARN " + test() + ": unknown key 'cache_pth' is ignored (did you mean 'cache_path'?)",
                    "WARN " + test() + ": unknown key 'colour' is ignored"), notes);
        }

        @Test
        void otherRolesKeysAreDebugOnly() throws Exception {
            controller("node_port = 49002", "horizon = 5m");
            assertEquals(List.of(
                    "DEBUG " + test() + ": key 'node_port' is for the node; a controller ignores it",
                    "DEBUG " + test() + ": key 'horizon' is for the node; a controller ignores it"), notes);
        }

        @Test
        void legacyKeysAreInfoForANodeToo() throws Exception {
            node("vlan_id = 800");
            assertEquals(List.of("INFO " + test() + ": key 'vlan_id' is from the original OpenCache and is not used"), notes);
        }

        @Test
        void legacyKeysAreReadByNoRole() {
            for (String key : ConfigKeys.LEGACY) {
                assertFalse(ConfigKeys.CONTROLLER.contains(key) || ConfigKeys.NODE.contains(key), key);
            }
        }

        @Test
        void typoDistanceCountsEdits() {
            assertEquals(0, ConfigKeys.distance("horizon", "horizon"));
            assertEquals(1, ConfigKeys.distance("cache_pth", "cache_path"));
            assertEquals(2, ConfigKeys.distance("verbostiy", "verbosity"));
            assertEquals(5, ConfigKeys.distance("", "vlan_"));
        }

        @Test
        void slf4jNotesDoNotThrowWithoutABackend() throws Exception {
            NodeConfig config = ConfigReader.node(Map.of("vlan_id", "1", "colour", "blue", "database_host", "x"), "map");
            assertEquals(NODE_DEFAULTS, config);
        }
    }

    @Nested
    class FileErrors {

        @Test
        void missingFile() {
            Path file = dir.resolve("controller.conf");
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.controller(file));
            assertMessage(e, file, "no such file");
            assertEquals(Optional.empty(), e.key());
            assertEquals("no such file", e.problem());
        }

        @Test
        void directoryInsteadOfFile() {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.node(dir));
            assertMessage(e, dir, "is a directory, not a file");
        }

        @Test
        void unreadableFile() throws Exception {
            Path file = write("secret.conf", "[config]\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
            assumeFalse(Files.isReadable(file), "root reads everything");
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.node(file));
            assertMessage(e, file, "cannot be read: permission denied");
        }

        @Test
        void binaryFile() throws Exception {
            Path file = Files.write(dir.resolve("binary.conf"), new byte[] {(byte) 0xC3, 0x28, 0, 1});
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.node(file));
            assertMessage(e, file, "is not a text file (not UTF-8)");
        }

        @Test
        void textWithNulBytes() throws Exception {
            Path file = Files.write(dir.resolve("nul.conf"), "[config]\n\0\0".getBytes(StandardCharsets.UTF_8));
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.node(file));
            assertMessage(e, file, "is not a text file");
        }

        @Test
        void emptyFileHasNoConfigSection() throws Exception {
            Path file = write("empty.conf", "# nothing here\n");
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.node(file));
            assertMessage(e, file, "has no [config] section");
        }

        @Test
        void unknownSection() throws Exception {
            Path file = write("node.conf", "[config]\nverbosity = 3\n[foo]\nbar = 1\n");
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.node(file));
            assertMessage(e, file, "unknown section [foo] (OpenCache reads only [config])");
        }

        @Test
        void unknownEmptySection() throws Exception {
            Path file = write("node.conf", "[Config]\n");
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.node(file));
            assertMessage(e, file, "unknown section [Config] (OpenCache reads only [config])");
        }

        @Test
        void keyOutsideAnySection() throws Exception {
            Path file = write("node.conf", "verbosity = 3\n[config]\nnode_port = 49002\n");
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.node(file));
            assertMessage(e, file, "key 'verbosity': is outside any section; put it under [config]");
            assertEquals(Optional.of("verbosity"), e.key());
        }

        @Test
        void lineWithoutEquals() throws Exception {
            ConfigException e = assertThrows(ConfigException.class, () -> node("verbosity 4"));
            assertEquals(test() + ": line 'verbosity 4' is not 'key = value'", e.getMessage());
        }

        @Test
        void keyGivenTwice() throws Exception {
            ConfigException e = assertThrows(ConfigException.class, () -> node("verbosity = 3", "verbosity = 4"));
            assertEquals(test() + ": key 'verbosity': is set more than once", e.getMessage());
        }

        @Test
        void mapKeysDifferingOnlyInCase() {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("verbosity", "3");
            values.put("VERBOSITY", "4");
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.node(values, "launcher"));
            assertEquals("launcher: key 'verbosity': is set more than once", e.getMessage());
        }
    }

    @Nested
    class ValueErrors {

        @ParameterizedTest(name = "controller {0} = {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "controller_port   | 70000          | 70000 is out of range 1-65535",
                "controller_port   | 0              | 0 is out of range 1-65535",
                "controller_port   | -1             | -1 is out of range 1-65535",
                "controller_port   | 99999999999999 | 99999999999999 is out of range 1-65535",
                "controller_port   | http           | 'http' is not a whole number",
                "controller_port   | 49001.5        | '49001.5' is not a whole number",
                "controller_port   | ``             | has no value; remove the line to use the default",
                "notification_port | 65536          | 65536 is out of range 1-65535",
                "database_port     | 0              | 0 is out of range 1-65535",
                "controller_host   | ``             | has no value; remove the line to use the default",
                "controller_host   | my host        | 'my host' is not a host name or address",
                "verbosity         | 5              | 5 is out of range 1-4",
                "verbosity         | 0              | 0 is out of range 1-4",
                "verbosity         | debug          | 'debug' is not a whole number",
                "node_timeout      | 0s             | '0s' must be greater than zero",
                "node_timeout      | -5s            | '-5s' is negative; a duration must be 0 or more",
                "node_timeout      | soon           | 'soon' is not a duration (e.g. 500ms, 30s, 5m, 2h, 1d or a number of seconds)",
                "command_timeout   | 5w             | '5w' has an unknown unit 'w' (use ms, s, m, h or d)",
                "stat_retention    | 0              | '0' must be greater than zero",
                "database_uri      | http://db:1    | 'http://db:1' is not a MongoDB connection string (use mongodb://HOST:PORT or mongodb+srv://HOST)",
                "database_uri      | mongodb://     | 'mongodb://' is not a MongoDB connection string (use mongodb://HOST:PORT or mongodb+srv://HOST)",
                "database_uri      | db:27017       | 'db:27017' is not a MongoDB connection string (use mongodb://HOST:PORT or mongodb+srv://HOST)",
                "database_host     | a b            | 'a b' is not a host name or address",
                "data_path         | ``             | has no value; remove the line to use the default",
        })
        void controllerRejects(String key, String value, String problem) {
            ConfigException e = assertThrows(ConfigException.class, () -> controller(key + " = " + value));
            assertMessage(e, Path.of(test()), "key '" + key + "': " + problem);
            assertEquals(Optional.of(key), e.key());
            assertEquals(problem, e.problem());
        }

        @ParameterizedTest(name = "node {0} = {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "node_port           | 70000             | 70000 is out of range 1-65535",
                "node_port           | 0                 | 0 is out of range 1-65535",
                "node_port           | 49500             | 49500 is inside port_range 49003-50000; instances use those ports",
                "port_range          | 50000,49003       | '50000,49003': first port 50000 is greater than last port 49003",
                "port_range          | 0,100             | 0 is out of range 1-65535",
                "port_range          | 49003,70000       | 70000 is out of range 1-65535",
                "port_range          | 49003             | '49003' is not a port range (use first,last e.g. 49003,50000)",
                "port_range          | a,b               | 'a,b' is not a port range (use first,last e.g. 49003,50000)",
                "port_range          | 1,2,3             | '1,2,3' is not a port range (use first,last e.g. 49003,50000)",
                "node_host           | ``                | has no value; remove the line to use the default",
                "keep_alive_interval | 0                 | '0' must be greater than zero",
                "stat_refresh        | 1 minute          | '1 minute' has an unknown unit 'minute' (use ms, s, m, h or d)",
                "cache_purge_time    | ms                | 'ms' is not a duration (e.g. 500ms, 30s, 5m, 2h, 1d or a number of seconds)",
                "redirect_lease      | 0ms               | '0ms' must be greater than zero",
                "horizon             | -1s               | '-1s' is negative; a duration must be 0 or more",
                "alert_load          | 0                 | 0 must be at least 1",
                "alert_load          | 2.5               | '2.5' is not a whole number",
                "alert_disk          | 9XB               | '9XB' has an unknown unit 'XB' (use B, KB, MB, GB or TB)",
                "max_disk            | -1                | '-1' is negative; a size must be 0 or more",
                "max_disk            | 1.5               | '1.5' is not a whole number of bytes",
                "max_cache_size      | lots              | 'lots' is not a size (e.g. 512KB, 10MB, 1GB or a number of bytes)",
                "max_item_size       | 99999999TB        | '99999999TB' is too large",
                "openflow_switch     | 127.0.0.1:6653    | '127.0.0.1:6653' is not a switch address (use tcp:HOST:PORT, e.g. tcp:127.0.0.1:6653)",
                "openflow_switch     | tcp:127.0.0.1     | 'tcp:127.0.0.1' is not a switch address (use tcp:HOST:PORT, e.g. tcp:127.0.0.1:6653)",
                "openflow_switch     | tcp:my switch:1   | 'tcp:my switch:1' is not a host name or address",
                "openflow_switch     | tcp::6653         | 'tcp::6653' is not a switch address (use tcp:HOST:PORT, e.g. tcp:127.0.0.1:6653)",
                "openflow_switch     | tcp:switch:       | 'tcp:switch:': '' is not a port number",
                "openflow_switch     | tcp:switch:70000  | 'tcp:switch:70000': port 70000 is out of range 1-65535",
                "openflow_switch     | udp:switch:6653   | 'udp:switch:6653' is not a switch address (use tcp:HOST:PORT, e.g. tcp:127.0.0.1:6653)",
                "verbosity           | 7                 | 7 is out of range 1-4",
                "origin_connect_timeout | 0s            | '0s' must be greater than zero",
                "origin_connect_timeout | 0.5ms         | '0.5ms' must be at least 1ms",
                "origin_read_timeout | soon              | 'soon' is not a duration (e.g. 500ms, 30s, 5m, 2h, 1d or a number of seconds)",
                "origin_read_timeout | -1s               | '-1s' is negative; a duration must be 0 or more",
                "sendfile_min_size   | 32 KiB?           | '32 KiB?' is not a size (e.g. 512KB, 10MB, 1GB or a number of bytes)",
                "sendfile_min_size   | ``                | has no value; remove the line to use the default",
                "open_body_files     | 0                 | 0 must be at least 1",
                "origin_deny         | 10.0.0.0/33       | '10.0.0.0/33': the prefix length must be 0-32",
                "origin_deny         | fd00::/129        | 'fd00::/129': the prefix length must be 0-128",
                "origin_deny         | 10.0.0.1/8        | 10.0.0.1/8 has bits set after the prefix (the block starts at 10.0.0.0)",
                "origin_deny         | example.com/24    | 'example.com/24' is not an IPv4 or IPv6 address block (use e.g. 10.0.0.0/8 or fd00::/8)",
                "origin_deny         | 10.0.0/24         | '10.0.0/24' is not an IPv4 or IPv6 address block (use e.g. 10.0.0.0/8 or fd00::/8)",
                "origin_deny         | 10.0.0.0/x        | '10.0.0.0/x': the prefix length must be 0-32",
                "origin_deny         | fd00:::1/64       | 'fd00:::1/64' is not an IPv4 or IPv6 address block (use e.g. 10.0.0.0/8 or fd00::/8)",
                "origin_deny         | `10.0.0.0/8,,fd00::/8` | '10.0.0.0/8,,fd00::/8' has an empty entry (separate blocks with one comma)",
        })
        void nodeRejects(String key, String value, String problem) {
            ConfigException e = assertThrows(ConfigException.class, () -> node(key + " = " + value));
            assertMessage(e, Path.of(test()), "key '" + key + "': " + problem);
            assertEquals(Optional.of(key), e.key());
        }

        @Test
        void badDatabaseName() {
            ConfigException e = assertThrows(ConfigException.class, () -> controller("database_name = my.db"));
            assertEquals(test() + ": key 'database_name': 'my.db' is not a MongoDB database name"
                    + " (at most 63 characters, none of / \\ . \" $ * < > : | ? or space)", e.getMessage());
        }

        @Test
        void defaultNodePortInsideConfiguredPortRange() {
            ConfigException e = assertThrows(ConfigException.class, () -> node("port_range = 49000-49100"));
            assertEquals(test() + ": key 'node_port': 49002 (the default) is inside port_range 49000-49100;"
                    + " instances use those ports", e.getMessage());
        }

        @Test
        void mapSourceNameIsUsedInMessages() {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigReader.controller(Map.of("controller_port", "70000"), "controller.conf"));
            assertEquals("controller.conf: key 'controller_port': 70000 is out of range 1-65535", e.getMessage());
        }
    }
}
