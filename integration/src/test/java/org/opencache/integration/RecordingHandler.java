package org.opencache.integration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opencache.common.protocol.Command;
import org.opencache.common.protocol.FetchCommand;
import org.opencache.common.protocol.InstanceCommand;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.common.protocol.InstancesResult;
import org.opencache.common.protocol.PurgeCommand;
import org.opencache.common.protocol.RpcError;
import org.opencache.common.protocol.SeedCommand;
import org.opencache.common.protocol.StartCommand;
import org.opencache.common.protocol.StatCommand;
import org.opencache.node.link.CommandException;
import org.opencache.node.link.CommandHandler;

/**
 * A node's command handler for tests: records every command; {@code start}, {@code stop} and
 * {@code pause} answer the instance of their expression in its new state; an expression starting
 * with {@code refused.} is refused; a slow handler waits until {@link #release()}.
 */
final class RecordingHandler implements CommandHandler {
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final boolean slow;

    private RecordingHandler(boolean slow) {
        this.slow = slow;
    }

    /** Answers at once. */
    static RecordingHandler prompt() {
        return new RecordingHandler(false);
    }

    /** Answers only after {@link #release()} (or 10 s). */
    static RecordingHandler slow() {
        return new RecordingHandler(true);
    }

    /** Commands received, as {@code "method expr"}. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    /** Lets a slow handler answer. */
    void release() {
        released.countDown();
    }

    @Override
    public Object handle(Command command) throws CommandException {
        String expr = switch (command) {
            case InstanceCommand instances -> instances.expressions().canonical();
            case StatCommand stat -> stat.expressions().canonical();
            case FetchCommand fetch -> fetch.urls().canonical();
            case SeedCommand seed -> seed.urls().canonical();
            case PurgeCommand purge -> purge.expressions().canonical();
        };
        commands.add(command.method() + " " + expr);
        if (slow) {
            awaitRelease();
        }
        if (expr.startsWith("refused.")) {
            throw CommandException.invalidParams("expr: " + expr + " is refused by this test");
        }
        if (!(command instanceof InstanceCommand)) {
            return true;
        }
        InstanceStatus status = InstanceStatus.fromWire(command.method());
        long horizon = command instanceof StartCommand start ? start.horizon().toSeconds() : 0;
        InstanceState touched = new InstanceState(expr, status, status == InstanceStatus.STOP ? 0 : 49003, horizon);
        return new InstancesResult(List.of(touched));
    }

    private void awaitRelease() throws CommandException {
        try {
            released.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(RpcError.internal("interrupted"));
        }
    }
}
