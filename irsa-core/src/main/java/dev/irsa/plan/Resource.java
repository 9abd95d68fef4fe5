package dev.irsa.plan;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One thing irsa manages (an IAM role, a service account, a runner registration, a Helm release...),
 * plugged into the engine by a backend. The engine knows nothing about backends: it observes, diffs,
 * orders and applies resources through this interface only.
 *
 * <p>A toy resource backed by a map, to show the contract:
 *
 * <pre>{@code
 * final class ConfigEntry implements Resource {
 *     static final OutputKey<String> VERSION = OutputKey.of("version", String.class);
 *     private final Map<String, String> store;   // the "cloud"
 *     private final String key;
 *     private final String value;
 *
 *     public ResourceId id() { return ResourceId.of("toy.entry", key); }
 *     public String service() { return "toy"; }
 *
 *     public Observed observe() {
 *         String live = store.get(key);
 *         return live == null ? Observed.absent()
 *                 : Observed.owned(Fields.of(Map.of("value", live)), Outputs.of(VERSION, live));
 *     }
 *
 *     public Fields desired(Inputs inputs) {
 *         return Fields.of(Map.of("value", value));
 *     }
 *
 *     public Outputs apply(ApplyContext context) {
 *         store.put(key, value);                       // create or update, idempotently
 *         return Outputs.of(VERSION, value);
 *     }
 *
 *     public void delete(ApplyContext context) {
 *         store.remove(key);                           // already gone is fine
 *     }
 * }
 * }</pre>
 *
 * <p>Rules an implementation follows:
 * <ul>
 *   <li>{@link #observe()} only reads. It reports {@link Presence#OWNED} only when the object carries irsa's
 *       ownership marks for this stack, {@link Presence#FOREIGN} when it exists without them.</li>
 *   <li>{@link #apply} creates or updates so that observing afterwards yields no diff, sets the ownership
 *       marks (also when {@link Change#adopt() adopting}), and is safe to run again after a partial failure.</li>
 *   <li>{@link #delete} treats "already gone" as success.</li>
 *   <li>Secrets go in fields as {@link FieldValue#sensitive} and in outputs as {@link dev.irsa.SecretString}.</li>
 *   <li>Every method may be called from a worker thread; the engine never calls two methods of the same
 *       resource at once.</li>
 * </ul>
 */
public interface Resource {

    /** The resource's id, unique in a plan. */
    ResourceId id();

    /**
     * The remote API this resource talks to, for per-service rate limits: e.g. {@code iam}, {@code sts},
     * {@code eks}, {@code kubernetes}, {@code gitlab}, {@code helm}.
     */
    String service();

    /** The resources that must be applied before this one (and destroyed after it). */
    default Set<ResourceId> dependsOn() {
        return Set.of();
    }

    /**
     * Lines the plan lists under "Notes" for this resource, e.g. the lint findings the user accepted for an
     * IAM role. Pure; never secrets. None by default.
     */
    default List<String> planNotes() {
        return List.of();
    }

    /**
     * One resource doing the work of this one and {@code other}, which has the same {@link #id()}: the planner
     * calls it when a plan is given two resources with one id, e.g. the OIDC provider every binding of a cluster
     * needs, so many bindings are one plan in which the shared object is observed once and changed once. Pure.
     * The default refuses: most objects belong to exactly one owner.
     *
     * @throws DuplicateResourceException when the two cannot be one object (the default)
     * @throws dev.irsa.ValidationException when they could, but disagree (e.g. on who owns the object)
     */
    default Resource merge(Resource other) {
        throw new DuplicateResourceException(id());
    }

    /** Reads the live object. Read-only; may run in parallel with other resources' observations. */
    Observed observe();

    /**
     * Destroy planning only, for an object {@link #observe()} found {@link Presence#OWNED}: why it must stay
     * even so, e.g. a namespace that still holds objects irsa does not own, or whose contents could not be
     * listed. The plan then shows it as a {@link Action#NO_OP} with reason {@code "kept: <why>"}. Read-only;
     * empty (the default) to delete it. {@link #delete} still checks again: things change after planning.
     */
    default Optional<String> keepOnDestroy(Observed observed) {
        return Optional.empty();
    }

    /**
     * The fields this resource should have. Fields left out are not compared. While planning, outputs of
     * dependencies that will be created are unknown; put them as {@link FieldValue#unknown()} (the
     * {@code Optional} overload of {@link Fields.Builder#put(String, java.util.Optional)} does it).
     */
    Fields desired(Inputs inputs);

    /**
     * The fields that differ. The default compares each desired field with the live one
     * ({@link FieldDiff#between}); override it for fields that need a semantic comparison (e.g. two policy
     * documents that differ only in statement order).
     */
    default List<FieldDiff> diff(Fields desired, Observed observed) {
        return FieldDiff.between(observed.fields(), desired);
    }

    /**
     * Creates or updates the object, as {@code context.change().action()} says ({@link Action#CREATE} or
     * {@link Action#UPDATE}). Dependencies have been applied, so {@link Inputs#require} returns their outputs;
     * compute the desired state again from them. {@code context.observed()} is what planning found.
     *
     * @return the outputs for dependents; for an update, outputs not returned keep their observed values
     */
    Outputs apply(ApplyContext context);

    /**
     * Deletes the object. Called only for objects observed as {@link Presence#OWNED};
     * {@code context.observed()} is what planning found (e.g. the id to delete). Already gone = success.
     */
    void delete(ApplyContext context);
}
