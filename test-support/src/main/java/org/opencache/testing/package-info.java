/**
 * What the tests of every module share, so that each is written once: {@link
 * org.opencache.testing.Await} (wait for a condition until a deadline, and fail there), {@link
 * org.opencache.testing.MutableClock} (a clock tests move), {@link org.opencache.testing.TestConfigs}
 * (controller and node configurations on loopback), {@link org.opencache.testing.Ports} (free
 * ports), {@link org.opencache.testing.TestOrigin} (a scriptable HTTP origin), {@link
 * org.opencache.testing.RpcClient} (raw JSON-RPC calls to a controller) and {@link
 * org.opencache.testing.LogCapture} (what a logger logged).
 *
 * <p>Uses only {@code common} of ours (the config records and reader, the JSON mapper), Jetty's
 * server for the origin and Logback for captured log lines; the other modules use it with test scope, so none of it reaches a
 * runnable jar.
 */
package org.opencache.testing;
