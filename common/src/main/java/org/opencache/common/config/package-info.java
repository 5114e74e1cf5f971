/**
 * Configuration of the controller and node processes (docs/design.md §3).
 *
 * <p>{@link org.opencache.common.config.ConfigReader} turns an INI file into a validated
 * {@link org.opencache.common.config.ControllerConfig} or
 * {@link org.opencache.common.config.NodeConfig}, or fails with a
 * {@link org.opencache.common.config.ConfigException} whose message is the one line the launcher
 * prints. {@link org.opencache.common.config.Units} reads and writes sizes and durations.
 */
package org.opencache.common.config;
