package dev.irsa.gitlab.api;

import dev.irsa.gitlab.internal.JavaNetHttpWithoutRedirects;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.ProxyClientConfig;
import org.glassfish.jersey.client.ClientProperties;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How irsa's GitLab4J clients send HTTP: through the JDK's {@code java.net.http} client (Jersey's
 * {@code jersey-jnh-connector}), never following a redirect.
 *
 * <p>Why not GitLab4J's default: its Jersey connector is the JDK's {@code HttpURLConnection}, which writes every
 * request's headers, {@code PRIVATE-TOKEN} included, to the java.util.logging logger
 * {@code sun.net.www.protocol.http.HttpURLConnection} at FINE (with a proxy GitLab4J switches to Apache
 * HttpClient 4; the connector named here replaces both).
 * {@code java.net.http} writes header values only when the JVM runs with
 * {@code -Djdk.httpclient.HttpClient.log=headers} (or {@code all}), whatever the logger levels; its debug
 * logger ({@code jdk.internal.httpclient.debug}) writes neither header values nor bodies.
 *
 * <p>Redirects: GitLab4J sets {@code followRedirects=true} on every request, and the stock connector would then
 * follow every redirect, to any host and from https to http, with the token. {@link JavaNetHttpWithoutRedirects}
 * builds its {@code java.net.http} client with redirects off, so a 3xx reaches GitLab4J as an error status.
 *
 * <p>Re-sending: {@code java.net.http} sends a request again after its connection died only for GET and HEAD
 * (unless {@code jdk.httpclient.enableAllMethodRetry} is set), so a lost answer to {@code POST /user/runners}
 * never registers a second runner behind irsa's back; repeating calls is {@link GitLabExecutor}'s job.
 *
 * <pre>{@code
 * GitLabApi api = GitLabTransport.newGitLabApi(connection);   // url, token, proxy and timeouts of the connection
 * }</pre>
 */
public final class GitLabTransport {
    private GitLabTransport() {
    }

    /** The Jersey client properties of a GitLab4J client for {@code connection}: the connector and the proxy. */
    public static Map<String, Object> clientProperties(GitLabConnection connection) {
        Objects.requireNonNull(connection, "connection");
        Map<String, Object> properties = new HashMap<>(connection.proxy()
                .map(p -> ProxyClientConfig.createProxyClientConfig(p.toString())).orElse(Map.of()));
        // Jersey instantiates the connector named here when GitLab4J builds its client, overriding the
        // Apache connector GitLab4J picks when a proxy is set; the java.net.http connector reads the proxy URI.
        properties.put(ClientProperties.CONNECTOR_PROVIDER, JavaNetHttpWithoutRedirects.class.getName());
        return properties;
    }

    /** A GitLab4J client for {@code connection}'s URL, token, proxy and timeouts, sending through {@link #clientProperties}. */
    public static GitLabApi newGitLabApi(GitLabConnection connection) {
        GitLabApi api = new GitLabApi(connection.url(), connection.accessToken().reveal(), clientProperties(connection));
        api.setRequestTimeout((int) connection.connectTimeout().toMillis(), (int) connection.readTimeout().toMillis());
        return api;
    }
}
