package dev.irsa.plan;

import dev.irsa.IrsaException;
import dev.irsa.plan.ChangeOutcome.Status;
import dev.irsa.plan.internal.ServiceQueues;
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
 *
 * <p>The scheduler hands out at most {@code maxConcurrency} changes at a time and keeps the rest itself, so
 * it can choose at each free slot: the ready change of the service with the fewest changes running (oldest
 * ready first within a service, {@link ServiceQueues}). A change waiting for its service's rate limit holds its slot; handing every
 * ready change to the pool at once queued the others behind those waits in arrival order, so with 200 stacks
 * under an IAM write limit every Kubernetes change (and each service account made ready by its role) waited
 * for almost all the roles and ran after the last IAM write, seconds past the rate bound (issue 14).
 */
final class Execution {
    private static final Logger LOG = LoggerFactory.getLogger(Execution.class);

    private final ExecutionBudget budget;
    private final ApplyListener listener;
    private final RetryPolicy retry;
    private final List<Plan> plans;
    private final Object listenerLock = new Object();
    private final Map<Node, Outputs> outputs = new ConcurrentHashMap<>();
    private final Map<Node, ChangeOutcome> outcomes = new HashMap<>();
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    /** Ready changes not yet handed out, by service (scheduler only). */
    private final ServiceQueues<Node> ready = new ServiceQueues<>();

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

    Execution(ExecutionBudget budget, ApplyListener listener, RetryPolicy retry, List<Plan> plans) {
        this.budget = budget;
        this.listener = listener;
        this.retry = retry;
        this.plans = List.copyOf(plans);
    }

    List<ApplyResult> run() {
        List<List<Node>> byPlan = nodes();
        Set<Node> waiting = new LinkedHashSet<>();
        // Interleave stacks (first change of each plan, then the second...) so they progress together.
        byPlan.stream().flatMap(List::stream)
                .sorted(Comparator.comparingInt(Node::position).thenComparingInt(Node::plan))
                .forEach(waiting::add);

        int executable = (int) waiting.stream().filter(n -> n.change().action() != Action.NO_OP).count();
        ExecutorService pool = budget.newPool("apply", executable);
        try {
            int running = 0;
            while (!waiting.isEmpty() || running > 0 || !ready.isEmpty()) {
                settle(waiting);
                // At most maxConcurrency handed out: the scheduler keeps the choice of what runs in the next free slot.
                for (Node next; running < budget.maxConcurrency() && (next = ready.next()) != null; running++) {
                    Node node = next;
                    pool.execute(() -> execute(node));
                }
                if (running > 0) {
                    Completion done = take();
                    running--;
                    ready.finished(done.node().resource().service());
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

    /**
     * Settles every waiting change whose predecessors are done (skipped, unchanged) or moves it to the ready
     * queues; repeats until nothing more settles.
     */
    private void settle(Set<Node> waiting) {
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
                        ready.add(node.resource().service(), node);
                    }
                }
            }
        }
    }

    private static boolean isBroken(Status status) {
        return status == Status.FAILED || status == Status.SKIPPED;
    }

    private void skip(Node node, Node blocker) {
        boolean destroying = node.owner().mode() == Plan.Mode.DESTROY;
        String detail = (destroying ? "dependent " : "dependency ") + blocker.change().id() + " "
                + (outcomes.get(blocker).status() == Status.FAILED ? "failed" : "was skipped");
        ChangeOutcome outcome = new ChangeOutcome(node.owner().stack(), node.change(), Status.SKIPPED,
                budget.clock().instant(), Duration.ZERO, 0, Optional.empty(), detail);
        outcomes.put(node, outcome);
        emit(l -> l.skipped(outcome));
    }

    private void unchanged(Node node) {
        outputs.put(node, node.owner().observed(node.change().id()).outputs());
        ChangeOutcome outcome = new ChangeOutcome(node.owner().stack(), node.change(), Status.UNCHANGED,
                budget.clock().instant(), Duration.ZERO, 0, Optional.empty(), node.change().reason());
        outcomes.put(node, outcome);
        emit(l -> l.finished(outcome));
    }

