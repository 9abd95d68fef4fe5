package dev.irsa.plan;

import dev.irsa.IrsaException;
import dev.irsa.plan.ChangeOutcome.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@link Applier#applyAll}: a scheduler on the calling thread hands ready changes to a pool
 * and collects their outcomes. Only the scheduler decides what runs next, so ordering needs no locks.
 */
final class Execution {
    private static final Logger LOG = LoggerFactory.getLogger(Execution.class);

    private final ExecutionBudget budget;
    private final ApplyListener listener;
    private final List<Plan> plans;
    private final Object listenerLock = new Object();
    private final Map<Node, Outputs> outputs = new ConcurrentHashMap<>();
    private final Map<Node, ChangeOutcome> outcomes = new HashMap<>();
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();

    private record Node(int plan, int position, Plan owner, Change change, List<Node> predecessors,
                        Map<ResourceId, Node> siblings) {
        Resource resource() {
            return owner.resource(change.id());
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private record Completion(Node node, ChangeOutcome outcome, Outputs outputs) {
    }

    Execution(ExecutionBudget budget, ApplyListener listener, List<Plan> plans) {
        this.budget = budget;
        this.listener = listener;
        this.plans = List.copyOf(plans);
    }

    List<ApplyResult> run() {
        List<List<Node>> byPlan = nodes();
        Set<Node> waiting = new LinkedHashSet<>();
        // Interleave stacks (first change of each plan, then the second...) so they progress together.
        byPlan.stream().flatMap(List::stream)
                .sorted(Comparator.comparingInt(Node::position).thenComparingInt(Node::plan))
                .forEach(waiting::add);

        ExecutorService pool = budget.newPool("apply");
        try {
            int running = 0;
            while (!waiting.isEmpty() || running > 0) {
                running += schedule(waiting, pool);
                if (running > 0) {
                    Completion done = take();
                    running--;
                    outputs.put(done.node(), done.outputs());
                    outcomes.put(done.node(), done.outcome());
                }
            }
        } finally {
            pool.shutdownNow();
        }

        List<ApplyResult> results = new ArrayList<>();
        for (int p = 0; p < plans.size(); p++) {
            results.add(new ApplyResult(plans.get(p).stack(), plans.get(p).mode(),
                    byPlan.get(p).stream().map(outcomes::get).toList()));
        }
        return results;
    }

    /** Settles or starts every waiting change whose predecessors are done; returns how many it started. */
    private int schedule(Set<Node> waiting, ExecutorService pool) {
        int started = 0;
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            for (Iterator<Node> it = waiting.iterator(); it.hasNext(); ) {
                Node node = it.next();
                Optional<Node> blocker = node.predecessors().stream()
                        .filter(p -> outcomes.containsKey(p) && isBroken(outcomes.get(p).status()))
                        .findFirst();
                if (blocker.isPresent()) {
                    it.remove();
                    skip(node, blocker.get());
                    progressed = true;
                } else if (node.predecessors().stream().allMatch(outcomes::containsKey)) {
                    it.remove();
                    if (node.change().action() == Action.NO_OP) {
                        unchanged(node);
                        progressed = true;
                    } else {
                        pool.execute(() -> execute(node));
                        started++;
                    }
                }
            }
        }
        return started;
    }

    private static boolean isBroken(Status status) {
        return status == Status.FAILED || status == Status.SKIPPED;
    }

    private void skip(Node node, Node blocker) {
        boolean destroying = node.owner().mode() == Plan.Mode.DESTROY;
        String detail = (destroying ? "dependent " : "dependency ") + blocker.change().id() + " "
                + (outcomes.get(blocker).status() == Status.FAILED ? "failed" : "was skipped");
        ChangeOutcome outcome = new ChangeOutcome(node.owner().stack(), node.change(), Status.SKIPPED,
                budget.clock().instant(), Duration.ZERO, Optional.empty(), detail);
        outcomes.put(node, outcome);
        emit(l -> l.skipped(outcome));
    }

    private void unchanged(Node node) {
        outputs.put(node, node.owner().observedOutputs(node.change().id()));
        ChangeOutcome outcome = new ChangeOutcome(node.owner().stack(), node.change(), Status.UNCHANGED,
                budget.clock().instant(), Duration.ZERO, Optional.empty(), node.change().reason());
        outcomes.put(node, outcome);
        emit(l -> l.finished(outcome));
    }

    /** Runs on a pool thread. Always reports a completion, whatever happens. */
    private void execute(Node node) {
        Change change = node.change();
        Resource resource = node.resource();
        Instant start = null;
        ChangeOutcome outcome;
        Outputs published = Outputs.none();
        try {
            budget.acquire(resource.service());
            try {
                start = budget.clock().instant();
                Instant at = start;
                emit(l -> l.started(node.owner().stack(), change, at));
                Status status;
                switch (change.action()) {
                    case CREATE, UPDATE -> {
                        Outputs returned = resource.apply(change, new ApplyInputs(node));
                        published = node.owner().observedOutputs(change.id())
                                .overriddenBy(returned == null ? Outputs.none() : returned);
                        status = change.action() == Action.CREATE ? Status.CREATED : Status.UPDATED;
                    }
                    case DELETE -> {
                        resource.delete();
                        status = Status.DELETED;
                    }
                    default -> throw new IllegalStateException("not executable: " + change);
                }
                Instant end = budget.clock().instant();
                outcome = new ChangeOutcome(node.owner().stack(), change, status, end, Duration.between(start, end),
                        Optional.empty(), change.reason());
            } finally {
                budget.release();
            }
        } catch (Throwable error) {
            Instant end = budget.clock().instant();
            published = Outputs.none();
            outcome = new ChangeOutcome(node.owner().stack(), change, Status.FAILED, end,
                    start == null ? Duration.ZERO : Duration.between(start, end), Optional.of(error),
                    String.valueOf(error.getMessage()));
        }
        ChangeOutcome done = outcome;
        emit(l -> {
            if (done.status() == Status.FAILED) {
                l.failed(done);
            } else {
                l.finished(done);
            }
        });
        completions.add(new Completion(node, outcome, published));
    }

    private Completion take() {
        try {
            return completions.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IrsaException("interrupted while applying", e);
        }
    }

    private void emit(java.util.function.Consumer<ApplyListener> event) {
        synchronized (listenerLock) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("apply listener failed; ignoring it", e);
            }
        }
    }

    private List<List<Node>> nodes() {
        List<List<Node>> all = new ArrayList<>();
        for (int p = 0; p < plans.size(); p++) {
            Plan plan = plans.get(p);
            Map<ResourceId, Node> byId = new HashMap<>();
            List<Node> nodes = new ArrayList<>();
            List<Change> changes = plan.changes();
            for (int i = 0; i < changes.size(); i++) {
                Node node = new Node(p, i, plan, changes.get(i), new ArrayList<>(), byId);
                byId.put(node.change().id(), node);
                nodes.add(node);
            }
            for (Node node : nodes) {
                for (ResourceId dependency : new HashSet<>(node.change().dependsOn())) {
                    Node target = byId.get(dependency);
                    if (target == null) {
                        throw new UnknownDependencyException(node.change().id(), dependency);
                    }
                    // Applying: a dependency goes first. Destroying: its dependents go first.
                    if (plan.mode() == Plan.Mode.APPLY) {
                        node.predecessors().add(target);
                    } else {
                        target.predecessors().add(node);
                    }
                }
            }
            all.add(List.copyOf(nodes));
        }
        return all;
    }

    /** Outputs of dependencies that have been applied (or were already up to date). */
    private final class ApplyInputs implements Inputs {
        private final Node node;

        ApplyInputs(Node node) {
            this.node = node;
        }

        @Override
        public <T> Optional<T> output(ResourceId dependency, OutputKey<T> key) {
            return outputs.getOrDefault(dependencyNode(dependency), Outputs.none()).get(key);
        }

        @Override
        public Action action(ResourceId dependency) {
            return dependencyNode(dependency).change().action();
        }

        private Node dependencyNode(ResourceId dependency) {
            if (!node.change().dependsOn().contains(dependency)) {
                throw new UnknownDependencyException(node.change().id(), dependency);
            }
            return node.siblings().get(dependency);
        }
    }
}
