package org.opencache.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

class SettingExceptionTest {

    @Test
    void aPortInUseIsNamedByItsKey() {
        // What Jetty throws: its own words, the JDK's BindException as the cause.
        IOException jetty = new IOException("Failed to bind to /127.0.0.1:49001",
                new BindException("Address already in use"));
        SettingException e = SettingException.ofBind(ConfigKey.CONTROLLER_PORT, 49001, "127.0.0.1:49001", jetty)
                .orElseThrow();
        assertEquals("controller_port = 49001: address in use", e.getMessage());
        assertEquals("controller_port", e.key());
        assertEquals(jetty, e.getCause());
    }

    @Test
    void anotherBindFailureSaysWhereAndWhy() {
        SettingException e = SettingException.ofBind(ConfigKey.NODE_PORT, 49002, "10.9.9.9:49002",
                new IOException("Failed to bind", new BindException("Cannot assign requested address"))).orElseThrow();
        assertEquals("node_port = 49002: cannot listen on 10.9.9.9:49002: cannot assign requested address",
                e.getMessage());
    }

    @Test
    void aFailureThatIsNotABindIsNotASettingsFault() {
        assertTrue(SettingException.ofBind(ConfigKey.NODE_PORT, 49002, "127.0.0.1:49002",
                new IOException("keystore unreadable")).isEmpty());
    }

    @Test
    void olderJdkWordingIsShortenedToo() {
        assertEquals("address in use", SettingException.bindReason("Address already in use (Bind failed)"));
    }
}
