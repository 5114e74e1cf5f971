package org.opencache.node.http.serve;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A three-party test whose origin writes raw bytes ({@link RawOrigin}): for what Jetty's test
 * origin cannot send (interim responses, transfer codings, framing), with a cache in front of it.
 */
abstract class RawOriginTest extends ThreePartyTest {
    RawOrigin raw;

    @BeforeEach
    void startRawOrigin() throws Exception {
        raw = new RawOrigin();
        cache = CacheFixture.start(raw.authority());
    }

    @AfterEach
    void stopRawOrigin() throws IOException {
        release.countDown();
        raw.close();
    }
}
