package dev.irsa.gitlab.runner.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.irsa.IrsaException;

import java.util.List;
import java.util.Map;

/**
 * The part of gitlab-runner's {@code config.toml} irsa writes into the chart's {@code runners.config}:
 * {@code [[runners]] [runners.kubernetes]}. Field names are the runner's TOML keys.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunnersConfigModel(@JsonProperty("runners") List<Runner> runners) {

    private static final TomlMapper TOML = new TomlMapper();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Runner(@JsonProperty("kubernetes") Kubernetes kubernetes) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"namespace", "image", "privileged", "poll_timeout", "service_account",
            "cpu_request", "memory_request", "service_cpu_request", "service_memory_request",
            "helper_cpu_request", "helper_memory_request", "node_selector"})
    public record Kubernetes(
            @JsonProperty("namespace") String namespace,
            @JsonProperty("image") String image,
            @JsonProperty("privileged") Boolean privileged,
            @JsonProperty("poll_timeout") Integer pollTimeout,
            @JsonProperty("service_account") String serviceAccount,
            @JsonProperty("cpu_request") String cpuRequest,
            @JsonProperty("memory_request") String memoryRequest,
            @JsonProperty("service_cpu_request") String serviceCpuRequest,
            @JsonProperty("service_memory_request") String serviceMemoryRequest,
            @JsonProperty("helper_cpu_request") String helperCpuRequest,
            @JsonProperty("helper_memory_request") String helperMemoryRequest,
            @JsonProperty("node_selector") Map<String, String> nodeSelector) {
    }

    public String toToml() {
        try {
            return TOML.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IrsaException("cannot render runners.config as TOML: " + e.getOriginalMessage(), e);
        }
    }

    public static RunnersConfigModel fromToml(String toml) {
        try {
            return TOML.readValue(toml, RunnersConfigModel.class);
        } catch (JsonProcessingException e) {
            throw new IrsaException("runners.config is not the TOML irsa expects: " + e.getOriginalMessage(), e);
        }
    }
}
