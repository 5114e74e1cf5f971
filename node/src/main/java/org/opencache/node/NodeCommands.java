package org.opencache.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opencache.common.expr.Expression;
import org.opencache.common.expr.ExpressionList;
import org.opencache.common.expr.InvalidExpressionException;
import org.opencache.common.expr.ResolvedUrl;
import org.opencache.common.expr.ResolvedUrlList;
import org.opencache.common.protocol.InstanceState;
import org.opencache.common.protocol.InstanceStatus;
import org.opencache.common.protocol.InstancesResult;
import org.opencache.common.protocol.MessageCodec;
import org.opencache.common.protocol.RpcError;
import org.opencache.node.http.Prefetcher;
import org.opencache.node.instance.InstanceException;
import org.opencache.node.instance.InstanceManager;
import org.opencache.node.link.CommandException;
import org.opencache.node.link.CommandHandler;

/**
 * Carries out the controller's commands on this node: instance lifecycle through the
 * {@link InstanceManager}, {@code fetch}/{@code seed} through the pre-fetcher of the instance
 * whose expression covers the URLs, {@code stat} through an immediate statistics report.
 */
final class NodeCommands implements CommandHandler {
    private final InstanceManager instances;
    private final Map<String, Prefetcher> prefetchers;
    private final Runnable reportStats;
    private final Duration fetchTimeout;

    /**
     * @param prefetchers  the pre-fetcher of each serving instance, by canonical expression
     * @param reportStats  sends a statistics report now
     * @param fetchTimeout how long a fetch may take before the command fails
     */
    NodeCommands(InstanceManager instances, Map<String, Prefetcher> prefetchers, Runnable reportStats,
                 Duration fetchTimeout) {
        this.instances = instances;
        this.prefetchers = prefetchers;
        this.reportStats = reportStats;
        this.fetchTimeout = fetchTimeout;
    }

    @Override
    public JsonNode handle(String method, ObjectNode params) throws CommandException {
        try {
            return switch (method) {
                case "start" -> touched(instances.start(expressions(params),
                        Duration.ofSeconds(Math.max(0, params.path("horizon").asLong(0)))));
                case "pause" -> touched(instances.pause(expressions(params)));
                case "stop" -> touched(instances.stop(expressions(params)));
                case "fetch" -> fetch(urls(params));
                case "seed" -> seed(urls(params));
                case "stat" -> {
                    reportStats.run();
                    yield BooleanNode.TRUE;
                }
                default -> throw new CommandException(RpcError.of(RpcError.METHOD_NOT_FOUND, "Method not found", method));
            };
        } catch (InstanceException e) {
            throw failed(e.getMessage());
        }
    }

    private static CommandException failed(String reason) {
        return new CommandException(RpcError.of(RpcError.NODE_COMMAND_FAILED, "Command failed", reason));
    }

    private static JsonNode touched(List<InstanceState> states) {
        return MessageCodec.tree(new InstancesResult(states));
    }

    private JsonNode fetch(List<ResolvedUrl> urls) throws CommandException {
        for (ResolvedUrl url : urls) {
            await(url, prefetcherFor(url).fetch(url));
        }
        return BooleanNode.TRUE;
    }

    private JsonNode seed(List<ResolvedUrl> urls) throws CommandException {
        Prefetcher prefetcher = prefetcherFor(urls.get(0));
        for (ResolvedUrl url : urls) {
            if (prefetcherFor(url) != prefetcher) {
                throw CommandException.invalidParams("seed: all URLs must fall under one instance; '"
                        + url.canonical() + "' does not share the instance of '" + urls.get(0).canonical() + "'");
            }
        }
        await(urls.get(0), prefetcher.seed(urls));
        return BooleanNode.TRUE;
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

    /** The pre-fetcher of the most specific serving or paused instance covering the URL. */
    private Prefetcher prefetcherFor(ResolvedUrl url) throws CommandException {
        Optional<Prefetcher> found = instances.states().stream()
                .filter(state -> state.status() != InstanceStatus.STOP)
                .map(state -> parse(state.expr()))
                .filter(expr -> expr.covers(url.host(), url.port(), url.uri().getRawPath()))
                .max(Comparator.comparing((Expression expr) -> !expr.isWildcard())
                        .thenComparing(expr -> expr.pathPrefix().length()))
                .map(expr -> prefetchers.get(expr.canonical()));
        if (found.isEmpty() || found.get() == null) {
            throw failed("no started instance on this node covers "
                    + url.canonical() + "; start one for its host first");
        }
        return found.get();
    }

    private static ExpressionList expressions(ObjectNode params) throws CommandException {
        try {
            JsonNode expr = params.get("expr");
            return expr == null || expr.isNull() ? ExpressionList.all() : ExpressionList.parse(expr.asText());
        } catch (InvalidExpressionException e) {
            throw CommandException.invalidParams("expr: " + e.getMessage());
        }
    }

    private static List<ResolvedUrl> urls(ObjectNode params) throws CommandException {
        try {
            return ResolvedUrlList.parse(params.path("expr").asText(null)).urls();
        } catch (InvalidExpressionException e) {
            throw CommandException.invalidParams("expr: " + e.getMessage());
        }
    }

    private static Expression parse(String canonical) {
        try {
            return Expression.parse(canonical);
        } catch (InvalidExpressionException e) {
            throw new IllegalStateException("stored expression no longer parses: " + canonical, e);
        }
    }
}
