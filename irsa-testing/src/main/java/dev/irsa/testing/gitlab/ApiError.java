package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * An error answer in one of the shapes GitLab's API uses (lib/api/helpers.rb): {@code render_api_error!} gives
 * {@code {"message": "..."}} ({@code forbidden!(reason)} is {@code "403 Forbidden - <reason>"},
 * {@code bad_request!(reason)} {@code "400 Bad request - <reason>"}, {@code not_found!(what)}
 * {@code "404 <What> Not Found"}); {@code render_validation_error!} gives {@code {"message": {"field": ["problem"]}}};
 * a Grape parameter error gives {@code {"error": "..."}}.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final ObjectMapper JSON = new ObjectMapper();

    final int status;
    final transient JsonNode body;

    ApiError(int status, JsonNode body) {
        super(null, null, false, false);
        this.status = status;
        this.body = body;
    }

    static ObjectNode message(String text) {
        return JSON.createObjectNode().put("message", text);
    }

    /** {@code forbidden!} without a reason: {@code 403 Forbidden}. */
    static ApiError forbidden() {
        return new ApiError(403, message("403 Forbidden"));
    }

    /** {@code forbidden!(reason)}: {@code 403 Forbidden - <reason>}. */
    static ApiError forbidden(String reason) {
        return new ApiError(403, message("403 Forbidden - " + reason));
    }

    /** {@code bad_request!(reason)}: {@code 400 Bad request - <reason>}. */
    static ApiError badRequestReason(String reason) {
        return new ApiError(400, message("400 Bad request - " + reason));
    }

    /** {@code not_found!(what)}: {@code 404 <What> Not Found}. */
    static ApiError notFound(String what) {
        return new ApiError(404, message("404 " + what + " Not Found"));
    }

    /** A Grape parameter error ({@code rescue_from Grape::Exceptions::Base} in lib/api/api.rb): {@code {"error": "..."}}. */
    static ApiError badRequest(String error) {
        return new ApiError(400, JSON.createObjectNode().put("error", error));
    }

    /** {@code render_validation_error!(model)}: {@code {"message": {"field": ["problem", ...], ...}}}. */
    static ApiError validation(Map<String, List<String>> errors) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode m = n.putObject("message");
        errors.forEach((field, problems) -> problems.forEach(m.withArray(field)::add));
        return new ApiError(400, n);
    }

    static ApiError validation(String field, String problem) {
        return validation(Map.of(field, List.of(problem)));
    }

    static ApiError methodNotAllowed() {
        return new ApiError(405, message("405 Method Not Allowed"));
    }
}
