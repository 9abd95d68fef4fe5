package dev.irsa.examples.cli;

import dev.irsa.ValidationException;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.gitlab.stack.StackSpec;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Renders the artifacts of a stack spec file (each environment of it, or the one asked for). Pure. */
final class SpecArtifacts {
    enum Kind { VALUES, PIPELINE, ALL }

    private SpecArtifacts() {
    }

    /** The spec's stacks: each environment of it, or the one asked for ({@code environment}, may be null). */
    static List<RunnerStack> stacks(Path specFile, String environment) {
        RunnerStack stack = read(specFile);
        List<RunnerStack> all = stack.expand();
        if (environment == null) {
            return all;
        }
        List<RunnerStack> one = all.stream().filter(s -> s.name().equals(stack.name() + "-" + environment)).toList();
        if (one.isEmpty()) {
            throw new ValidationException("--environment", environment, "one of the spec's environments " + stack.environments().keySet());
        }
        return one;
    }

    /** Reads a spec file with or without a runner; one over the size limit is refused by its size, before it is read. */
    static StackSpec readSpec(Path specFile) {
        try {
            return StackSpec.fromYaml(specFile);
        } catch (UncheckedIOException e) {
            throw new ValidationException("FILE", specFile, "a readable file (" + e.getCause().getClass().getSimpleName() + ")");
        }
    }

    /** Reads the spec file; one over the size limit is refused by its size, before it is read or parsed. */
    static RunnerStack read(Path specFile) {
        try {
            return RunnerStack.fromYaml(specFile);
        } catch (UncheckedIOException e) {
            throw new ValidationException("FILE", specFile, "a readable file (" + e.getCause().getClass().getSimpleName() + ")");
        }
    }

    static String render(Path specFile, String environment, Kind kind) {
        StackSpec spec = readSpec(specFile);
        if (spec.runnerStack().isEmpty()) {
            return renderBindings(spec, kind);
        }
        List<RunnerStack> stacks = stacks(specFile, environment);
        StringBuilder out = new StringBuilder();
        for (RunnerStack stack : stacks) {
            String prefix = stacks.size() > 1 ? "# --- stack " + stack.name() + "\n" : "";
            out.append(prefix);
            switch (kind) {
                case VALUES -> out.append(stack.runnerValues().toYaml());
                case PIPELINE -> out.append(stack.pipelineYaml().orElseThrow(() ->
                        new ValidationException("pipeline", null, "a pipeline section in the spec to render .gitlab-ci.yml")));
                case ALL -> {
                    stack.binding().staticProvider().map(p -> stack.binding().trustPolicy(p)).map(t -> t.toJson(true))
                            .ifPresentOrElse(json -> out.append("# --- trust-policy.json\n").append(json).append('\n'),
                                    () -> out.append("# --- trust-policy.json: the cluster's issuer is looked up at plan time"
                                            + " (give cluster.issuer and cluster.account in the spec to render it offline)\n"));
                    out.append("# --- lint\n").append(stack.lint()).append('\n');
                    out.append("# --- values.yaml (gitlab-runner chart 0.86.0)\n").append(stack.runnerValues().toYaml());
                    stack.pipelineYaml().ifPresent(p -> out.append("# --- .gitlab-ci.yml\n").append(p));
                }
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * A spec without a runner: its trust policies (when the issuer and account are in the spec), lint, and the
     * {@code .gitlab-ci.yml} jobs that assume its GitLab OIDC roles.
     */
    private static String renderBindings(StackSpec spec, Kind kind) {
        StringBuilder out = new StringBuilder();
        switch (kind) {
            case VALUES -> throw new ValidationException("runner", null, "a runner in the spec to render the chart's values");
            case PIPELINE -> out.append(pipeline(spec));
            case ALL -> {
                for (var binding : spec.bindings()) {
                    binding.staticProvider().map(binding::trustPolicy).map(t -> t.toJson(true))
                            .ifPresentOrElse(json -> out.append("# --- ").append(binding.name()).append(": trust-policy.json\n").append(json).append('\n'),
                                    () -> out.append("# --- ").append(binding.name()).append(": trust-policy.json: the issuer or account is looked up at plan time\n"));
                    out.append("# --- ").append(binding.name()).append(": lint\n").append(binding.lint()).append('\n');
                }
                if (spec.bindings().stream().anyMatch(b -> b.mode() == dev.irsa.binding.IdentityMode.GITLAB_OIDC)) {
                    out.append("# --- .gitlab-ci.yml\n").append(pipeline(spec));
                }
            }
        }
        return out.toString();
    }

    private static String pipeline(StackSpec spec) {
        return spec.gitlabOidcPipeline(null).toYaml();
    }
}
