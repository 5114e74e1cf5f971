package org.opencache.common.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs refused requests at most once per client address per minute, with the number of refusals
 * the address had since its last line, so a client hammering with a wrong token cannot flood
 * the log. Callers pass reasons that never contain a secret.
 */
public final class RefusalLog {
    /** One line per address per this long. */
    public static final Duration PERIOD = Duration.ofMinutes(1);
    /** Addresses tracked at once; past it the rest share one line, so memory stays bounded. */
    private static final int MAX_ADDRESSES = 10_000;
    private static final String OTHERS = "other addresses";

    private final Logger log;
    private final Clock clock;
    private final String what;
    private final Map<String, Window> windows = new HashMap<>();

    private static final class Window {
        final Instant start;
        int suppressed;

        Window(Instant start) {
            this.start = start;
        }
    }

    /**
     * @param log   where the lines go (WARN)
     * @param clock the process's clock
     * @param what  the endpoint, for the lines, e.g. {@code JSON-RPC request}
     */
    public RefusalLog(Logger log, Clock clock, String what) {
        this.log = log;
        this.clock = clock;
        this.what = what;
    }

    /** Records a refusal of a request from {@code address}; logs it unless this address was logged within the minute. */
    public void refused(String address, int status, String reason) {
        String line = null;
        synchronized (this) {
            Instant now = clock.instant();
            String key = address;
            if (!windows.containsKey(key) && windows.size() >= MAX_ADDRESSES) {
                windows.values().removeIf(w -> !now.isBefore(w.start.plus(PERIOD)));
                if (windows.size() >= MAX_ADDRESSES) {
                    key = OTHERS;
                }
            }
            Window window = windows.get(key);
            if (window != null && now.isBefore(window.start.plus(PERIOD))) {
                window.suppressed++;
                return;
            }
            int before = window == null ? 0 : window.suppressed;
            windows.put(key, new Window(now));
            line = "refused " + what + " from " + key + " with " + status + ": " + reason
                    + (before == 0 ? "" : " (and " + before + " more refusals in the minute before)")
                    + "; further refusals from this address are logged at most once a minute";
        }
        log.warn(line);
    }
}
