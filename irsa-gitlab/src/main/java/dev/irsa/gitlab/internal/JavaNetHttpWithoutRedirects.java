package dev.irsa.gitlab.internal;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Configuration;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.client.ClientProperties;
import org.glassfish.jersey.client.spi.Connector;
import org.glassfish.jersey.client.spi.ConnectorProvider;
import org.glassfish.jersey.jnh.connector.JavaNetHttpConnector;

/**
 * Jersey's {@code java.net.http} connector with redirects off, one per Jersey client. Named by class in
 * {@link ClientProperties#CONNECTOR_PROVIDER} (Jersey creates it with its no-argument constructor, once per
 * client).
 *
 * <p>Why not the stock provider: {@link JavaNetHttpConnector} fixes its redirect policy when it is created, from
 * the configuration it is given, and Jersey creates a connector for every configuration that differs from the
 * client's; GitLab4J sets {@code followRedirects=true} on the target of every request, so each request would get
 * a new {@code HttpClient} following every redirect ({@code Redirect.ALWAYS}, https to http included).
 * Here the first connector is built with redirects off and serves every request of the client (the per-request
 * read timeout is still read from each request), which also keeps its connection pool.
 */
public final class JavaNetHttpWithoutRedirects implements ConnectorProvider {
    private Connector connector;

    @Override
    public synchronized Connector getConnector(Client client, Configuration runtimeConfig) {
        if (connector == null) {
            ClientConfig noRedirects = new ClientConfig().loadFrom(runtimeConfig).property(ClientProperties.FOLLOW_REDIRECTS, false);
            connector = new JavaNetHttpConnector(client, noRedirects);
        }
        return connector;
    }
}
