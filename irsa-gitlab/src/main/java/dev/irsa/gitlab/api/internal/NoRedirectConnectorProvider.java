package dev.irsa.gitlab.api.internal;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Configuration;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.client.ClientProperties;
import org.glassfish.jersey.client.spi.Connector;
import org.glassfish.jersey.client.spi.ConnectorProvider;
import org.glassfish.jersey.jnh.connector.JavaNetHttpConnectorProvider;

/**
 * The Jersey connector under irsa's GitLab4J clients: Jersey's {@code java.net.http} connector, built with
 * redirects off whatever the configuration it is handed says.
 *
 * <p>Why: GitLab4J 6.2 sets {@code jersey.config.client.followRedirects=true} on every {@code WebTarget} it
 * builds ({@code GitLabApiClient}: {@code target.property(ClientProperties.FOLLOW_REDIRECTS, true)}). A target
 * with its own property gets its own runtime, so Jersey creates a connector from a configuration that says
 * "follow", and the java.net.http connector builds its {@code HttpClient} with {@code Redirect.ALWAYS}
 * ({@code JavaNetHttpConnector}'s constructor reads the property once and ignores it per request); the
 * {@code PRIVATE-TOKEN} header then goes to whatever host a {@code Location} names. Jersey instantiates this
 * class by name from {@code jersey.config.client.connector.provider}, hence public with a no-argument
 * constructor.
 */
public final class NoRedirectConnectorProvider implements ConnectorProvider {
    @Override
    public Connector getConnector(Client client, Configuration configuration) {
        ClientConfig noRedirects = new ClientConfig().loadFrom(configuration).property(ClientProperties.FOLLOW_REDIRECTS, false);
        return new JavaNetHttpConnectorProvider().getConnector(client, noRedirects);
    }
}
