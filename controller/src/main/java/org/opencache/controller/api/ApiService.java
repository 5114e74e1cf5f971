package org.opencache.controller.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.opencache.common.expr.ClientText;
import org.opencache.common.expr.Expression;
import org.opencache.common.expr.ExpressionList;
import org.opencache.common.expr.InvalidExpressionException;
import org.opencache.common.expr.NodeSelector;
import org.opencache.common.expr.ResolvedUrlList;
import org.opencache.common.protocol.Command;
import org.opencache.common.protocol.FetchCommand;
import org.opencache.common.protocol.PauseCommand;
import org.opencache.common.protocol.PurgeCommand;
import org.opencache.common.protocol.RpcError;
import org.opencache.common.protocol.SeedCommand;
import org.opencache.common.protocol.StartCommand;
import org.opencache.common.protocol.StatCommand;
import org.opencache.common.protocol.StopCommand;
import org.opencache.controller.nodes.CommandOutcome;
import org.opencache.controller.nodes.CommandResults;
import org.opencache.controller.nodes.NodeCommander;
import org.opencache.controller.state.ControllerState;
import org.opencache.controller.state.InstanceKey;
import org.opencache.controller.state.InstanceRecord;
import org.opencache.controller.state.NodeRecord;
import org.opencache.controller.state.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API methods: parses expressions and node selections, answers {@code stat} and
 * {@code nodes} from the stored state, forgets nodes that are down, and forwards commands to the
 * selected nodes.
 */
final class ApiService implements OpenCacheApi {
    private static final Logger log = LoggerFactory.getLogger(ApiService.class);
    /** The most alerts one {@code alerts} call returns: the newest ones; {@code since} pages on. */
    static final int MAX_ALERTS = 1000;
    /** The most series one {@code history} call with {@code by: "instance"} returns (100 × 1000 points). */
    static final int MAX_HISTORY_SERIES = 100;
    private final ControllerState state;
    private final NodeCommander commander;
    private final Duration stoppedRetention;
    private final Clock clock;

    /**
     * @param stoppedRetention how long {@code nodes} keeps listing a stopped instance ({@code stat_retention}:
     *                         by then its statistics are gone too)
     * @param clock            the time that retention is judged by
     */
    ApiService(ControllerState state, NodeCommander commander, Duration stoppedRetention, Clock clock) {
        this.state = state;
        this.commander = commander;
        this.stoppedRetention = stoppedRetention;
        this.clock = clock;
    }

    @Override
    public boolean start(String expr, String nodeId, Long horizonSeconds) {
        Duration horizon = Duration.ofSeconds(horizonSeconds == null ? 0 : horizonSeconds);
        return command(nodeId, new StartCommand(parseExpressions(expr), horizon));
    }

    @Override
    public boolean stop(String expr, String nodeId) {
        return commandWhereHeld("stop", nodeId, parseExpressions(expr), StopCommand::new);
    }

    @Override
    public boolean pause(String expr, String nodeId) {
        return commandWhereHeld("pause", nodeId, parseExpressions(expr), PauseCommand::new);
    }

    @Override
    public boolean fetch(String urls, String nodeId) {
        return command(nodeId, new FetchCommand(parseUrls("fetch", urls)));
    }

    @Override
    public boolean seed(String urls, String nodeId) {
        return command(nodeId, new SeedCommand(parseUrls("seed", urls)));
    }

    /**
     * {@inheritDoc} Goes where the expressions are held, as {@code stop} does ({@code *}: every
     * selected node, all its instances); a node that holds none of them is not contacted and is
     * absent from the result.
     */
    @Override
    public Map<Integer, Long> purge(String url, String prefix, String expr, String nodeId) {
        if ((url == null) == (prefix == null)) {
            throw RpcException.invalidParams(url == null
                    ? "purge needs 'url' (a URL or a '|'-list of URLs, every variant of each is dropped) or "
                            + "'prefix' (everything under [http://]host[:port]/path is dropped)"
                    : "purge takes 'url' or 'prefix', not both");
        }
        ResolvedUrlList urls = url == null ? null : parseUrlList("url", url);
        ResolvedUrlList prefixes = prefix == null ? null : parseUrlList("prefix", prefix);
        Map<Integer, Command> commands = commandsWhereHeld("purge", nodeId, parseExpressions(expr),
                exprs -> new PurgeCommand(exprs, urls, prefixes));
        Map<Integer, Long> dropped = new TreeMap<>();
        sendForResults(commands).results().forEach((node, result) -> dropped.put(node, result.asLong()));
        return dropped;
    }

