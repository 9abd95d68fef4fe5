package dev.irsa.gitlab.api.internal;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Configuration;
import org.glassfish.jersey.apache.connector.ApacheConnectorProvider;
import org.glassfish.jersey.client.ClientProperties;
import org.glassfish.jersey.client.ClientRequest;
import org.glassfish.jersey.client.ClientResponse;
import org.glassfish.jersey.client.HttpUrlConnectorProvider;
import org.glassfish.jersey.client.spi.AsyncConnectorCallback;
import org.glassfish.jersey.client.spi.Connector;
import org.glassfish.jersey.client.spi.ConnectorProvider;

import java.util.concurrent.Future;

/**
 * The Jersey connector under irsa's GitLab4J clients: Jersey's own (the JDK's HttpURLConnection, or Apache
 * HttpClient when a proxy is set, as GitLab4J chooses), with redirects off for every request.
 *
 * <p>Why a connector: GitLab4J 6.2 sets {@code jersey.config.client.followRedirects=true} on every request it
 * builds ({@code GitLabApiClient.invocation}: {@code target.property(ClientProperties.FOLLOW_REDIRECTS, true)}),
 * which overrides anything in the client configuration, and the JDK connector then re-sends the
 * {@code PRIVATE-TOKEN} header to whatever host the {@code Location} names. A request's own property wins over
 * the target's ({@code PropertiesResolver}: request properties first), so setting it here, the last step before
 * the wire, holds for both connectors ({@code HttpUrlConnector}: {@code setInstanceFollowRedirects(
 * request.resolveProperty(FOLLOW_REDIRECTS, true))}; {@code ApacheConnector}: {@code setRedirectsEnabled(...)}).
 * Jersey instantiates this class by name from {@code jersey.config.client.connector.provider}, hence public
 * with a no-argument constructor.
 */
public final class NoRedirectConnectorProvider implements ConnectorProvider {
    @Override
    public Connector getConnector(Client client, Configuration configuration) {
        ConnectorProvider jersey = configuration.getProperty(ClientProperties.PROXY_URI) != null
                ? new ApacheConnectorProvider() : new HttpUrlConnectorProvider();
        return new NoRedirectConnector(jersey.getConnector(client, configuration));
    }

    private record NoRedirectConnector(Connector delegate) implements Connector {
        @Override
        public ClientResponse apply(ClientRequest request) {
            request.setProperty(ClientProperties.FOLLOW_REDIRECTS, false);
            return delegate.apply(request);
        }

        @Override
        public Future<?> apply(ClientRequest request, AsyncConnectorCallback callback) {
            request.setProperty(ClientProperties.FOLLOW_REDIRECTS, false);
            return delegate.apply(request, callback);
        }

        @Override
        public String getName() {
            return delegate.getName() + " (redirects off)";
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
