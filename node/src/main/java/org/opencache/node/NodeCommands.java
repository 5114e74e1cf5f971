package org.opencache.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opencache.common.expr.ResolvedUrl;
import org.opencache.common.protocol.Command;
import org.opencache.common.protocol.FetchCommand;
import org.opencache.common.protocol.InstancesResult;
import org.opencache.common.protocol.PauseCommand;
import org.opencache.common.protocol.PurgeCommand;
import org.opencache.common.protocol.RpcError;
import org.opencache.common.protocol.SeedCommand;
import org.opencache.common.protocol.StartCommand;
import org.opencache.common.protocol.StatCommand;
import org.opencache.common.protocol.StopCommand;
import org.opencache.node.http.fill.Prefetcher;
import org.opencache.node.instance.InstanceException;
import org.opencache.node.instance.InstanceManager;
import org.opencache.node.link.CommandException;
import org.opencache.node.link.CommandHandler;

/**
 * Carries out the controller's commands on this node, one handler per {@link Command}: instance
 * lifecycle through the {@link InstanceManager}, {@code fetch}/{@code seed} through the
 * pre-fetcher of the instance whose expression covers the URLs, {@code purge} through the store
 * (answered with the number of objects dropped), {@code stat} through an
 * immediate statistics report.
 */
final class NodeCommands implements CommandHandler {
    private final InstanceManager instances;
    private final Runnable reportStats;
    private final Duration fetchTimeout;

    /**
     * @param reportStats  sends a statistics report now
     * @param fetchTimeout how long a fetch may take before the command fails
     */
    NodeCommands(InstanceManager instances, Runnable reportStats, Duration fetchTimeout) {
        this.instances = instances;
        this.reportStats = reportStats;
        this.fetchTimeout = fetchTimeout;
    }

    @Override
    public Object handle(Command command) throws CommandException {
        try {
            return switch (command) {
                case StartCommand start -> new InstancesResult(instances.start(start.expressions(), start.horizon()));
                case PauseCommand pause -> new InstancesResult(instances.pause(pause.expressions()));
                case StopCommand stop -> new InstancesResult(instances.stop(stop.expressions()));
                case FetchCommand fetch -> fetch(fetch.urls().urls());
                case SeedCommand seed -> seed(seed.urls().urls());
                case PurgeCommand purge -> instances.purge(purge.expressions(),
                        purge.urls() == null ? List.of() : purge.urls().urls(),
                        purge.prefixes() == null ? List.of() : purge.prefixes().urls());
                case StatCommand stat -> {
                    reportStats.run();
                    yield true;
                }
            };
        } catch (InstanceException e) {
            throw failed(e.getMessage());
        }
    }

    private static CommandException failed(String reason) {
        return new CommandException(RpcError.of(RpcError.NODE_COMMAND_FAILED, "Command failed", reason));
    }

    private boolean fetch(List<ResolvedUrl> urls) throws CommandException {
        for (ResolvedUrl url : urls) {
            await(url, prefetcherFor(url).fetch(url));
        }
        return true;
    }

    private boolean seed(List<ResolvedUrl> urls) throws CommandException {
        Prefetcher prefetcher = prefetcherFor(urls.get(0));
        for (ResolvedUrl url : urls) {
            if (prefetcherFor(url) != prefetcher) {
                throw CommandException.invalidParams("seed: all URLs must fall under one instance; '"
                        + url.canonical() + "' does not share the instance of '" + urls.get(0).canonical() + "'");
            }
        }
        await(urls.get(0), prefetcher.seed(urls));
        return true;
    }

    private void await(ResolvedUrl url, CompletableFuture<Void> done) throws CommandException {
        try {
            done.get(fetchTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failed(e.getCause().getMessage());
        } catch (TimeoutException e) {
            done.cancel(true);
            throw failed("fetching " + url.canonical() + " took longer than "
                    + fetchTimeout.toSeconds() + "s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted while fetching " + url.canonical());
        }
    }

    private Prefetcher prefetcherFor(ResolvedUrl url) throws CommandException {
        return instances.prefetcherFor(url).orElseThrow(() -> failed("no started instance on this node covers "
                + url.canonical() + "; start one for its host first"));
    }
}