    @Override
    public boolean refresh(String expr, String nodeId) {
        // Nodes answer a "stat" command by sending a fresh report.
        return commandWhereHeld("refresh", nodeId, parseExpressions(expr), StatCommand::new);
    }

    @Override
    public StatResult stat(String expr, String nodeId) {
        ExpressionList exprs = parseExpressions(expr);
        NodeSelector nodes = parseNodes(nodeId);
        List<NodeRecord> known = state.nodes();
        requireKnown(nodes, known);
        // Records of a node-id no node holds (a forget interrupted halfway) are not counted.
        Set<Integer> knownIds = known.stream().map(NodeRecord::nodeId).collect(Collectors.toSet());
        Set<Integer> down = known.stream().filter(node -> node.status() == NodeStatus.DOWN)
                .map(NodeRecord::nodeId).collect(Collectors.toSet());
        return StatAggregator.aggregate(state.instances(), state.stats(), down,
                id -> knownIds.contains(id) && nodes.matches(id), exprs::matches);
    }

    @Override
    public List<NodeView> nodes(String nodeId, Boolean all) {
        NodeSelector selector = parseNodes(nodeId);
        List<NodeRecord> known = state.nodes();
        requireKnown(selector, known);
        Instant stoppedBefore = clock.instant().minus(stoppedRetention);
        Map<Integer, List<NodeView.Instance>> instances = new TreeMap<>();
        for (InstanceRecord instance : state.instances()) {
            if (!Boolean.TRUE.equals(all) && instance.stoppedAt() != null && instance.stoppedAt().isBefore(stoppedBefore)) {
                continue;
            }
            instances.computeIfAbsent(instance.nodeId(), id -> new ArrayList<>())
                    .add(new NodeView.Instance(instance.expr(), instance.status().wireName(), instance.port(),
                            instance.horizon().toSeconds()));
        }
        return known.stream()
                .filter(node -> selector.matches(node.nodeId()))
                .map(node -> new NodeView(node.nodeId(), node.host(), node.status().wireName(),
                        node.lastSeen().toString(), node.version(), instances.getOrDefault(node.nodeId(), List.of())))
                .toList();
    }

    /**
     * {@inheritDoc} An {@code expr} other than {@code *} selects the alerts about those instances
     * only, not the node-wide ones.
     */
    @Override
    public List<AlertView> alerts(String since, String nodeId, String expr) {
        Instant from = parseInstant("since", since);
        ExpressionList exprs = parseExpressions(expr);
        NodeSelector nodes = parseNodes(nodeId);
        requireKnown(nodes, state.nodes());
        return state.alerts(from, nodes.isAll() ? null : nodes.ids(),
                        exprs.isAll() ? null : exprs.expressions().stream().map(Expression::canonical).toList(),
                        MAX_ALERTS)
                .stream().map(AlertView::of).toList();
    }

