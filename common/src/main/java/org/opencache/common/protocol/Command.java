package org.opencache.common.protocol;

/**
 * A command the controller sends to nodes (docs/design.md §5): one record per method, so that a
 * new command is one record here, one case in {@link MessageCodec} and one handler on the node.
 *
 * <p>{@link MessageCodec#request} writes a command as a link request and
 * {@link MessageCodec#command} reads it back; nothing else touches its params. A node dispatches
 * on the record type; the method name is only the wire's.
 */
public sealed interface Command permits InstanceCommand, FetchCommand, SeedCommand, PurgeCommand, StatCommand {

    /** The link method that carries this command, one of {@link Methods#COMMANDS}. */
    String method();
}
