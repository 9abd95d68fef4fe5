package dev.irsa.aws;

import dev.irsa.IrsaException;

/**
 * The spec names an AWS account (or partition) other than the one the credentials belong to. Raised while
 * planning, before any change: otherwise IAM would create the role in the caller's account with a trust
 * naming the other account, or answer {@code EntityAlreadyExists} for a provider it cannot show.
 */
public class AccountMismatchException extends IrsaException {
    private static final long serialVersionUID = 1L;

    private final String specAccountId;
    private final String callerAccountId;

    public AccountMismatchException(String specAccountId, String specPartition, String callerAccountId, String callerPartition) {
        super(message(specAccountId, specPartition, callerAccountId, callerPartition));
        this.specAccountId = specAccountId;
        this.callerAccountId = callerAccountId;
    }

    private static String message(String specAccount, String specPartition, String callerAccount, String callerPartition) {
        String what = specAccount.equals(callerAccount)
                ? "partition " + specPartition + " is not the caller's partition " + callerPartition
                : "account " + specAccount + " is not the caller's account " + callerAccount;
        return what + ": the spec's account and partition must be those of the AWS credentials in use;"
                + " use credentials for " + specPartition + " account " + specAccount + ", or name " + callerPartition
                + " account " + callerAccount + " in the spec (or leave the account out to have it looked up)";
    }

    /** The account the spec names. */
    public String specAccountId() {
        return specAccountId;
    }

    /** The account STS says the credentials belong to. */
    public String callerAccountId() {
        return callerAccountId;
    }
}
