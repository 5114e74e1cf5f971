package org.opencache.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@code opencache reopen-logs} recognises an OpenCache process by its command line. */
class ReopenLogsTest {

    @Test
    void aRoleRunFromTheJarOrTheMainClassIsOurs() {
        assertTrue(ReopenLogs.isOpenCache(List.of("-Xmx1g", "-jar", "/opt/opencache/dist/target/opencache.jar",
                "--node", "--config", "/etc/opencache/node.conf")));
        assertTrue(ReopenLogs.isOpenCache(List.of("-cp", "/opt/opencache/lib/*", "org.opencache.dist.OpenCacheMain",
                "--controller", "--config", "c.conf")));
        assertTrue(ReopenLogs.isOpenCache(List.of("-jar", "lib/opencache-1.2.0.jar", "--controller", "--node")));
    }

    @Test
    void otherJavaProcessesAndOurOwnCommandsAreNot() {
        assertFalse(ReopenLogs.isOpenCache(List.of("-jar", "/opt/other/app.jar", "--node")));
        assertFalse(ReopenLogs.isOpenCache(List.of("-jar", "opencache.jar", "reopen-logs", "--config", "x")),
                "no role: another reopen-logs or keygen");
        assertFalse(ReopenLogs.isOpenCache(List.of("-cp", "opencache.jar", "org.opencache.dist.JvmOptions", "--node")));
    }

    @Test
    void theConfigArgumentInBothSpellings() {
        assertEquals(Optional.of("a.conf"), ReopenLogs.configArgument(List.of("--node", "--config", "a.conf")));
        assertEquals(Optional.of("/b.conf"), ReopenLogs.configArgument(List.of("--config=/b.conf", "--node")));
        assertEquals(Optional.empty(), ReopenLogs.configArgument(List.of("--node")));
    }
}