    /**
     * Runs on a pool thread. Always reports a completion, whatever happens (a throwing retry predicate or
     * listener included), so the scheduler never waits forever.
     */
    private void execute(Node node) {
        Completion completion = null;
        try {
            completion = attempt(node);
        } catch (Throwable unexpected) {
            completion = new Completion(node, new ChangeOutcome(node.owner().stack(), node.change(), Status.FAILED,
                    budget.clock().instant(), Duration.ZERO, 1, Optional.of(unexpected), describe(unexpected)),
                    Outputs.none());
            if (unexpected instanceof VirtualMachineError fatal) {
                throw fatal;
            }
        } finally {
            completions.add(completion);
        }
    }

    private Completion attempt(Node node) {
        Change change = node.change();
        Instant first = null;
        ChangeOutcome outcome = null;
        Outputs published = Outputs.none();
        for (int attempt = 1; outcome == null; attempt++) {
            Instant start = null;
            try {
                budget.acquire(node.resource().service(), true);
                try {
                    start = budget.clock().instant();
                    first = first == null ? start : first;
                    Instant at = start;
                    if (attempt == 1) {
                        emit(l -> l.started(node.owner().stack(), change, at));
                    }
                    published = call(node);
                } finally {
                    budget.release();
                }
                Instant end = budget.clock().instant();
                outcome = new ChangeOutcome(node.owner().stack(), change, succeeded(change.action()), end,
                        Duration.between(first, end), attempt, Optional.empty(), change.reason());
            } catch (KeptOnDestroyException kept) {
                // The object is still needed outside the plan: not a failure, and trying again would not change that.
                published = Outputs.none();
                Instant end = budget.clock().instant();
                Instant began = first != null ? first : end;
                outcome = new ChangeOutcome(node.owner().stack(), change, Status.KEPT, end, Duration.between(began, end),
                        attempt, Optional.empty(), kept.getMessage());
            } catch (Throwable error) {
                published = Outputs.none();
                if (retry.retries(attempt, error) && !Thread.currentThread().isInterrupted()) {
                    Duration backoff = retry.backoff(attempt);
                    int failed = attempt;
                    emit(l -> l.retrying(node.owner().stack(), change, failed, error, backoff));
                    try {
                        budget.sleeper().sleep(backoff);
                        continue;
                    } catch (RuntimeException interrupted) {
                        error.addSuppressed(interrupted);
                    }
                }
                Instant end = budget.clock().instant();
                Instant began = first != null ? first : start != null ? start : end;
                outcome = new ChangeOutcome(node.owner().stack(), change, ChangeOutcome.Status.FAILED, end,
                        Duration.between(began, end), attempt, Optional.of(error), describe(error));
            }
        }
        ChangeOutcome done = outcome;
        Completion completion = new Completion(node, outcome, published);
        emit(l -> {
            if (done.status() == Status.FAILED) {
                l.failed(done);
            } else {
                l.finished(done);
            }
        });
        return completion;
    }

    /** The one backend call of a change; returns the outputs dependents will see. */
    private Outputs call(Node node) {
        Change change = node.change();
        Observed observed = node.owner().observed(change.id());
        Context context = new Context(node, observed);
        switch (change.action()) {
            case CREATE, UPDATE -> {
                Outputs returned = node.resource().apply(context);
                return observed.outputs().overriddenBy(returned == null ? Outputs.none() : returned);
            }
            case DELETE -> {
                node.resource().delete(context);
                return Outputs.none();
            }
            default -> throw new IllegalStateException("not executable: " + change);
        }
    }

    /** The error's message, or its type when it has none. */
    static String describe(Throwable error) {
        return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
    }

    private static Status succeeded(Action action) {
        return switch (action) {
            case CREATE -> Status.CREATED;
            case UPDATE -> Status.UPDATED;
            case DELETE -> Status.DELETED;
            default -> throw new IllegalStateException("not executable: " + action);
        };
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
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable e) {
                // Progress display must never change the outcome of an apply.
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

    /** The change, its observation, and the outputs of dependencies that have been applied (or were up to date). */
    private final class Context implements ApplyContext {
        private final Node node;
        private final Observed observed;

        Context(Node node, Observed observed) {
            this.node = node;
            this.observed = observed;
        }

        @Override
        public String stack() {
            return node.owner().stack();
        }

        @Override
        public Change change() {
            return node.change();
        }

        @Override
        public Observed observed() {
            return observed;
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
