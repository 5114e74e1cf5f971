package org.opencache.integration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opencache.integration.LinkHarness.awaitConnected;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencache.common.expr.ExpressionList;
import org.opencache.common.keys.ControllerLinkKeys;
import org.opencache.common.keys.CurveKey;
import org.opencache.common.keys.LinkKeyPair;
import org.opencache.common.keys.LinkKeys;
import org.opencache.common.protocol.Hello;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.common.protocol.LinkEndpoint;
import org.opencache.common.protocol.MalformedMessageException;
import org.opencache.common.protocol.Message;
import org.opencache.common.protocol.MessageCodec;
import org.opencache.common.protocol.Methods;
import org.opencache.common.protocol.StartCommand;
import org.opencache.common.protocol.StopCommand;
import org.opencache.controller.nodes.CommandOutcome;
import org.opencache.controller.state.InstanceRecord;
import org.opencache.controller.state.MongoControllerState;
import org.opencache.controller.state.NodeRecord;
import org.opencache.controller.state.NodeStatus;
import org.opencache.node.link.ControllerLink;
import org.opencache.node.link.NodeIdentity;
import org.opencache.testing.Await;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The CURVE-secured link (docs/design.md §5) over real sockets: only authorized keys join, a
 * node is its key, and the hijack of a plain link (a script saying hello with a node's uuid from
 * elsewhere) gets nowhere.
 */
@Timeout(60)
class CurveLinkIT {
    private static final InstanceState A = new InstanceState("a.example", InstanceStatus.START, 49003, 0);

