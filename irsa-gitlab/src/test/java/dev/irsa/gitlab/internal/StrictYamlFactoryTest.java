package dev.irsa.gitlab.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.irsa.IrsaException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The strict reader against the YAML 1.2 spec (§3.2.2.2: an alias node refers to the most recent preceding
 * node having the same anchor) and against SnakeYAML's own composer, the reference every Java YAML tool uses
 * ({@code new org.yaml.snakeyaml.Yaml().load}): both must read the same tree.
 */
class StrictYamlFactoryTest {
    private static Object snakeYaml(String yaml) {
        return new org.yaml.snakeyaml.Yaml(new LoaderOptions()).load(yaml);
    }

    private static Object strict(String yaml) {
        return new ObjectMapper().convertValue(Yaml.read(yaml), Object.class);
    }

    @Test
    void anAliasIsTheAnchoredNodeNotTheAnchorsName() {
        String yaml = """
                a:
                  namespace: &kube-system dev
                b:
                  namespace: *kube-system
                """;
        // Plain Jackson (what irsa used before) reads the anchor's name: the defect this factory fixes.
        JsonNode plain = readWithPlainJackson(yaml);
        assertThat(plain.at("/b/namespace").asText()).isEqualTo("kube-system");
        assertThat(Yaml.read(yaml).at("/b/namespace").asText()).isEqualTo("dev");
        assertThat(strict(yaml)).isEqualTo(snakeYaml(yaml));
    }

    @Test
    void collectionsNestedAliasesAndRedefinedAnchorsExpandLikeSnakeYaml() {
        String yaml = """
                base: &base {image: "ubuntu:18.04", tags: &tags [a, b]}
                copy: *base
                tags: *tags
                list: [&x 1, *x, &x 2, *x]
                outer: &outer {inner: *base, n: &n 3}
                again: [*outer, *n]
                """;
        assertThat(strict(yaml)).isEqualTo(snakeYaml(yaml));
        assertThat(Yaml.read(yaml).at("/list").toString()).isEqualTo("[1,1,2,2]");
        assertThat(Yaml.read("k: &k name\nm: {*k : v}\n").at("/m/name").asText()).isEqualTo("v");
    }

    @Test
    void anAliasBombIsStoppedBeforeItFillsTheHeap() {
        StringBuilder yaml = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            String previous = "*l" + (i - 1);
            yaml.append("l").append(i).append(": &l").append(i).append(" [")
                    .append(IntStream.range(0, 10).mapToObj(j -> previous).collect(Collectors.joining(", "))).append("]\n");
        }
        assertThatThrownBy(() -> Yaml.read(yaml.toString())).isInstanceOf(IrsaException.class)
                .hasMessageContaining("more than " + StrictYamlFactory.MAX_ALIAS_EVENTS);
    }

    @Test
    void anUndefinedOrRecursiveAliasIsRefused() {
        assertThatThrownBy(() -> Yaml.read("a: *nowhere\n")).hasMessageContaining("*nowhere refers to no anchor");
        assertThatThrownBy(() -> Yaml.read("a: &a [1, *a]\n")).hasMessageContaining("*a refers to no anchor");
    }

    @Test
    void duplicateKeysAreRefusedAtAnyDepth() {
        assertThatThrownBy(() -> Yaml.read("a: 1\na: 2\n")).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> Yaml.read("a:\n  b: 1\n  c: 2\n  b: 3\n")).hasMessageContaining("Duplicate field 'b'");
    }

    @Test
    void aSecondDocumentIsRefusedNotIgnored() {
        assertThat(readWithPlainJackson("a: 1\n---\na: 2\n").at("/a").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> Yaml.read("a: 1\n---\na: 2\n")).hasMessageContaining("a second YAML document");
        assertThat(Yaml.read("---\na: 1\n...\n").at("/a").asInt()).isEqualTo(1);
    }

    @Test
    void mergeKeysAreRefused() {
        assertThatThrownBy(() -> Yaml.read("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n")).hasMessageContaining("merge keys");
        // "<<" as a value, or quoted as a key, is an ordinary string.
        assertThat(Yaml.read("a: <<\n'<<': b\n").at("/a").asText()).isEqualTo("<<");
    }

    @Test
    void aDocumentOverTheLimitIsRefusedByTheParserItself() {
        // Belt and braces behind the size checks of the spec readers: Jackson's maxDocumentLength.
        String big = "a: " + "x".repeat(Yaml.MAX_DOCUMENT_CHARS) + "\n";
        assertThatThrownBy(() -> Yaml.read(big)).isInstanceOf(IrsaException.class).hasMessageContaining("length");
    }

    private static JsonNode readWithPlainJackson(String yaml) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