    /**
     * {@inheritDoc} The selection is {@code stat}'s (an expression names exactly that instance),
     * but over history: an instance removed since still has its points, and nodes that are down
     * count. Reads one instance at a time ({@link HistoryAggregator} says why the deltas cannot be
     * a database aggregation), so memory stays at one instance's points plus the series.
     */
    @Override
    public HistoryResult history(String expr, String nodeId, String from, String to, String step, String by) {
        ExpressionList exprs = parseExpressions(expr);
        NodeSelector nodes = parseNodes(nodeId);
        boolean perInstance = perInstance(by);
        HistoryWindow window = HistoryWindow.of(parseInstant("from", from), parseInstant("to", to), step,
                clock.instant());
        List<NodeRecord> known = state.nodes();
        requireKnown(nodes, known);
        // Records of a node-id no node holds (a forget interrupted halfway) are left out, as in stat.
        List<Integer> nodeIds = known.stream().map(NodeRecord::nodeId).filter(nodes::matches).toList();
        List<InstanceKey> instances = state.historyInstances(nodeIds,
                exprs.isAll() ? null : exprs.expressions().stream().map(Expression::canonical).toList(),
                window.from(), window.to());
        if (perInstance && instances.size() > MAX_HISTORY_SERIES) {
            throw RpcException.invalidParams("by 'instance' would give " + instances.size() + " series; at most "
                    + MAX_HISTORY_SERIES + ": narrow 'expr' or 'node-id', or omit 'by' for their sum");
        }
        List<HistoryResult.Series> series = new ArrayList<>();
        HistoryAggregator.Series sum = new HistoryAggregator.Series(window);
        for (InstanceKey instance : instances) {
            HistoryAggregator.Series target = perInstance ? new HistoryAggregator.Series(window) : sum;
            target.add(state.statBefore(instance, window.from()),
                    state.statsHistory(instance.nodeId(), instance.expr(), window.from(), window.to()));
            if (perInstance) {
                series.add(target.view(instance.nodeId(), instance.expr()));
            }
        }
        if (!perInstance) {
            series.add(sum.view(null, null));
        }
        return new HistoryResult(window.from().toString(), window.to().toString(), window.step().toSeconds(),
                perInstance ? "instance" : "all", List.copyOf(series));
    }

    /** {@code by}: absent or {@code all} sums the selection; {@code instance} gives one series per instance. */
    private static boolean perInstance(String by) {
        if (by == null || by.equals("all")) {
            return false;
        }
        if (by.equals("instance")) {
            return true;
        }
        throw RpcException.invalidParams("by: '" + ClientText.echo(by) + "' is neither \"all\" (one series summed"
                + " over the selection, the default) nor \"instance\" (one series per node-id and expr)");
    }

    /**
     * {@inheritDoc} Every named node must be known and down, or nothing is forgotten: a node that
     * is up would only register again, so it must be stopped first. {@code *} is refused because
     * one call should not be able to erase the whole fleet's records.
     */
    @Override
    public List<Integer> forget(String nodeId) {
        if (nodeId == null) {
            throw RpcException.invalidParams("forget needs 'node-id': the id of a node that is down, or a '|'-list");
        }
        NodeSelector selector = parseNodes(nodeId);
        if (selector.isAll()) {
            throw RpcException.invalidParams("forget does not take node-id '*': name the nodes to forget "
                    + "(see 'nodes' for those that are down)");
        }
        List<NodeRecord> known = state.nodes();
        requireKnown(selector, known);
        List<String> up = known.stream()
                .filter(node -> selector.matches(node.nodeId()) && node.status() == NodeStatus.UP)
                .map(node -> String.valueOf(node.nodeId()))
                .toList();
        if (!up.isEmpty()) {
            throw RpcException.invalidParams("node-id " + ClientText.echo(String.join(", ", up))
                    + (up.size() == 1 ? " is" : " are")
                    + " up; stop the node first (a node that is up would register again), then forget it once "
                    + "'nodes' shows it down");
        }
        List<Integer> forgotten = new ArrayList<>();
        for (int id : selector.ids()) {
            Optional<NodeRecord> node = state.forgetNode(id);
            if (node.isEmpty()) {
                throw RpcException.invalidParams("node-id " + id + " said hello while being forgotten and is up; "
                        + "stop the node first" + (forgotten.isEmpty() ? "" : " (forgotten meanwhile: "
                        + forgotten.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")"));
            }
            log.info("forgot node {} ({} at {}, last seen {}): its instances, statistics and alerts are deleted",
                    id, node.get().uuid(), node.get().host(), node.get().lastSeen());
            forgotten.add(id);
        }
        return forgotten;
    }

