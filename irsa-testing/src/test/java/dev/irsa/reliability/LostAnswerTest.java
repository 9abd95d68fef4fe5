package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.plan.ApplyResult;
import dev.irsa.testing.gitlab.FakeGitLab;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GitLab registers the runner but its answer is lost (timeout, reset). The HTTP client under GitLab4J must not
 * re-send the POST on its own: the JDK's HttpURLConnection does so by default for a buffered body, which
 * registered a second runner and silently orphaned the first (found by the crash-at-every-call suite).
 */
class LostAnswerTest {
    @Test
    void withoutRetriesTheApplyFailsClearlyAndTheNextOneReplacesTheOrphan() {
        try (Sandbox sb = new Sandbox(false)) {
            sb.gitlab.dropResponseOn("POST", "/user/runners");
            ApplyResult first = sb.apply(sb.stack());

            assertThat(first.succeeded()).isFalse();
            assertThat(first.firstFailure().orElseThrow()).hasMessageContaining("create runner irsa:seed/runner")
                    .hasMessageContaining("did not answer");
            assertThat(posts(sb)).as("the lost POST was not re-sent by the HTTP client").hasSize(1);
            assertThat(sb.gitlab.runners()).hasSize(1);

            long orphan = sb.gitlab.runners().get(0).id();
            assertThat(sb.apply(sb.stack()).succeeded()).isTrue();
            assertThat(sb.gitlab.runners()).as("the orphan (its token was lost) was replaced").hasSize(1)
                    .allMatch(r -> r.id() != orphan);
        }
    }

    @Test
    void withRetriesTheExecutorCleansUpAndRegistersOnceMoreWithinTheSameApply() {
        try (Sandbox sb = new Sandbox(true)) {
            sb.gitlab.dropResponseOn("POST", "/user/runners");
            ApplyResult r = sb.apply(sb.stack());

            assertThat(r.succeeded()).as(r.summary()).isTrue();
            assertThat(posts(sb)).hasSize(2);
            assertThat(sb.gitlab.runners()).hasSize(1);
            assertThat(sb.gitlab.calls()).as("the runner registered by the lost POST was removed")
                    .anyMatch(c -> c.method().equals("DELETE") && c.path().startsWith("/runners/"));
        }
    }

    private static List<FakeGitLab.Call> posts(Sandbox sb) {
        return sb.gitlab.calls().stream().filter(c -> c.method().equals("POST") && c.path().equals("/user/runners")).toList();
    }
}
