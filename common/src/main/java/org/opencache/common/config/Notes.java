package org.opencache.common.config;

import org.slf4j.event.Level;

/**
 * Where {@link ConfigReader} reports what is worth knowing but not fatal (legacy and unknown
 * keys). Production passes SLF4J; tests pass a list, so they can assert the lines without a
 * logging backend.
 */
@FunctionalInterface
interface Notes {

    /** Records one log line. */
    void note(Level level, String message);
}
