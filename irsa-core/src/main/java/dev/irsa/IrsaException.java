package dev.irsa;

/**
 * The base type of every error irsa raises. Catch this to handle anything irsa reports; catch a
 * subtype ({@link ValidationException}, ...) to react to one kind.
 *
 * <p>Messages never carry secrets: runner tokens, STS credentials and service-account tokens are
 * redacted before an exception is built.
 */
public class IrsaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IrsaException(String message) {
        super(message);
    }

    public IrsaException(String message, Throwable cause) {
        super(message, cause);
    }
}
