package dev.irsa.lint;

import dev.irsa.ValidationException;

/**
 * Knobs for the policy linter. Immutable; start from {@link #defaults()}.
 *
 * <pre>{@code
 * LintOptions options = LintOptions.builder()
 *         .trustSizeQuota(4096)            // the account's raised L-C07B4B0D quota
 *         .allowWildcardSubjects(true)     // explicit opt-in for StringLike sub patterns
 *         .build();
 * }</pre>
 */
public final class LintOptions {
    /** IAM's default trust policy size quota, characters not counting whitespace. */
    public static final int DEFAULT_TRUST_SIZE_QUOTA = 2048;
    /** IAM's managed policy size limit, characters not counting whitespace. */
    public static final int DEFAULT_PERMISSIONS_SIZE_LIMIT = 6144;

    private static final LintOptions DEFAULTS = new Builder().build();

    private final int trustSizeQuota;
    private final int permissionsSizeLimit;
    private final boolean allowWildcardSubjects;

    private LintOptions(Builder b) {
        this.trustSizeQuota = b.trustSizeQuota;
        this.permissionsSizeLimit = b.permissionsSizeLimit;
        this.allowWildcardSubjects = b.allowWildcardSubjects;
    }

    /** Quota 2048, managed-policy limit 6144, wildcard subjects not allowed. */
    public static LintOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().trustSizeQuota(trustSizeQuota).permissionsSizeLimit(permissionsSizeLimit)
                .allowWildcardSubjects(allowWildcardSubjects);
    }

    /** The trust size quota in characters, whitespace not counted. */
    public int trustSizeQuota() {
        return trustSizeQuota;
    }

    /** The permissions policy size limit in characters, whitespace not counted. */
    public int permissionsSizeLimit() {
        return permissionsSizeLimit;
    }

    /** Whether wildcard {@code sub} patterns are explicitly allowed. */
    public boolean allowWildcardSubjects() {
        return allowWildcardSubjects;
    }

    @Override
    public String toString() {
        return "LintOptions{trustSizeQuota=" + trustSizeQuota + ", permissionsSizeLimit=" + permissionsSizeLimit
                + ", allowWildcardSubjects=" + allowWildcardSubjects + '}';
    }

    /** Builds {@link LintOptions}. */
    public static final class Builder {
        private int trustSizeQuota = DEFAULT_TRUST_SIZE_QUOTA;
        private int permissionsSizeLimit = DEFAULT_PERMISSIONS_SIZE_LIMIT;
        private boolean allowWildcardSubjects;

        private Builder() {
        }

        /** The account's trust policy size quota (default 2048; raisable up to 4096 via Service Quotas). */
        public Builder trustSizeQuota(int characters) {
            if (characters < 1) {
                throw new ValidationException("lintOptions.trustSizeQuota", characters, "a positive number of characters");
            }
            this.trustSizeQuota = characters;
            return this;
        }

        /** The size a permissions policy must fit (default 6144, managed policy; 10240 for inline). */
        public Builder permissionsSizeLimit(int characters) {
            if (characters < 1) {
                throw new ValidationException("lintOptions.permissionsSizeLimit", characters, "a positive number of characters");
            }
            this.permissionsSizeLimit = characters;
            return this;
        }

        /**
         * Explicit opt-in: wildcard {@code sub} patterns pinned to one namespace / project (IRSA-T004) become INFO
         * instead of ERROR. A pattern that can match more than one namespace or project (IRSA-T005) stays an ERROR.
         */
        public Builder allowWildcardSubjects(boolean allow) {
            this.allowWildcardSubjects = allow;
            return this;
        }

        /** The options. */
        public LintOptions build() {
            return new LintOptions(this);
        }
    }
}
