package org.opencache.node.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opencache.common.json.Json;
import org.opencache.common.protocol.FetchCommand;
import org.opencache.common.protocol.InstanceCommand;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.PurgeCommand;
import org.opencache.common.protocol.RpcError;
import org.opencache.common.protocol.SeedCommand;
import org.opencache.common.protocol.StatCommand;

/**
 * The node's answers to requests that carry no command it can run. A controller built from this
 * code cannot send them (commands are typed records), so the frames are made by hand, as a
 * controller of another version might send them.
 */
class CommandWorkerTest {
    /** The commands the handler ran, as {@code "method expr"}. */
    private final List<String> commands = new CopyOnWriteArrayList<>();
    /** Runs every command by recording it, and answers {@code true}. */
    private final CommandHandler handler = command -> {
        commands.add(command.method() + " " + switch (command) {
            case InstanceCommand instances -> instances.expressions().canonical();
            case StatCommand stat -> stat.expressions().canonical();
            case FetchCommand fetch -> fetch.urls().canonical();
            case SeedCommand seed -> seed.urls().canonical();
            case PurgeCommand purge -> purge.expressions().canonical();
        });
        return true;
    };
    private final LinkedBlockingQueue<Message.Response> replies = new LinkedBlockingQueue<>();

    @Test
    void aMethodThatIsNoCommandIsNotFoundOnTheNode() throws Exception {
        Message.Failure failure = answer(new Message.Request(7, "frobnicate", Json.mapper().createObjectNode()
                .put("expr", "*")));

        assertEquals("Method not found: 'frobnicate' is not a command nodes "
                + "carry out (fetch, pause, purge, seed, start, stat, stop)", failure.error().describe());
        assertEquals(List.of(), commands);
    }

    @Test
    void aCommandWithAnInvalidExpressionIsRefusedWithoutRunning() throws Exception {
        Message.Failure failure = answer(new Message.Request(8, "stop", Json.mapper().createObjectNode()
                .put("expr", "exa mple.com")));

        assertEquals(RpcError.INVALID_PARAMS, failure.error().code());
        assertEquals(8, failure.id());
        assertEquals(List.of(), commands);
    }

    @Test
    void aCommandRunsAndIsAnsweredWithItsId() throws Exception {
        try (CommandWorker worker = new CommandWorker(handler, replies::add)) {
            worker.submit(new Message.Request(9, "stat", Json.mapper().createObjectNode().put("expr", "*")));
            Message.Response reply = replies.poll(10, TimeUnit.SECONDS);
            assertEquals(9, assertInstanceOf(Message.Result.class, reply).id());
        }
        assertEquals(List.of("stat *"), commands);
    }

    private Message.Failure answer(Message.Request request) throws InterruptedException {
        try (CommandWorker worker = new CommandWorker(handler, replies::add)) {
            worker.submit(request);
            return assertInstanceOf(Message.Failure.class, replies.poll(10, TimeUnit.SECONDS));
        }
    }
}