    /** Sends the command to the selected nodes; true only when all acknowledged. */
    private boolean command(String nodeId, Command command) {
        return sendToAll(targets(parseNodes(nodeId)), command);
    }

    private boolean sendToAll(List<Integer> targets, Command command) {
        Map<Integer, Command> commands = new LinkedHashMap<>();
        targets.forEach(target -> commands.put(target, command));
        return send(commands);
    }

    /**
     * Sends a command about existing instances ({@code stop}, {@code pause}, {@code refresh}) to
     * the selected nodes that hold at least one of the expressions, each naming only the ones it
     * holds, as the stored instance records (which every {@code hello} renews) have them. A
     * selected node holding none of them is left alone rather than failed; an expression no
     * selected node holds is skipped (and logged). Only when nothing at all is held is the call
     * an error, since then it would do nothing. {@code *} goes to every target as before.
     */
    private boolean commandWhereHeld(String method, String nodeId, ExpressionList exprs,
            Function<ExpressionList, Command> command) {
        return send(commandsWhereHeld(method, nodeId, exprs, command));
    }

    /** The commands {@link #commandWhereHeld} sends: node-id to its command. */
    private Map<Integer, Command> commandsWhereHeld(String method, String nodeId, ExpressionList exprs,
            Function<ExpressionList, Command> command) {
        NodeSelector selector = parseNodes(nodeId);
        List<Integer> targets = targets(selector);
        if (exprs.isAll()) {
            Map<Integer, Command> all = new LinkedHashMap<>();
            targets.forEach(target -> all.put(target, command.apply(exprs)));
            return all;
        }
        Map<Integer, Set<String>> held = new HashMap<>();
        for (InstanceRecord instance : state.instances()) {
            held.computeIfAbsent(instance.nodeId(), id -> new HashSet<>()).add(instance.expr());
        }
        Map<Integer, Command> commands = new LinkedHashMap<>();
        Set<Expression> actedOn = new LinkedHashSet<>();
        for (int target : targets) {
            Set<String> exprsOfNode = held.getOrDefault(target, Set.of());
            List<Expression> present = exprs.expressions().stream()
                    .filter(expression -> exprsOfNode.contains(expression.canonical()))
                    .toList();
            if (!present.isEmpty()) {
                commands.put(target, command.apply(new ExpressionList(present)));
                actedOn.addAll(present);
            }
        }
        if (commands.isEmpty()) {
            throw RpcException.invalidParams(nothingHeld(selector, exprs, held));
        }
        List<String> skipped = exprs.expressions().stream()
                .filter(expression -> !actedOn.contains(expression))
                .map(Expression::canonical)
                .toList();
        if (!skipped.isEmpty()) {
            log.info("{}: skipped {} (no instance on node-id {}); sent to node-id {}", method, skipped,
                    selector, commands.keySet());
        }
        return commands;
    }

    /** Why a command about existing instances would do nothing, and where they are if elsewhere. */
    private String nothingHeld(NodeSelector selector, ExpressionList exprs, Map<Integer, Set<String>> held) {
        String where = selector.isAll() ? "no node that is up has an instance"
                : "node-id " + ClientText.echo(selector.canonical()) + (selector.ids().size() == 1 ? " has" : " have")
                + " no instance";
        // Under '*', nodes that are down are not targeted; named nodes hold none, so any holder is another node.
        List<String> elsewhere = held.entrySet().stream()
                .filter(node -> exprs.expressions().stream().anyMatch(e -> node.getValue().contains(e.canonical())))
                .map(node -> String.valueOf(node.getKey()))
                .sorted()
                .toList();
        String hint = elsewhere.isEmpty() ? "" : " (node-id " + String.join(", ", elsewhere)
                + (elsewhere.size() == 1 ? " has one" : " have one")
                + (selector.isAll() ? (elsewhere.size() == 1 ? " but is down" : " but are down") : "") + ")";
        return "expr " + ClientText.echo("'" + exprs.canonical() + "'") + ": " + where + " of "
                + (exprs.expressions().size() == 1 ? "it" : "any of them") + hint
                + "; 'nodes' lists every node's instances";
    }

