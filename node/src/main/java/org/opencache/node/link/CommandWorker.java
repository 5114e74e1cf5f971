package org.opencache.node.link;

import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.opencache.common.protocol.Command;
import org.opencache.common.protocol.MalformedMessageException;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.MessageCodec;
import org.opencache.common.protocol.Methods;
import org.opencache.common.protocol.RpcError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the controller's commands on one worker thread, in arrival order, and hands each
 * answer back for the link thread to send. One at a time on purpose: a {@code stop} must not
 * overtake the {@code start} of the same expression.
 */
final class CommandWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandWorker.class);

    private final CommandHandler handler;
    private final Consumer<Message.Response> replies;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("opencache-link-commands").factory());

    /**
     * A worker that runs {@code handler}.
     *
     * @param replies where answers go to be sent (the link's outbox)
     */
    CommandWorker(CommandHandler handler, Consumer<Message.Response> replies) {
        this.handler = handler;
        this.replies = replies;
    }

    /** Queues a command; returns at once. A request that is no command is answered "method not found". */
    void submit(Message.Request command) {
        if (!Methods.COMMANDS.contains(command.method())) {
            replies.accept(new Message.Failure(command.id(), RpcError.of(RpcError.METHOD_NOT_FOUND,
                    "Method not found", "'" + command.method() + "' is not a command nodes carry out ("
                            + String.join(", ", new TreeSet<>(Methods.COMMANDS)) + ")")));
            return;
        }
        Command decoded;
        try {
            decoded = MessageCodec.command(command);
        } catch (MalformedMessageException e) {
            log.info("command '{}' {} refused: {}", command.method(), command.params(), e.getMessage());
            replies.accept(new Message.Failure(command.id(), RpcError.invalidParams(e.getMessage())));
            return;
        }
        try {
            executor.execute(() -> replies.accept(run(command, decoded)));
        } catch (RejectedExecutionException e) {
            log.debug("dropped command '{}': the link is closing", command.method());
        }
    }

    private Message.Response run(Message.Request command, Command decoded) {
        try {
            return new Message.Result(command.id(), MessageCodec.tree(handler.handle(decoded)));
        } catch (CommandException e) {
            log.info("command '{}' {} failed: {}", command.method(), command.params(), e.getMessage());
            return new Message.Failure(command.id(), e.error());
        } catch (RuntimeException e) {
            log.error("command '{}' {} failed", command.method(), command.params(), e);
            return new Message.Failure(command.id(), RpcError.internal(e.toString()));
        }
    }

    /** Stops the worker; a command in progress is interrupted and its answer dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
