package org.opencache.common.protocol;

import java.util.Set;

/** The method names of the controller–node link (docs/design.md §5). */
public final class Methods {
    /** Node → controller request: registers the node and announces its instances. */
    public static final String HELLO = "hello";
    /** Node → controller request: the node is alive. */
    public static final String KEEP_ALIVE = "keep_alive";
    /** Node → controller request: the node is shutting down. */
    public static final String GOODBYE = "goodbye";
    /** Node → controller notification ({@link StatReport}); controller → node request for a fresh one. */
    public static final String STAT = "stat";
    /** Node → controller notification ({@link Alert}). */
    public static final String ALERT = "alert";
    /** Controller → node: create or resume instances. */
    public static final String START = "start";
    /** Controller → node: end instances and delete their content. */
    public static final String STOP = "stop";
    /** Controller → node: stop serving, keep content. */
    public static final String PAUSE = "pause";
    /** Controller → node: pre-cache URLs. */
    public static final String FETCH = "fetch";
    /** Controller → node: store URLs as one object. */
    public static final String SEED = "seed";

    /** Controller → node: drop stored objects by URL or URL prefix; answered with how many. */
    public static final String PURGE = "purge";

    /** The commands a controller sends to nodes, each a {@link Command} record. */
    public static final Set<String> COMMANDS = Set.of(START, STOP, PAUSE, FETCH, SEED, PURGE, STAT);

    private Methods() {
    }
}
