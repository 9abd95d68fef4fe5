package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** A handler's answer: status, JSON body (null for none) and headers. */
record ApiResponse(int status, JsonNode body, Map<String, String> headers) {
    static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body, Map.of());
    }

    static ApiResponse created(JsonNode body) {
        return new ApiResponse(201, body, Map.of());
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }

    /** One page of {@code all} with GitLab's {@code X-*} paging headers ({@code per_page} at most 100, default 20). */
    static ApiResponse page(ApiRequest r, ArrayNode all) {
        int perPage = Math.min(100, Math.max(1, r.intParam("per_page", 20)));
        int page = Math.max(1, r.intParam("page", 1));
        int total = all.size();
        int totalPages = Math.max(1, (total + perPage - 1) / perPage);
        ArrayNode out = ApiError.JSON.createArrayNode();
        for (int i = (page - 1) * perPage; i < Math.min(total, page * perPage); i++) {
            out.add(all.get(i));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Page", String.valueOf(page));
        headers.put("X-Per-Page", String.valueOf(perPage));
        headers.put("X-Total", String.valueOf(total));
        headers.put("X-Total-Pages", String.valueOf(totalPages));
        headers.put("X-Next-Page", page < totalPages ? String.valueOf(page + 1) : "");
        headers.put("X-Prev-Page", page > 1 ? String.valueOf(page - 1) : "");
        return new ApiResponse(200, out, headers);
    }
}