    /** Sends each node its command; true only when all acknowledged, else a {@code -32001}. */
    private boolean send(Map<Integer, Command> commands) {
        sendForResults(commands);
        return true;
    }

    /** Sends each node its command; what each answered when all acknowledged, else a {@code -32001}. */
    private CommandResults sendForResults(Map<Integer, Command> commands) {
        CommandResults results = commander.sendForResults(commands);
        CommandOutcome outcome = results.outcome();
        if (!outcome.allSucceeded()) {
            // A node's reason may quote what the client sent (a URL, say): only so much of it goes back.
            List<CommandOutcome.Failure> failed = outcome.failed().stream()
                    .map(failure -> new CommandOutcome.Failure(failure.nodeId(), ClientText.echo(failure.reason())))
                    .toList();
            throw new RpcException(RpcError.COMMAND_FAILED, "Command failed on " + failed.size() + " of "
                    + commands.size() + " nodes", new CommandOutcome(outcome.succeeded(), failed));
        }
        return results;
    }

    /**
     * The node-ids a command goes to: {@code *} means every node that is up; named nodes must
     * be known (a named node that is down is targeted and reported as failed).
     */
    private List<Integer> targets(NodeSelector selector) {
        List<NodeRecord> known = state.nodes();
        requireKnown(selector, known);
        if (!selector.isAll()) {
            return List.copyOf(selector.ids());
        }
        List<Integer> up = known.stream()
                .filter(node -> node.status() == NodeStatus.UP)
                .map(NodeRecord::nodeId)
                .toList();
        if (up.isEmpty()) {
            throw RpcException.invalidParams("node-id '*' selects no node: " + (known.isEmpty()
                    ? "no node has registered with this controller yet"
                    : "none of the " + known.size() + " registered nodes is up"));
        }
        return up;
    }

    private static void requireKnown(NodeSelector selector, List<NodeRecord> known) {
        if (selector.isAll()) {
            return;
        }
        List<Integer> unknown = selector.ids().stream()
                .filter(id -> known.stream().noneMatch(node -> node.nodeId() == id))
                .toList();
        if (!unknown.isEmpty()) {
            String knownIds = known.isEmpty() ? "none registered yet"
                    : known.stream().map(node -> String.valueOf(node.nodeId())).collect(Collectors.joining(", "));
            throw RpcException.invalidParams("unknown node-id " + ClientText.echo(unknown.stream()
                    .map(String::valueOf).collect(Collectors.joining(", "))) + " (known: " + knownIds + ")");
        }
    }

    private static ResolvedUrlList parseUrls(String method, String urls) {
        if (urls == null) {
            throw RpcException.invalidParams(method + " needs 'expr': a '|'-list of fully resolved URLs");
        }
        return parseUrlList("expr", urls);
    }

    /** A {@code |}-list of URLs given as parameter {@code name}. */
    private static ResolvedUrlList parseUrlList(String name, String urls) {
        try {
            return ResolvedUrlList.parse(urls);
        } catch (InvalidExpressionException e) {
            throw RpcException.invalidParams(name + ": " + e.getMessage());
        }
    }

    /** An ISO-8601 instant ({@code 2026-11-23T13:00:00Z}, an offset instead of Z allowed); null stays null. */
    private static Instant parseInstant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw RpcException.invalidParams(name + ": '" + ClientText.echo(value) + "' is not an ISO-8601 instant such as "
                    + "2026-11-23T13:00:00Z");
        }
    }

    private static ExpressionList parseExpressions(String expr) {
        try {
            return expr == null ? ExpressionList.all() : ExpressionList.parse(expr);
        } catch (InvalidExpressionException e) {
            throw RpcException.invalidParams("expr: " + e.getMessage());
        }
    }

    private static NodeSelector parseNodes(String nodeId) {
        try {
            return nodeId == null ? NodeSelector.all() : NodeSelector.parse(nodeId);
        } catch (InvalidExpressionException e) {
            throw RpcException.invalidParams("node-id: " + e.getMessage());
        }
    }
}
