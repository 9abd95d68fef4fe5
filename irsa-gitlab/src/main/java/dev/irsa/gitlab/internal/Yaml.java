package dev.irsa.gitlab.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.irsa.IrsaException;

/**
 * The YAML mappers of irsa-gitlab. {@link #MAPPER} writes: no document marker, minimal quotes, block
 * literals for multi-line strings. {@link #read} reads strictly (see {@link StrictYamlFactory}): aliases
 * expanded the standard way, duplicate keys, extra documents and merge keys refused.
 */
public final class Yaml {
    private Yaml() {
    }

    /** The largest YAML document irsa reads (SnakeYAML's own default code point limit). */
    public static final int MAX_DOCUMENT_CHARS = 3 * 1024 * 1024;

    /** Reads one YAML document strictly; fails on trailing content (a second document). */
    public static final ObjectMapper READER = new ObjectMapper(StrictYamlFactory.create(MAX_DOCUMENT_CHARS))
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    public static String write(JsonNode tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IrsaException("cannot render YAML: " + e.getOriginalMessage(), e);
        }
    }

    public static JsonNode read(String yaml) {
        try {
            JsonNode node = READER.readTree(yaml);
            return node == null ? MAPPER.createObjectNode() : node;
        } catch (JsonProcessingException e) {
            throw new IrsaException("not valid YAML: " + e.getOriginalMessage(), e);
        }
    }
}