    @TempDir
    Path root;
    private LinkKeys.Written controller;
    private LinkKeys.Written nodeA;
    private LinkKeys.Written nodeB;
    private LinkKeys.Written stranger;
    private LinkHarness harness;
    private MongoControllerState state;
    private final List<ForgedNode> forged = new ArrayList<>();
    private final Logger linkLog = (Logger) LoggerFactory.getLogger("org.opencache.controller.nodes");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        controller = LinkKeys.write(root.resolve("keys/controller"));
        nodeA = LinkKeys.write(root.resolve("keys/a"));
        nodeB = LinkKeys.write(root.resolve("keys/b"));
        stranger = LinkKeys.write(root.resolve("keys/stranger"));
        Path authorized = Files.createDirectories(root.resolve("keys/authorized"));
        Files.copy(nodeA.publicFile(), authorized.resolve("a.pub"));
        Files.copy(nodeB.publicFile(), authorized.resolve("b.pub"));
        logged.start();
        linkLog.addAppender(logged);
        harness = new LinkHarness(root, Optional.of(new ControllerLinkKeys(controller.pair(),
                LinkKeys.readAuthorized(authorized))));
        state = harness.state();
    }

    @AfterEach
    void stop() {
        forged.forEach(ForgedNode::close);
        harness.close();
        linkLog.detachAppender(logged);
    }

    /** A node of the harness whose link uses {@code keys}' secret and the controller's public key. */
    private ControllerLink curveNode(String name, LinkKeys.Written keys, List<InstanceState> instances,
            RecordingHandler handler) throws IOException {
        return harness.node(LinkHarness.nodeKeys(harness.notificationPort(), harness.cachePath(name))
                .set("link_secret_key", keys.secretFile())
                .set("controller_public_key", controller.publicFile())
                .build(), () -> instances, handler);
    }

    @Test
    void jeromqAndOurKeysAgreeOnThePublicKeyOfASecret() {
        ZMQ.Curve.KeyPair jeromq = ZMQ.Curve.generateKeyPair();
        assertEquals(new LinkKeyPair(new CurveKey(jeromq.publicKey), new CurveKey(jeromq.secretKey)),
                LinkKeys.pairOf(new CurveKey(jeromq.secretKey)));
    }

    @Test
    void aNodeWithAnAuthorizedKeySaysHelloKeepsAliveAndCarriesOutCommands() throws Exception {
        RecordingHandler handler = RecordingHandler.prompt();
        ControllerLink node = curveNode("a", nodeA, List.of(A), handler);

        int id = awaitConnected(node);
        NodeRecord record = state.node(id).orElseThrow();
        assertEquals("curve:" + nodeA.pair().publicKey(), record.uuid(), "the node is known by its key");
        assertEquals(List.of(InstanceRecord.reported(id, A)), state.instances());
        Await.holds("node up on keep-alives", LinkHarness.NODE_TIMEOUT.multipliedBy(2),
                () -> node.isConnected() && harness.status(id) == NodeStatus.UP);

        CommandOutcome outcome = harness.server().send(List.of(id),
                new StartCommand(ExpressionList.parse("b.example"), Duration.ZERO));
        assertEquals(new CommandOutcome(List.of(id), List.of()), outcome);
        assertEquals(List.of("start b.example"), handler.commands());
    }

    @Test
    void unknownKeysAndPlainNodesNeverJoinAndEachKeyIsLoggedOnce() throws Exception {
        ControllerLink strangerNode = curveNode("stranger", stranger, List.of(A), RecordingHandler.prompt());
        ControllerLink plainNode = harness.node("plain", List.of(A), RecordingHandler.prompt());
        // A second connection with the same unknown key, made after the first was refused.
        Await.until("the unknown key refused", Duration.ofSeconds(10), () -> refusals(stranger) == 1);
        forged.add(new ForgedNode(harness.notificationPort(), stranger.pair(), controller.pair().publicKey(),
                Optional.empty()));

        Await.holds("no node joins", LinkHarness.NODE_TIMEOUT.multipliedBy(2),
                () -> state.nodes().isEmpty() && !strangerNode.isConnected() && !plainNode.isConnected());
        assertEquals(1, refusals(stranger), "logged once although refused again and again");
        assertEquals(Set.of(), Set.copyOf(state.instances()));
    }

    @Test
    void aScriptWithTheNodesUuidCannotTakeItsPlace() throws Exception {
        RecordingHandler handler = RecordingHandler.prompt();
        ControllerLink real = curveNode("a", nodeA, List.of(A), handler);
        int id = awaitConnected(real);
        String uuid = NodeIdentity.load(harness.cachePath("a")); // as the node's /status page used to print it

        // The attack of a plain link: the node's uuid as identity, a hello from elsewhere with no instances.
        Hello impostor = new Hello(uuid, "10.6.6.6", 49002, "dev", List.of());
        ForgedNode unknownKey = new ForgedNode(harness.notificationPort(), stranger.pair(),
                controller.pair().publicKey(), Optional.of(uuid));
        forged.add(unknownKey);
        unknownKey.send(new Message.Request(1, Methods.HELLO, MessageCodec.params(impostor)));
        // The same from a node whose key is authorized (a compromised node): naming its connection
        // after the uuid gets its messages dropped, and without a name it can only be itself.
        ForgedNode otherNamed = new ForgedNode(harness.notificationPort(), nodeB.pair(),
                controller.pair().publicKey(), Optional.of(uuid));
        forged.add(otherNamed);
        Await.until("the named connection refused", Duration.ofSeconds(10), () -> {
            otherNamed.send(new Message.Request(1, Methods.HELLO, MessageCodec.params(impostor)));
            return warnings("set its own socket identity") == 1;
        });
        ForgedNode otherNode = new ForgedNode(harness.notificationPort(), nodeB.pair(),
                controller.pair().publicKey(), Optional.empty());
        forged.add(otherNode);
        Await.until("the other node's hello answered", Duration.ofSeconds(10), () -> {
            otherNode.send(new Message.Request(2, Methods.HELLO, MessageCodec.params(impostor)));
            return state.nodes().size() == 2;
        });

        NodeRecord victim = state.node(id).orElseThrow();
        assertEquals("127.0.0.1", victim.host());
        assertEquals(NodeStatus.UP, victim.status());
        NodeRecord other = state.nodes().stream().filter(n -> n.nodeId() != id).findFirst().orElseThrow();
        assertEquals("curve:" + nodeB.pair().publicKey(), other.uuid());
        assertEquals("10.6.6.6", other.host());
        assertEquals(List.of(InstanceRecord.reported(id, A)),
                state.instances().stream().filter(i -> i.nodeId() == id).toList(), "the real node keeps its instances");

        CommandOutcome stop = harness.server().send(List.of(id), new StopCommand(ExpressionList.parse("a.example")));
        assertEquals(new CommandOutcome(List.of(id), List.of()), stop);
        assertEquals(List.of("stop a.example"), handler.commands(), "the real node received the stop");
        Await.holds("no command reaches the impostors", Duration.ofMillis(500),
                () -> unknownKey.commandsReceived().isEmpty() && otherNamed.commandsReceived().isEmpty()
                        && otherNode.commandsReceived().isEmpty());
        // The stranger's handshake is refused on the link's own thread: on a loaded machine the
        // WARN may come after everything above (a full verify saw 0 here once).
        Await.until("the unknown key refused", Duration.ofSeconds(10), () -> refusals(stranger) >= 1);
        assertEquals(1, refusals(stranger), "logged once");
    }

    /** WARN lines of the link containing {@code text}. */
    private long warnings(String text) {
        return List.copyOf(logged.list).stream()
                .filter(event -> event.getLevel() == Level.WARN && event.getFormattedMessage().contains(text))
                .count();
    }

    /** WARN lines about refusing {@code keys}' public key. */
    private long refusals(LinkKeys.Written keys) {
        return List.copyOf(logged.list).stream()
                .filter(event -> event.getLevel() == Level.WARN)
                .filter(event -> event.getFormattedMessage().contains(keys.pair().publicKey().z85()))
                .filter(event -> event.getFormattedMessage().contains("not in link_authorized_keys"))
                .count();
    }

    /** A script with a CURVE key and, if it likes, an identity of its choosing: a DEALER driven by the test. */
    private static final class ForgedNode implements AutoCloseable {
        private final ZContext context = new ZContext(1);
        private final ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        private final List<String> commands = new ArrayList<>();

        ForgedNode(int port, LinkKeyPair keys, CurveKey controllerKey, Optional<String> identity) {
            identity.ifPresent(id -> dealer.setIdentity(id.getBytes(UTF_8)));
            dealer.setCurveServerKey(controllerKey.bytes());
            dealer.setCurvePublicKey(keys.publicKey().bytes());
            dealer.setCurveSecretKey(keys.secretKey().bytes());
            dealer.setLinger(0);
            dealer.setHandshakeIvl(1_000);
            dealer.connect(LinkEndpoint.tcp("127.0.0.1", port));
        }

        void send(Message message) {
            dealer.send(MessageCodec.encode(message), ZMQ.DONTWAIT);
        }

        /** The methods of the requests received so far (the controller's commands). */
        List<String> commandsReceived() {
            for (byte[] frame = dealer.recv(ZMQ.DONTWAIT); frame != null; frame = dealer.recv(ZMQ.DONTWAIT)) {
                try {
                    if (MessageCodec.decode(frame) instanceof Message.Request request) {
                        commands.add(request.method());
                    }
                } catch (MalformedMessageException e) {
                    commands.add("malformed: " + e.getMessage());
                }
            }
            return commands;
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
