package org.opencache.node.openflow;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow-mod batches sent and not yet confirmed. The switch handles messages in order, so the
 * errors a batch causes arrive before the reply to its barrier: each error is mapped by xid to
 * the rule that caused it, and the batch's future completes when its barrier reply arrives.
 */
final class PendingBatches {
    private static final Logger LOG = LoggerFactory.getLogger(PendingBatches.class);

    private final InetSocketAddress address;
    private final Map<Long, Batch> byBarrier = new ConcurrentHashMap<>();
    private final Map<Long, String> ruleByXid = new ConcurrentHashMap<>();
    private final Map<Long, Batch> batchByXid = new ConcurrentHashMap<>();

    PendingBatches(InetSocketAddress address) {
        this.address = address;
    }

    /**
     * Registers a batch before it is written.
     *
     * @param xids    the flow-mods' xids
     * @param names   the rule each flow-mod carries, in the same order
     * @param barrier the xid of the barrier request that ends the batch
     */
    CompletableFuture<Void> open(List<Long> xids, List<String> names, long barrier) {
        Batch batch = new Batch(System.nanoTime(), xids);
        for (int i = 0; i < xids.size(); i++) {
            ruleByXid.put(xids.get(i), names.get(i));
            batchByXid.put(xids.get(i), batch);
        }
        byBarrier.put(barrier, batch);
        return batch.done;
    }

    /** The batch could not be written. */
    void abandon(long barrier, IOException cause) {
        Batch batch = byBarrier.remove(barrier);
        if (batch != null) {
            forget(batch);
            batch.done.completeExceptionally(cause);
        }
    }

    /** An OFPT_ERROR: logged with the rule that caused it, and held against its batch. */
    void failed(OFErrorMsg error) {
        String rule = ruleByXid.getOrDefault(error.getXid(), "xid " + error.getXid());
        String text = rule + ": " + OpenFlowChannel.describe(error);
        LOG.warn("switch {} rejected {}", address, text);
        Batch batch = batchByXid.get(error.getXid());
        if (batch != null) {
            batch.errors.add(text);
        }
    }

    /** A barrier reply: its batch is done, successfully unless the switch reported errors. */
    void confirmed(long barrier) {
        Batch batch = byBarrier.remove(barrier);
        if (batch == null) {
            return;
        }
        forget(batch);
        LOG.debug("switch {} confirmed {} flow-mods in {} µs", address, batch.xids.size(),
                (System.nanoTime() - batch.sentNanos) / 1_000);
        if (batch.errors.isEmpty()) {
            batch.done.complete(null);
        } else {
            batch.done.completeExceptionally(new SwitchRejectedException(address, batch.errors));
        }
    }

    /** The session ended: no batch will be confirmed. */
    void failAll(IOException cause) {
        List<Long> barriers = new ArrayList<>(byBarrier.keySet());
        barriers.forEach(barrier -> abandon(barrier, cause));
    }

    private void forget(Batch batch) {
        batch.xids.forEach(xid -> {
            ruleByXid.remove(xid);
            batchByXid.remove(xid);
        });
    }

    /** Flow-mods sent together and the future their barrier completes. */
    private record Batch(long sentNanos, List<Long> xids, List<String> errors, CompletableFuture<Void> done) {
        Batch(long sentNanos, List<Long> xids) {
            this(sentNanos, List.copyOf(xids), new CopyOnWriteArrayList<>(), new CompletableFuture<>());
        }
    }
}
