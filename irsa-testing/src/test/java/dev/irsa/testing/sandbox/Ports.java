package dev.irsa.testing.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/** Whether something still listens on a loopback URL. */
final class Ports {
    private Ports() {
    }

    static boolean listening(String url) {
        URI uri = URI.create(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
