package dev.irsa.gitlab.runner;

import dev.irsa.SecretString;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data of the Secret the chart reads through {@code runners.secret}: it must hold both keys, the
 * {@code glrt-} token under {@code runner-token} and an empty {@code runner-registration-token}.
 *
 * <pre>{@code
 * Map<String, SecretString> data = RunnerTokenSecret.data(token);  // for the Kubernetes Secret writer
 * }</pre>
 */
public final class RunnerTokenSecret {
    public static final String RUNNER_TOKEN_KEY = "runner-token";
    public static final String REGISTRATION_TOKEN_KEY = "runner-registration-token";

    private RunnerTokenSecret() {
    }

    public static Map<String, SecretString> data(SecretString runnerToken) {
        dev.irsa.gitlab.api.GitLabValidators.runnerToken("runner-token", runnerToken);
        Map<String, SecretString> data = new LinkedHashMap<>();
        data.put(RUNNER_TOKEN_KEY, runnerToken);
        data.put(REGISTRATION_TOKEN_KEY, SecretString.of(""));
        return java.util.Collections.unmodifiableMap(data);
    }
}
