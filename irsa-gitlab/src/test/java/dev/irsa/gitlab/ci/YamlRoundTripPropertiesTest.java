package dev.irsa.gitlab.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a script line says (YAML keywords, numbers, colons, braces), it comes back as the same string. */
class YamlRoundTripPropertiesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Property(tries = 300, seed = "20261125")
    void scriptLinesSurviveYaml(@ForAll("lines") String line) throws Exception {
        String yaml = GitLabCiFile.builder().job("job", j -> j.script(line).tags("t")).build().toYaml();
        JsonNode script = YAML.readTree(yaml).at("/job/script/0");
        assertThat(script.isTextual()).as(yaml).isTrue();
        assertThat(script.asText()).isEqualTo(line);
    }

    @Provide
    Arbitrary<String> lines() {
        return Arbitraries.oneOf(
                Arbitraries.of("true", "false", "yes", "no", "on", "off", "null", "~", "1", "0755", "1.0", "1e3", ".inf",
                        "a: b", "- x", "#c", "{{ x }}", "[a]", "{a: 1}", "'q'", "\"q\"", "*alias", "&anchor", "!tag", "%x", "@x", "`x`",
                        "  leading", "trailing  ", "multi\nline", "tab\there", "$CI_JOB_ID", "echo \"$X\" > \"$Y\""),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40).withCharRange(' ', '~'));
    }
}
