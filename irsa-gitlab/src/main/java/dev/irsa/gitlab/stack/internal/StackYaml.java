package dev.irsa.gitlab.stack.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.irsa.ValidationException;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.gitlab.internal.StrictYamlFactory;
import dev.irsa.gitlab.internal.Yaml;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.gitlab.stack.StackSpec;
import dev.irsa.policy.PermissionsPolicy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads a stack spec from YAML with Jackson: unknown fields are errors (a typo never passes silently), and
 * every error is a {@link ValidationException} naming the field. The YAML is read strictly
 * ({@link StrictYamlFactory}): aliases mean the anchored node, duplicate keys, a second document and merge
 * keys are refused, and a spec over {@link #MAX_SPEC_CHARS} is refused before it is parsed.
 */
public final class StackYaml {
    /** The largest stack spec read: 3 MiB (characters of text, or bytes of a file or stream). */
    public static final int MAX_SPEC_CHARS = Yaml.MAX_DOCUMENT_CHARS;
    private static final ObjectMapper MAPPER = new ObjectMapper(StrictYamlFactory.create(MAX_SPEC_CHARS))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StackYaml() {
    }

    public static RunnerStack read(String yaml) {
        Doc doc = parse(yaml);
        if (doc.runner == null) {
            throw new ValidationException("runner", null, "a stack needs a runner (a spec of role bindings without a runner is read "
                    + "with StackSpec.fromYaml, and the CLI takes both)");
        }
        return toStack(doc);
    }

    /** A spec with or without a runner: a runner stack, or the spec's role bindings. */
    public static StackSpec readSpec(String yaml) {
        Doc doc = parse(yaml);
        if (doc.runner != null) {
            if (doc.bindings != null) {
                throw new ValidationException("bindings", null, "a runner stack holds one binding (the top-level role, serviceAccount...); "
                        + "a list of bindings is for specs without a runner");
            }
            return StackSpec.of(toStack(doc));
        }
        if (doc.pipeline != null || doc.environments != null) {
            throw new ValidationException(doc.pipeline != null ? "pipeline" : "environments", null,
                    "needs a runner: a spec without a runner holds role bindings only");
        }
        return StackSpec.of(doc.name, bindings(doc));
    }

    private static Doc parse(String yaml) {
        if (yaml == null) {
            throw new ValidationException("(document)", null, "the stack spec is empty");
        }
        checkSize(yaml.length());
        Doc doc;
        try {
            doc = MAPPER.readValue(yaml, Doc.class);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        }
        if (doc == null) {
            throw new ValidationException("(document)", null, "the stack spec is empty");
        }
        return doc;
    }

    /**
     * The role bindings of a spec without a runner: the top-level binding fields, or {@code bindings}, whose entries
     * take {@code mode}, {@code cluster} and {@code accountId} from the top level unless they give their own. Every
     * binding marks the OIDC provider it shares with the spec's name.
     */
    static List<RoleBinding> bindings(Doc doc) {
        dev.irsa.validation.Validators.dns1123Label("name", doc.name);
        if (doc.bindings == null) {
            return List.of(RoleBinding.of(b -> {
                b.name(doc.name);
                binding(doc, b);
            }));
        }
        for (String topLevel : new String[] {"role", "serviceAccount", "gitlabOidc", "acceptLint"}) {
            boolean given = switch (topLevel) {
                case "role" -> doc.role != null;
                case "serviceAccount" -> doc.serviceAccount != null;
                case "gitlabOidc" -> doc.gitlabOidc != null;
                default -> doc.acceptLint != null;
            };
            if (given) {
                throw new ValidationException(topLevel, null, "goes inside each entry of bindings, not beside them");
            }
        }
        if (doc.bindings.isEmpty()) {
            throw new ValidationException("bindings", "[]", "at least one binding");
        }
        List<RoleBinding> bindings = new java.util.ArrayList<>();
        for (int i = 0; i < doc.bindings.size(); i++) {
            String prefix = "bindings[" + i + "]";
            BindingDoc entry = doc.bindings.get(i);
            if (entry == null) {
                throw new ValidationException(prefix, null, "a binding (name, role, and a serviceAccount or gitlabOidc)");
            }
            // the top level's mode, cluster and account are every entry's defaults
            entry.mode = entry.mode != null ? entry.mode : doc.mode;
            entry.cluster = entry.cluster != null ? entry.cluster : doc.cluster;
            entry.accountId = entry.accountId != null ? entry.accountId : doc.accountId;
            try {
                bindings.add(RoleBinding.of(b -> {
                    b.name(entry.name).providerOwner(doc.name);
                    binding(entry, b);
                }));
            } catch (ValidationException e) {
                String field = e.field().startsWith("binding.") ? e.field().substring("binding.".length()) : e.field();
                throw new ValidationException(prefix + "." + field, e.value(), e.rule());
            }
        }
        return List.copyOf(bindings);
    }

    /** A spec file's text; one over the limit is refused by its size, before it is read. */
    public static String text(java.nio.file.Path file) {
        try {
            checkSize(java.nio.file.Files.size(file));
            return java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A spec's text from a stream, at most {@link #MAX_SPEC_CHARS} bytes: a longer one is refused without reading the rest. */
    public static String text(java.io.InputStream in) {
        try {
            byte[] bytes = in.readNBytes(MAX_SPEC_CHARS + 1);
            checkSize(bytes.length);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the stack spec", e);
        }
    }

    /** Refuses a spec over the limit before anything parses it (parsing 20 MB of YAML takes minutes of CPU). */
    public static void checkSize(long size) {
        if (size > MAX_SPEC_CHARS) {
            throw new ValidationException("(document)", "more than " + MAX_SPEC_CHARS + " bytes", "a stack spec has at most " + MAX_SPEC_CHARS
                    + " bytes (3 MiB); it was not parsed");
        }
    }

    private static ValidationException invalid(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return new ValidationException(path(u), u.getPropertyName(), "unknown field; known: "
                    + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException limit) {
                return new ValidationException("(document)", null, "a stack spec has at most " + MAX_SPEC_CHARS
                        + " characters (3 MiB): " + limit.getOriginalMessage());
            }
            if (t instanceof StreamReadException syntax) {
                String where = syntax.getLocation() == null || syntax.getLocation().getLineNr() < 1 ? ""
                        : " (line " + syntax.getLocation().getLineNr() + ")";
                return new ValidationException(path(syntax.getProcessor() == null ? null : syntax.getProcessor().getParsingContext()),
                        null, "not valid YAML: " + syntax.getOriginalMessage() + where);
            }
        }
        if (e instanceof JsonMappingException m) {
            return new ValidationException(path(m), null, "wrong type or shape: " + m.getOriginalMessage());
        }
        return new ValidationException("(document)", null, "not valid YAML: " + e.getOriginalMessage());
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return p.isEmpty() ? "(document)" : p;
    }

    /** The field the parser was at, e.g. {@code runner.tags[1]}. */
    private static String path(JsonStreamContext context) {
        StringBuilder p = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            String part = c.inArray() ? "[" + Math.max(c.getCurrentIndex(), 0) + "]" : c.getCurrentName() == null ? "" : "." + c.getCurrentName();
            p.insert(0, part);
        }
        String s = p.length() > 0 && p.charAt(0) == '.' ? p.substring(1) : p.toString();
        return s.isEmpty() ? "(document)" : s;
    }

    static RunnerStack toStack(Doc doc) {
        return RunnerStack.of(s -> {
            s.name(doc.name);
            s.binding(b -> binding(doc, b));
            s.runner(r -> {
                RunnerDoc d = doc.runner;
                r.gitlabUrl(d.gitlabUrl).releaseName(d.release);
                if (d.project != null) {
                    r.project(d.project);
                }
                if (d.group != null) {
                    r.group(d.group);
                }
                Optional.ofNullable(d.name).ifPresent(r::name);
                Optional.ofNullable(d.tags).ifPresent(r::tags);
                Optional.ofNullable(d.protectedOnly).ifPresent(r::protectedOnly);
                Optional.ofNullable(d.runUntagged).ifPresent(r::runUntagged);
                Optional.ofNullable(d.locked).ifPresent(r::locked);
                Optional.ofNullable(d.releaseNamespace).ifPresent(r::releaseNamespace);
                Optional.ofNullable(d.secretName).ifPresent(r::secretName);
                Optional.ofNullable(d.image).ifPresent(r::image);
                Optional.ofNullable(d.privileged).ifPresent(r::privileged);
                Optional.ofNullable(d.nodeSelector).ifPresent(r::nodeSelector);
                Optional.ofNullable(d.concurrent).ifPresent(r::concurrent);
                Optional.ofNullable(d.adoptRelease).ifPresent(r::adoptRelease);
            });
            if (doc.pipeline != null) {
                PipelineDoc d = doc.pipeline;
                s.pipeline(p -> {
                    p.content(d.content);
                    Optional.ofNullable(d.project).ifPresent(p::project);
                    Optional.ofNullable(d.branch).ifPresent(p::branch);
                    Optional.ofNullable(d.path).ifPresent(p::path);
                    Optional.ofNullable(d.commitMessage).ifPresent(p::commitMessage);
                    Optional.ofNullable(d.adopt).ifPresent(p::adopt);
                });
            }
            if (doc.environments != null) {
                doc.environments.forEach((name, d) -> s.environment(name, e -> {
                    if (d == null) {
                        return;
                    }
                    Optional.ofNullable(d.namespace).ifPresent(e::namespace);
                    Optional.ofNullable(d.tags).ifPresent(e::tags);
                    Optional.ofNullable(d.nodePool).ifPresent(e::nodePool);
                    Optional.ofNullable(d.roleName).ifPresent(e::roleName);
                    Optional.ofNullable(d.releaseName).ifPresent(e::releaseName);
                    Optional.ofNullable(d.pipelineBranch).ifPresent(e::pipelineBranch);
                }));
            }
        });
    }

    private static void binding(BindingDoc doc, RoleBinding.Builder b) {
        b.mode(mode(doc.mode));
        if (doc.cluster != null) {
            ClusterDoc c = doc.cluster;
            b.cluster(new ClusterRef(Optional.ofNullable(c.name), Optional.ofNullable(c.region), Optional.ofNullable(c.issuer),
                    Optional.ofNullable(c.account), c.partition));
        }
        Optional.ofNullable(doc.accountId).ifPresent(b::accountId);
        if (doc.role == null) {
            throw new ValidationException("role", null, "a stack needs a role");
        }
        RoleDoc r = doc.role;
        b.role(role -> {
            role.name(r.name);
            Optional.ofNullable(r.path).ifPresent(role::path);
            Optional.ofNullable(r.description).ifPresent(role::description);
            Optional.ofNullable(r.maxSessionDurationSeconds).ifPresent(role::maxSessionDurationSeconds);
            Optional.ofNullable(r.permissionsBoundaryArn).ifPresent(role::permissionsBoundaryArn);
            Optional.ofNullable(r.managedPolicyArns).ifPresent(l -> l.forEach(role::managedPolicyArn));
            Optional.ofNullable(r.tags).ifPresent(role::tags);
            if (r.inlinePolicies != null) {
                r.inlinePolicies.forEach((name, node) -> role.inlinePolicy(name, policy("role.inlinePolicies." + name, node)));
            }
        });
        if (doc.serviceAccount != null) {
            SaDoc sa = doc.serviceAccount;
            b.serviceAccount(s -> {
                s.namespace(sa.namespace).name(sa.name);
                Optional.ofNullable(sa.audience).ifPresent(s::audience);
                Optional.ofNullable(sa.adopt).ifPresent(s::adopt);
            });
        }
        if (doc.gitlabOidc != null) {
            GitLabOidcDoc g = doc.gitlabOidc;
            b.gitlabOidc(o -> {
                Optional.ofNullable(g.issuerUrl).ifPresent(o::issuerUrl);
                Optional.ofNullable(g.audience).ifPresent(o::audience);
                if (g.tag != null) {
                    o.tag(g.project, g.tag);
                } else if (g.branch != null) {
                    o.branch(g.project, g.branch);
                }
            });
        }
        Optional.ofNullable(doc.acceptLint).ifPresent(ids -> b.acceptLint(ids.toArray(String[]::new)));
    }

    /** A policy given as JSON text or as a YAML mapping of the same document. */
    private static PermissionsPolicy policy(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new ValidationException(field, null, "a permissions policy document (JSON text or a mapping)");
        }
        try {
            return PermissionsPolicy.fromJson(node.isTextual() ? node.textValue() : new ObjectMapper().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new ValidationException(field, null, "cannot render the policy as JSON: " + e.getOriginalMessage());
        } catch (ValidationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ValidationException(field, null, "not a valid IAM policy document: " + e.getMessage());
        }
    }

    private static IdentityMode mode(String text) {
        if (text == null) {
            return IdentityMode.IRSA;
        }
        String normal = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return IdentityMode.valueOf(normal);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("mode", text, "one of irsa, pod-identity, gitlab-oidc");
        }
    }

    // ---- the document's shape (public fields for Jackson) ----

    /** A whole spec: one binding's fields at the top level, and the runner (or a list of bindings). */
    public static final class Doc extends BindingDoc {
        public RunnerDoc runner;
        public PipelineDoc pipeline;
        public Map<String, EnvDoc> environments;
        public List<BindingDoc> bindings;
    }

    /** One binding's fields: the top level of a spec, or one entry of {@code bindings} (a spec without a runner). */
    public static class BindingDoc {
        public String name;
        public String mode;
        public ClusterDoc cluster;
        public String accountId;
        public RoleDoc role;
        public SaDoc serviceAccount;
        public GitLabOidcDoc gitlabOidc;
        public List<String> acceptLint;
    }

    public static final class ClusterDoc {
        public String name;
        public String region;
        public String issuer;
        public String account;
        public String partition;
    }

    public static final class RoleDoc {
        public String name;
        public String path;
        public String description;
        public Integer maxSessionDurationSeconds;
        public Map<String, JsonNode> inlinePolicies;
        public List<String> managedPolicyArns;
        public String permissionsBoundaryArn;
        public Map<String, String> tags;
    }

    public static final class SaDoc {
        public String namespace;
        public String name;
        public String audience;
        public Boolean adopt;
    }

    public static final class GitLabOidcDoc {
        public String issuerUrl;
        public String project;
        public String branch;
        public String tag;
        public String audience;
    }

    public static final class RunnerDoc {
        public String gitlabUrl;
        public String project;
        public String group;
        public String name;
        public List<String> tags;
        public Boolean protectedOnly;
        public Boolean runUntagged;
        public Boolean locked;
        public String release;
        public String releaseNamespace;
        public String secretName;
        public String image;
        public Boolean privileged;
        public Map<String, String> nodeSelector;
        public Integer concurrent;
        public Boolean adoptRelease;
    }

    public static final class PipelineDoc {
        public String project;
        public String branch;
        public String path;
        public String content;
        public String commitMessage;
        public Boolean adopt;
    }

    public static final class EnvDoc {
        public String namespace;
        public List<String> tags;
        public String nodePool;
        public String roleName;
        public String releaseName;
        public String pipelineBranch;
    }
}
