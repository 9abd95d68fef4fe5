package dev.irsa.testing.internal;

import dev.irsa.testing.SandboxCall;
import dev.irsa.testing.Service;

import java.util.Arrays;
import java.util.List;

/** Turns a recorded API request ({@code "POST /api/v1/namespaces/ci/serviceaccounts"}) into a verb and resource. */
final class KubernetesCalls {
    private KubernetesCalls() {
    }

    static SandboxCall parse(String request) {
        int space = request.indexOf(' ');
        String method = request.substring(0, space);
        String uri = request.substring(space + 1);
        String query = uri.contains("?") ? uri.substring(uri.indexOf('?') + 1) : "";
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        // /api/v1/... or /apis/<group>/<version>/...
        int start = !segments.isEmpty() && segments.get(0).equals("apis") ? 3 : 2;
        List<String> rest = segments.size() > start ? segments.subList(start, segments.size()) : List.of();
        String namespace = "";
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty() && method.equals("GET")) {
            // /api, /api/v1, /apis, /apis/<group>[/<version>]: API discovery, a read of no object.
            return new SandboxCall(Service.KUBERNETES, "discover " + path, "", false, 0);
        }
        String resource = rest.isEmpty() ? path : rest.get(0);
        String name = rest.size() >= 2 ? rest.get(1) : "";
        String subresource = rest.size() >= 3 ? "/" + rest.get(2) : "";
        String verb = switch (method) {
            case "GET" -> query.contains("watch=true") ? "watch" : name.isEmpty() ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        String target = namespace.isEmpty() ? name : name.isEmpty() ? namespace : namespace + "/" + name;
        boolean reading = verb.equals("get") || verb.equals("list") || verb.equals("watch");
        return new SandboxCall(Service.KUBERNETES, verb + " " + resource + subresource, target, !reading, 0);
    }
}
