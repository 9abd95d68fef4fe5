package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.irsa.testing.gitlab.FakeGitLab.Role;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET/POST/PUT/DELETE /projects/:id/repository/files/:file_path} as {@code lib/api/files.rb} answers:
 * reading needs {@code authorize_read_code!} (Reporter), writing {@code authorize! :push_code} (Developer); a
 * missing parameter is Grape's {@code "<name> is missing"}. Used under the fake's lock.
 */
final class FileApi {
    private final AccessStore access;
    private final AtomicLong ids;

    /** A committed file: its content and the commit that wrote it. */
    record StoredFile(String content, String commitId) {
    }

    FileApi(AccessStore access, AtomicLong ids) {
        this.access = access;
        this.ids = ids;
    }

    void register(ApiRouter router) {
        router.route("GET", "/projects/:id/repository/files/*file_path", this::get);
        router.route("POST", "/projects/:id/repository/files/*file_path", r -> write(r, true));
        router.route("PUT", "/projects/:id/repository/files/*file_path", r -> write(r, false));
        router.route("DELETE", "/projects/:id/repository/files/*file_path", this::delete);
    }

    private ApiResponse get(ApiRequest r) {
        String ref = required(r, "ref");
        AccessStore.Project project = access.project(r.token(), r.pathParam("id"), Role.REPORTER);
        String path = r.pathParam("file_path");
        StoredFile f = project.files.get(ref + ":" + path);
        if (f == null) {
            throw ApiError.notFound("File");
        }
        ObjectNode n = ApiError.JSON.createObjectNode();
        n.put("file_name", path.substring(path.lastIndexOf('/') + 1));
        n.put("file_path", path);
        byte[] bytes = f.content.getBytes(StandardCharsets.UTF_8);
        n.put("size", bytes.length);
        n.put("encoding", "base64");
        // blob_data: content_sha256 is Digest::SHA256.hexdigest(@blob.data), the raw bytes' hash
        // (irsa proves the pipeline file is its own by this value)
        n.put("content_sha256", sha256(bytes));
        n.put("ref", ref);
        n.put("blob_id", sha256(bytes).substring(0, 40));
        n.put("commit_id", f.commitId);
        n.put("last_commit_id", f.commitId);
        n.put("content", Base64.getEncoder().encodeToString(bytes));
        return ApiResponse.ok(n);
    }

    private ApiResponse write(ApiRequest r, boolean create) {
        String branch = required(r, "branch");
        required(r, "commit_message");
        String content = required(r, "content");
        AccessStore.Project project = access.project(r.token(), r.pathParam("id"), Role.DEVELOPER);
        String path = r.pathParam("file_path");
        if (!project.branches.contains(branch)) {
            throw new ApiError(400, ApiError.message("You can only create or edit files when you are on a branch"));
        }
        if ("base64".equals(r.param("encoding"))) {
            content = new String(Base64.getDecoder().decode(content), StandardCharsets.UTF_8);
        }
        String key = branch + ":" + path;
        boolean exists = project.files.containsKey(key);
        if (create && exists) {
            throw new ApiError(400, ApiError.message("A file with this name already exists"));
        }
        if (!create && !exists) {
            throw new ApiError(400, ApiError.message("A file with this name doesn't exist"));
        }
        project.files.put(key, new StoredFile(content,
                sha256((key + content + ids.incrementAndGet()).getBytes(StandardCharsets.UTF_8)).substring(0, 40)));
        ObjectNode n = ApiError.JSON.createObjectNode();
        n.put("file_path", path);
        n.put("branch", branch);
        return new ApiResponse(create ? 201 : 200, n, java.util.Map.of());
    }

    /** {@code DELETE ...?branch=&commit_message=}: 204, or 400 when absent, like GitLab. */
    private ApiResponse delete(ApiRequest r) {
        String branch = required(r, "branch");
        required(r, "commit_message");
        AccessStore.Project project = access.project(r.token(), r.pathParam("id"), Role.DEVELOPER);
        if (project.files.remove(branch + ":" + r.pathParam("file_path")) == null) {
            throw new ApiError(400, ApiError.message("A file with this name doesn't exist"));
        }
        return ApiResponse.noContent();
    }

    private static String required(ApiRequest r, String name) {
        String v = r.param(name);
        if (v == null) {
            throw ApiError.badRequest(name + " is missing");
        }
        return v;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
