package dev.irsa.gitlab.api;

import dev.irsa.gitlab.internal.JavaNetHttpWithoutRedirects;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.ProxyClientConfig;
import org.glassfish.jersey.client.ClientProperties;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place that builds HTTP clients carrying the GitLab access token: GitLab4J's and the JDK client for
 * {@code /runners/verify}. Both send through the JDK's {@code java.net.http} and never follow a redirect, so the
 * token is only ever sent to the configured host.
 *
 * <p>Why not GitLab4J's default connector: it is the JDK's {@code HttpURLConnection}, which writes every
 * request's headers, {@code PRIVATE-TOKEN} included, to the java.util.logging logger
 * {@code sun.net.www.protocol.http.HttpURLConnection} at FINE; with a proxy GitLab4J switches to Apache
 * HttpClient 4, which writes them to {@code org.apache.http.headers} and {@code org.apache.http.wire} at DEBUG.
 * {@code java.net.http} writes header values only when the JVM runs with
 * {@code -Djdk.httpclient.HttpClient.log=headers} (or {@code all}), whatever the logger levels; its debug
 * logger ({@code jdk.internal.httpclient.debug}) writes neither header values nor bodies.
 *
 * <p>Redirects: GitLab4J 6.2 asks every request to follow them; {@link JavaNetHttpWithoutRedirects} builds the
 * connector with them off regardless, so a 3xx reaches GitLab4J as an error status and the token stays here.
 *
 * <p>Re-sending: {@code java.net.http} sends a request again after its connection died only for GET and HEAD
 * (unless {@code jdk.httpclient.enableAllMethodRetry} is set), so a lost answer to {@code POST /user/runners}
 * never registers a second runner behind irsa's back; repeating calls is {@link GitLabExecutor}'s job, which
 * knows what is safe and cleans up a lost create.
 */
final class GitLabClients {
    private GitLabClients() {
    }

    static GitLabApi gitLab4j(GitLabConnection connection) {
        Map<String, Object> config = new HashMap<>(connection.proxy()
                .map(p -> ProxyClientConfig.createProxyClientConfig(p.toString())).orElse(Map.of()));
        // Jersey instantiates the connector named here when GitLab4J builds its client, overriding the Apache
        // connector GitLab4J picks when a proxy is set; the java.net.http connector reads the proxy URI.
        config.put(ClientProperties.CONNECTOR_PROVIDER, JavaNetHttpWithoutRedirects.class.getName());
        config.put(ClientProperties.FOLLOW_REDIRECTS, false);
        GitLabApi api = new GitLabApi(connection.url(), connection.accessToken().reveal(), config);
        api.setRequestTimeout((int) connection.connectTimeout().toMillis(), (int) connection.readTimeout().toMillis());
        return api;
    }

    static HttpClient jdk(GitLabConnection connection) {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(connection.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        connection.proxy().ifPresent(p -> http.proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort()))));
        return http.build();
    }
}
