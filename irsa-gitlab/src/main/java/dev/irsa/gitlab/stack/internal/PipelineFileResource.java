package dev.irsa.gitlab.stack.internal;

import dev.irsa.gitlab.stack.PipelineSettings;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.gitlab.stack.StackBackends;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.SecretObservation;
import dev.irsa.plan.ApplyContext;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Observed;
import dev.irsa.plan.OutputKey;
import dev.irsa.plan.Outputs;
import dev.irsa.plan.Presence;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.Services;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline file in the project's repository. It is irsa's only when its content hash is one irsa recorded
 * on the stack's runner-token Secret ({@link IrsaMetadata#PIPELINE_SHA256_ANNOTATION}, written before each
 * commit): a file irsa did not write, or one edited since irsa wrote it, is not irsa's. Apply refuses it
 * (overwriting would throw away someone's pipeline or their edit; the plan says which of the two) unless
 * {@link PipelineSettings#adopt()}, and destroy keeps it; one that has exactly the wanted content is used as it
 * is (nothing to overwrite) and kept too. A comment in the file would prove nothing: anyone can
 * copy it, and it survives edits. The hash is GitLab's {@code content_sha256}, returned with every file read
 * (lib/api/files.rb {@code blob_data}: {@code Digest::SHA256.hexdigest(@blob.data)}, the raw bytes' sha256), so
 * no content needs decoding.
 *
 * <p>Why an edited file is refused rather than restored: the edit is someone's commit to their repository;
 * reverting it on the next apply would silently undo their work (and deleting it on destroy would lose it).
 * The plan shows the two hashes and says the file was edited; {@code adopt} makes irsa's content win.
 */
final class PipelineFileResource implements Resource {
    /** The content hashes irsa had recorded when the plan was made (comma-separated). */
    private static final OutputKey<String> RECORDED = OutputKey.of("recordedSha256", String.class);
    /** The content hash of irsa's file when the plan was made. */
    private static final OutputKey<String> LIVE = OutputKey.of("liveSha256", String.class);
    private static final String WRITTEN_BY = "written_by";
    private static final String IRSA = "irsa";

    private final RunnerStack stack;
    private final PipelineSettings pipeline;
    private final StackBackends backends;
    private final StackResources.Scope scope;
    private final ResourceId runner;
    private final ResourceId secret;

    PipelineFileResource(RunnerStack stack, PipelineSettings pipeline, StackBackends backends, StackResources.Scope scope,
                         ResourceId runner, ResourceId secret) {
        this.stack = stack;
        this.pipeline = pipeline;
        this.backends = backends;
        this.scope = scope;
        this.runner = runner;
        this.secret = secret;
    }

    @Override
    public ResourceId id() {
        return StackResources.pipelineFileId(stack, pipeline);
    }

    @Override
    public String service() {
        return Services.GITLAB;
    }

    /** The runner (the file's jobs need it) and the Secret, which must exist to record the hash on. */
    @Override
    public Set<ResourceId> dependsOn() {
        return Set.of(runner, secret);
    }

    /** The live file's content hash (the SHA-256 GitLab reports as {@code content_sha256}), or empty when there is no file. */
    private Optional<String> liveSha256() {
        // by the project's path: reading needs no id lookup (writing does)
        return backends.gitlab().readFile(scope.pipelineProjectPath(pipeline), pipeline.path(), pipeline.branch())
                .map(PipelineFileResource::sha256);
    }

    @Override
    public Observed observe() {
        Optional<String> live = liveSha256();
        SecretObservation records = scope.runnerSecret(id());
        if (live.isEmpty()) {
            return Observed.absent();
        }
        List<String> recorded = records.ownership().ownedByStack() ? records.pipelineSha256() : List.of();
        if (recorded.contains(live.get())) {
            return Observed.owned(Fields.of(f -> f.put("content_sha256", live.get()).put(WRITTEN_BY, IRSA)),
                    Outputs.builder().put(RECORDED, String.join(",", recorded)).put(LIVE, live.get()).build());
        }
        if (!pipeline.adopt() && live.get().equals(sha256(pipeline.content()))) {
            // already exactly what irsa would write: nothing to overwrite, and not provably irsa's to delete
            return Observed.external(Fields.of(f -> f.put("content_sha256", live.get())));
        }
        String who = recorded.isEmpty() ? "not irsa (irsa recorded no content for this file)"
                : "irsa, then edited (its content is not one irsa committed)";
        return Observed.foreign(Fields.of(f -> f.put("content_sha256", live.get()).put(WRITTEN_BY, who)));
    }

    @Override
    public Fields desired(dev.irsa.plan.Inputs inputs) {
        return Fields.of(f -> f.put("content_sha256", sha256(pipeline.content())).put(WRITTEN_BY, IRSA));
    }

    /**
     * Records the new content's hash (with the current one, while the commit is under way: a commit that fails
     * leaves irsa's file irsa's), commits, then keeps only the new hash.
     */
    @Override
    public Outputs apply(ApplyContext context) {
        String wanted = sha256(pipeline.content());
        List<String> recording = new ArrayList<>(List.of(wanted));
        if (context.observed().presence() == Presence.OWNED) {
            context.observed().outputs().get(LIVE).filter(live -> !live.equals(wanted)).ifPresent(recording::add);
        }
        record(recording);
        backends.gitlab().commitFile(scope.pipelineProjectId(pipeline), pipeline.path(), pipeline.branch(),
                pipeline.content(), pipeline.commitMessage());
        if (recording.size() > 1) {
            record(List.of(wanted));
        }
        return Outputs.none();
    }

    private void record(List<String> hashes) {
        backends.binding().requireKubernetes("the pipeline file of stack " + stack.name()).recordOnRunnerSecret(
                stack.releaseNamespace(), stack.runner().secretName(), stack.name(),
                Map.of(IrsaMetadata.PIPELINE_SHA256_ANNOTATION, String.join(",", hashes)));
    }

    /** Only a content irsa committed: a file edited since the plan is the user's now and stays. */
    @Override
    public void delete(ApplyContext context) {
        List<String> recorded = context.observed().outputs().get(RECORDED).map(r -> Arrays.asList(r.split(","))).orElse(List.of());
        Optional<String> live = liveSha256();
        if (live.isEmpty() || !recorded.contains(live.get())) {
            return;
        }
        backends.gitlab().deleteFile(scope.pipelineProjectId(pipeline), pipeline.path(), pipeline.branch(),
                "irsa: remove the pipeline of stack " + stack.name());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
