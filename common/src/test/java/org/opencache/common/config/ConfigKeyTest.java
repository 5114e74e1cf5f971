package org.opencache.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opencache.common.config.ConfigKey.Type;

/** The key table agrees with the reader: same keys per role, same types, defaults that read back. */
class ConfigKeyTest {

    private final List<String> notes = new ArrayList<>();
    private final Notes recorder = (level, message) -> notes.add(level + " " + message);

    /** A value the type's getter rejects; empty for the type no role reads. */
    private static Optional<String> invalid(Type type) {
        return Optional.ofNullable(switch (type) {
            case HOST, OPTIONAL_HOST -> "my host";
            case PORT -> "0";
            case PORT_RANGE -> "49003";
            case SIZE -> "lots";
            case DURATION, DURATION_OR_ZERO, TIMEOUT -> "soon";
            case WHOLE -> "many";
            case PATH -> "";
            case OPTIONAL_PATH -> "a\0b";
            case OPENFLOW_ADDRESS -> "switch:6653";
            case DATABASE_URI -> "db:27017";
            case DATABASE_NAME -> "my.db";
            case BOOLEAN -> "maybe";
            case ADDRESS_RANGES -> "10.0.0.0/33";
            case ACCESS_LOG_FORMAT -> "apache";
            case FIELD_NAMES -> "CDN Cache Control";
            case SET_COOKIE -> "eat";
            case UNUSED -> null;
        });
    }

    private Object read(Role role, Map<String, String> values) throws ConfigException {
        return role == Role.CONTROLLER
                ? ConfigReader.controller(values, "test.conf", recorder)
                : ConfigReader.node(values, "test.conf", recorder);
    }

    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void keysAreLowerCaseAndFoundByName(ConfigKey key) {
        assertTrue(key.key().matches("[a-z_]+"), key.key());
        assertEquals(key.name().toLowerCase(Locale.ROOT), key.key(), "constant named after its key");
        assertEquals(Optional.of(key), ConfigKey.of(key.key()));
    }

    @Test
    void unknownKeyIsNotFound() {
        assertEquals(Optional.empty(), ConfigKey.of("colour"));
        assertEquals(Optional.empty(), ConfigKey.of("MAX_DISK"), "keys are looked up as a file writes them, lower case");
    }

    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void everyRoleThatReadsAKeyValidatesIt(ConfigKey key) {
        for (Role role : key.roles()) {
            String value = invalid(key.type()).orElseThrow();
            ConfigException e = assertThrows(ConfigException.class, () -> read(role, Map.of(key.key(), value)),
                    role.noun() + " must read " + key.key());
            assertEquals(Optional.of(key.key()), e.key(), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void onlyLegacyKeysAreUnused(ConfigKey key) {
        assertEquals(key.legacy(), key.type() == Type.UNUSED, key.key());
        assertEquals(key.legacy(), invalid(key.type()).isEmpty(), key.key());
    }

    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void onlyKeysThatMeanNoneWhenEmptyHaveNoDefault(ConfigKey key) {
        boolean emptyMeansNone = switch (key.type()) {
            case OPTIONAL_HOST, OPTIONAL_PATH, OPENFLOW_ADDRESS, DATABASE_URI, ADDRESS_RANGES, UNUSED -> true;
            default -> false;
        };
        assertEquals(emptyMeansNone, key.defaultValue().isEmpty(), key.key() + " = '" + key.defaultValue() + "'");
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void everyKeyOfARoleSetToItsDefaultIsTheDefaultsWithoutANote(Role role) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.readBy(role)) {
                defaults.put(key.key(), key.defaultValue());
            }
        }
        assertEquals(read(role, Map.of()), read(role, defaults));
        assertEquals(List.of(), notes, "the " + role.noun() + " reads every key the table gives it");
    }

    @Test
    void roleKeySetsComeFromTheTable() {
        assertTrue(ConfigKeys.CONTROLLER.contains("database_uri"));
        assertFalse(ConfigKeys.NODE.contains("database_uri"));
        assertTrue(ConfigKeys.NODE.contains("horizon"));
        assertTrue(ConfigKeys.CONTROLLER.contains("verbosity") && ConfigKeys.NODE.contains("verbosity"));
        assertEquals(Set.of("openflow_host", "openflow_port", "switch_dpid", "vlan_id"), ConfigKeys.LEGACY);
        assertEquals(ConfigKey.values().length,
                Arrays.stream(ConfigKey.values()).filter(key -> ConfigKeys.CONTROLLER.contains(key.key())
                        || ConfigKeys.NODE.contains(key.key()) || ConfigKeys.LEGACY.contains(key.key())).count());
    }

    @Test
    void markdownTableHasAHeaderAndOneRowPerKey() {
        List<String> lines = ConfigKey.markdownTable().lines().toList();
        assertEquals("| key | role(s) | type | default | description |", lines.get(0));
        assertEquals("|---|---|---|---|---|", lines.get(1));
        assertEquals(ConfigKey.values().length + 2, lines.size());
        assertTrue(ConfigKey.markdownTable().endsWith(" |\n"));
        assertTrue(lines.contains("| `verbosity` | controller, node | whole number 1-4 | `3` |"
                + " Log level: 1 error, 2 warn, 3 info, 4 debug. |"), lines.toString());
        assertTrue(lines.contains("| `alert_load` | node | whole number >= 1 | `500` |"
                + " Requests per second above which the node sends a load alert. |"), lines.toString());
        assertTrue(lines.contains("| `log_path` | controller, node | path or empty | none |"
                + " Log file, or directory (ends in / or exists; created when missing) that gets controller.log,"
                + " node.log, or opencache.log for both roles in one process; none means standard output only. |"),
                lines.toString());
        assertTrue(lines.contains("| `vlan_id` | none (original OpenCache) | any (ignored) | none |"
                + " VLAN of the original OpenCache's Floodlight rules; not used. |"), lines.toString());
    }
}
