package dev.irsa.aws;

import dev.irsa.IrsaException;

/**
 * An AWS call failed (after the retries it deserved). Says which resource, which call, AWS's error
 * code and HTTP status when there was one, and why — readable as is:
 *
 * <pre>{@code
 * DeleteRole on role ci-deployer failed: DeleteConflict (HTTP 409): Cannot delete entity, must detach all policies first.
 * }</pre>
 */
public class AwsOperationException extends IrsaException {
    private static final long serialVersionUID = 1L;

    private final String resource;
    private final String operation;
    private final String errorCode;
    private final int statusCode;
    private final String reason;

    public AwsOperationException(String resource, String operation, String errorCode, int statusCode, String reason, Throwable cause) {
        super(message(resource, operation, errorCode, statusCode, reason), cause);
        this.resource = resource;
        this.operation = operation;
        this.errorCode = errorCode;
        this.statusCode = statusCode;
        this.reason = reason;
    }

    public AwsOperationException(String resource, String operation, String reason) {
        this(resource, operation, null, 0, reason, null);
    }

    /** What was being worked on, e.g. {@code role ci-deployer}. */
    public String resource() {
        return resource;
    }

    /** The AWS API call, e.g. {@code CreateRole}. */
    public String operation() {
        return operation;
    }

    /** AWS's error code ({@code NoSuchEntity}, {@code DeleteConflict}, ...) or {@code null} when AWS did not answer. */
    public String errorCode() {
        return errorCode;
    }

    /** HTTP status, 0 when there was no response. */
    public int statusCode() {
        return statusCode;
    }

    public String reason() {
        return reason;
    }

    public boolean hasErrorCode(String code) {
        return code.equals(errorCode);
    }

    private static String message(String resource, String operation, String errorCode, int statusCode, String reason) {
        StringBuilder sb = new StringBuilder().append(operation).append(" on ").append(resource).append(" failed");
        if (errorCode != null) {
            sb.append(": ").append(errorCode);
        }
        if (statusCode > 0) {
            sb.append(" (HTTP ").append(statusCode).append(')');
        }
        return sb.append(": ").append(reason).toString();
    }
}
