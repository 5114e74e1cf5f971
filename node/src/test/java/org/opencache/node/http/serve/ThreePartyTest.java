package org.opencache.node.http.serve;

import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.opencache.node.http.rules.CacheStatus;
import org.opencache.testing.TestOrigin;

/**
 * The life cycle of a three-party test: a fresh origin before each test; the cache (started by
 * the test or its own set-up) and the origin stopped after it, with any route blocked on
 * {@link #release} let go first so no origin thread outlives the test.
 */
abstract class ThreePartyTest {
    /** Routes that must hold a response back wait on this; the test or the tear-down releases them. */
    final CountDownLatch release = new CountDownLatch(1);
    TestOrigin origin;
    CacheFixture cache;

    /** The response's {@code Cache-Status} (its first member). */
    static String cacheStatus(ContentResponse response) {
        return response.getHeaders().get(CacheStatus.FIELD);
    }

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new TestOrigin();
    }

    @AfterEach
    void stopAll() {
        release.countDown();
        if (cache != null) {
            cache.close();
        }
        origin.close();
    }
}
