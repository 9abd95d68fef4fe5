package dev.irsa.gitlab.api;

import dev.irsa.gitlab.api.internal.NoRedirectConnectorProvider;
import org.apache.http.impl.client.DefaultHttpRequestRetryHandler;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.ProxyClientConfig;
import org.glassfish.jersey.apache.connector.ApacheClientProperties;
import org.glassfish.jersey.client.ClientProperties;
import org.glassfish.jersey.client.RequestEntityProcessing;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place that builds HTTP clients carrying the GitLab access token: GitLab4J's and the JDK client for
 * {@code /runners/verify}. Both never follow a redirect, so the token is only ever sent to the configured host.
 */
final class GitLabClients {
    private GitLabClients() {
    }

    static GitLabApi gitLab4j(GitLabConnection connection) {
        Map<String, Object> config = new HashMap<>(connection.proxy()
                .map(p -> ProxyClientConfig.createProxyClientConfig(p.toString())).orElse(Map.of()));
        // GitLab4J turns redirects on for every request; this connector turns them off again (see its comment).
        config.put(ClientProperties.CONNECTOR_PROVIDER, NoRedirectConnectorProvider.class.getName());
        config.put(ClientProperties.FOLLOW_REDIRECTS, false);
        // The HTTP clients under GitLab4J re-send a request whose answer was lost, POST included (the JDK's
        // HttpURLConnection does so once for any request whose body it buffered; the Apache connector used with
        // a proxy has its own retry handler). A lost answer to POST /user/runners then registers a second runner,
        // silently orphaning one. A streamed (chunked) body cannot be re-sent, and the Apache handler gets no
        // retries: repeating calls is the executor's job, which knows what is safe and cleans up a lost create.
        config.put(ClientProperties.REQUEST_ENTITY_PROCESSING, RequestEntityProcessing.CHUNKED);
        config.put(ApacheClientProperties.RETRY_HANDLER, new DefaultHttpRequestRetryHandler(0, false));
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
