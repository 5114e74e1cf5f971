/**
 * Configuration of the controller and node processes (docs/design.md §3).
 *
 * <p>{@link org.opencache.common.config.ConfigKey} is the one table of keys (name, roles, type,
 * default, description): reading, the notes about unknown keys, the check of
 * {@code examples/config/standalone.conf} and the generated key table of docs/design.md all come
 * from it. {@link org.opencache.common.config.ConfigReader} turns an INI file into a validated
 * {@link org.opencache.common.config.ControllerConfig} or
 * {@link org.opencache.common.config.NodeConfig}, or fails with a
 * {@link org.opencache.common.config.ConfigException} whose message is the one line the launcher
 * prints. {@link org.opencache.common.config.Units} reads and writes sizes and durations.
 *
 * <p>May use Apache Commons Configuration (INI files only here) and SLF4J; used by every module.
 */
package org.opencache.common.config;
