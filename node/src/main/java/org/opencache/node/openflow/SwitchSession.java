package org.opencache.node.openflow;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.opencache.common.retry.Backoff;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's OpenFlow 1.3 session with one switch. It connects to the switch's listener (as
 * {@code ovs-ofctl} does), keeps the session alive with echoes, and reopens a lost one with
 * back-off. On every (re)connect it reconciles: deletes every rule carrying this node's cookie
 * and re-adds the desired rules, so whatever happened to the switch meanwhile, the desired state
 * wins. Each batch of flow-mods ends with a barrier; its future completes when the barrier reply
 * arrives, or fails with the switch errors the batch caused, each mapped to its rule by xid.
 */
public final class SwitchSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchSession.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final InetSocketAddress address;
    private final long nodeCookie;
    private final Supplier<Collection<RedirectRule>> desired;
    private final Duration echoInterval;
    private final AtomicLong xids = new AtomicLong();
    private final PendingBatches pending;
    private final ScheduledExecutorService echoes;
    private final Thread connector;
    private final Object sendLock = new Object();
    private OpenFlowChannel current; // guarded by sendLock
    private CompletableFuture<Void> nextSync = new CompletableFuture<>(); // guarded by sendLock
    private volatile boolean closed;
    private volatile long datapathId;

    /**
     * @param address      the switch's OpenFlow listener
     * @param nodeCookie   the node part of this node's cookies; reconciling deletes all of them
     * @param desired      the rules the switch must have, asked on every (re)connect
     * @param echoInterval how often the node probes the switch; three silent intervals end the session
     */
    public SwitchSession(InetSocketAddress address, long nodeCookie, Supplier<Collection<RedirectRule>> desired,
                         Duration echoInterval) {
        this.address = address;
        this.nodeCookie = nodeCookie;
        this.desired = desired;
        this.echoInterval = echoInterval;
        this.pending = new PendingBatches(address);
        this.echoes = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("openflow-echo").factory());
        this.connector = Thread.ofPlatform().daemon().name("openflow-session").unstarted(this::run);
    }

    /** Starts connecting in the background. */
    public SwitchSession start() {
        connector.start();
        long period = echoInterval.toMillis();
        echoes.scheduleAtFixedRate(this::probe, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Whether the handshake with the switch is done and the session is up. */
    public boolean isConnected() {
        synchronized (sendLock) {
            return current != null;
        }
    }

    /** The switch's datapath id, once connected. */
    public long datapathId() {
        return datapathId;
    }

    /**
     * Sends the rules as ADDs (which also restarts the lease of rules already there) and a barrier.
     * Without a session, the returned future completes with the next reconcile, which pushes the
     * desired state, so callers must have updated the desired rules first.
     */
    public CompletableFuture<Void> add(List<RedirectRule> rules) {
        List<OFMessage> messages = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (RedirectRule rule : rules) {
            messages.add(FlowMods.add(rule, nextXid()));
            names.add(rule.name());
        }
        return send(messages, names);
    }

    /** Deletes the rules whose cookie matches under {@code mask}; like {@link #add} otherwise. */
    public CompletableFuture<Void> delete(long cookie, long mask) {
        return send(List.of(FlowMods.deleteByCookie(cookie, mask, nextXid())),
                List.of("delete cookie " + Long.toHexString(cookie)));
    }

    private CompletableFuture<Void> send(List<OFMessage> messages, List<String> names) {
        synchronized (sendLock) {
            if (current == null) {
                return nextSync;
            }
            return sendBatch(current, messages, names);
        }
    }

    /** Writes the batch and its barrier; called with sendLock held. */
    private CompletableFuture<Void> sendBatch(OpenFlowChannel channel, List<OFMessage> messages, List<String> names) {
        long barrier = nextXid();
        CompletableFuture<Void> done = pending.open(messages.stream().map(OFMessage::getXid).toList(), names, barrier);
        List<OFMessage> all = new ArrayList<>(messages);
        all.add(FlowMods.OF13.buildBarrierRequest().setXid(barrier).build());
        try {
            channel.write(all);
        } catch (IOException e) {
            pending.abandon(barrier, e);
            closeQuietly(channel);
        }
        return done;
    }

    private long nextXid() {
        return xids.incrementAndGet() & 0xffff_ffffL;
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        while (!closed) {
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) CONNECT_TIMEOUT.toMillis());
                socket.setTcpNoDelay(true);
                socket.setSoTimeout((int) echoInterval.multipliedBy(3).toMillis());
                OpenFlowChannel channel = new OpenFlowChannel(socket);
                datapathId = channel.handshake(this::nextXid);
                backoff.reset();
                reconcile(channel);
                readUntilLost(channel);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("OpenFlow session with switch {}: {}", address, e.toString());
                }
            } finally {
                lost();
            }
            if (!closed) {
                sleep(backoff.next());
            }
        }
    }

    /** Replaces whatever the switch holds for this node with the desired rules. */
    private void reconcile(OpenFlowChannel channel) {
        synchronized (sendLock) {
            CompletableFuture<Void> sync = nextSync;
            nextSync = new CompletableFuture<>();
            Collection<RedirectRule> rules = desired.get();
            List<OFMessage> messages = new ArrayList<>();
            List<String> names = new ArrayList<>();
            messages.add(FlowMods.deleteByCookie(nodeCookie, RedirectCookie.NODE_MASK, nextXid()));
            names.add("delete this node's old rules");
            for (RedirectRule rule : rules) {
                messages.add(FlowMods.add(rule, nextXid()));
                names.add(rule.name());
            }
            current = channel;
            long started = System.nanoTime();
            sendBatch(channel, messages, names).whenComplete((ok, failure) -> {
                if (failure == null) {
                    LOG.info("switch {} (datapath {}): {} rules in place, confirmed in {} ms", address,
                            Long.toHexString(datapathId), rules.size(), (System.nanoTime() - started) / 1_000_000);
                    sync.complete(null);
                } else {
                    sync.completeExceptionally(failure);
                }
            });
        }
    }

    private void readUntilLost(OpenFlowChannel channel) throws IOException {
        while (!closed) {
            OFMessage message = channel.read();
            if (message instanceof OFEchoRequest echo) {
                synchronized (sendLock) {
                    channel.answer(echo);
                }
            } else if (message instanceof OFErrorMsg error) {
                pending.failed(error);
            } else if (message instanceof OFBarrierReply reply) {
                pending.confirmed(reply.getXid());
            }
        }
    }

    /** Sends an echo request; a switch that answers nothing is caught by the read timeout. */
    private void probe() {
        synchronized (sendLock) {
            if (current != null) {
                try {
                    current.write(List.of(FlowMods.OF13.buildEchoRequest().setXid(nextXid()).build()));
                } catch (IOException e) {
                    closeQuietly(current);
                }
            }
        }
    }

    private void lost() {
        synchronized (sendLock) {
            current = null;
        }
        pending.failAll(new IOException("OpenFlow session with switch " + address + " lost"));
    }

    private static void closeQuietly(OpenFlowChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already broken; the reader notices and reconnects
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the session; rules stay on the switch until their lease runs out (fail open). */
    @Override
    public void close() {
        closed = true;
        echoes.shutdownNow();
        synchronized (sendLock) {
            if (current != null) {
                closeQuietly(current);
            }
            nextSync.completeExceptionally(new IOException("OpenFlow session closed"));
        }
        connector.interrupt();
        try {
            connector.join(Duration.ofSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
