package dev.irsa.testing.gitlab;

import dev.irsa.SecretString;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.api.GitLabTokenAccess;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FakeGitLab's token and membership endpoints as GitLab serves them: GET /personal_access_tokens/self for any
 * scope (lib/api/personal_access_tokens/self_information.rb: allow_access_with_scope(all_available_scopes)),
 * members/all/:user_id with the effective access_level or 404 (lib/api/members.rb).
 */
class TokenAccessTest {
    @Test
    void aTokenReadsItselfWhateverItsScopesAndItsUsersLevel() {
        try (FakeGitLab gitlab = FakeGitLab.start()) {
            long project = gitlab.addProject("group/app");
            long other = gitlab.addProject("group/other");
            String token = gitlab.addAccessToken(Set.of("create_runner"), project);
            String reader = gitlab.addAccessToken(Set.of("read_api"), project, other);
            gitlab.accessLevel(reader, other, 30);
            try (GitLabExecutor runnerOnly = executor(gitlab, token); GitLabExecutor read = executor(gitlab, reader)) {
                GitLabTokenAccess.TokenInfo info = runnerOnly.tokenAccess().token();
                assertThat(info.scopes()).containsExactly("create_runner");

                GitLabTokenAccess access = read.tokenAccess();
                long user = access.token().userId();
                // a token's user is Owner of what it was added with (FakeGitLab.addAccessToken), unless told otherwise
                assertThat(access.accessLevel("group/app", false, user)).hasValue(50);
                assertThat(access.accessLevel("group/other", false, user)).hasValue(30);
                assertThat(access.accessLevel("group/app", false, user + 1)).isEmpty();
                assertThat(access.user().admin()).isFalse();
            }
        }
    }

    private static GitLabExecutor executor(FakeGitLab gitlab, String token) {
        return new GitLabExecutor(GitLabConnection.builder().url(gitlab.url()).accessToken(SecretString.of(token)).build());
    }
}
