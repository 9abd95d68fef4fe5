package dev.irsa.testing.gitlab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One API call as a handler sees it: the method, the path after {@code /api/v4} (decoded), the route's path
 * parameters, the query and body parameters, and the caller's access token (null on a runner-authenticated route).
 */
record ApiRequest(String method, String path, Map<String, String> pathParams, Map<String, List<String>> params,
                  AccessStore.AccessToken token) {
    private static final Pattern INTEGER = Pattern.compile("\\d+");

    String param(String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    String pathParam(String name) {
        return pathParams.get(name);
    }

    /** Lists come as {@code name[]=a&name[]=b}, repeated {@code name=}, or one comma-separated value. */
    List<String> listParam(String name) {
        List<String> out = new ArrayList<>();
        for (String key : List.of(name, name + "[]")) {
            for (String v : params.getOrDefault(key, List.of())) {
                Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
            }
        }
        return out;
    }

    boolean has(String name) {
        return params.containsKey(name) || params.containsKey(name + "[]");
    }

    /** A Grape {@code type: Integer} parameter: absent is null, anything but digits {@code "<name> is invalid"}. */
    Long integerParam(String name) {
        String v = param(name);
        if (v == null) {
            return null;
        }
        if (!INTEGER.matcher(v).matches()) {
            throw ApiError.badRequest(name + " is invalid");
        }
        return Long.valueOf(v);
    }

    int intParam(String name, int dflt) {
        Long v = integerParam(name);
        return v == null ? dflt : (int) Math.min(Integer.MAX_VALUE, v);
    }

    /** A Grape {@code type: Boolean} parameter: true/false (also 1/0, yes/no as Grape coerces), else invalid. */
    Boolean booleanParam(String name) {
        String v = param(name);
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "t", "y", "on" -> true;
            case "false", "0", "no", "f", "n", "off" -> false;
            default -> throw ApiError.badRequest(name + " is invalid");
        };
    }
}
