package dev.irsa.examples.cli;

import dev.irsa.examples.IrsaTarget;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.testing.IrsaSandbox;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per test: examples/stacks/seed.yaml copied to a temporary directory, and one sandbox every {@code --sandbox} run
 * of the CLI uses (through {@link StackRunner#sandboxes}), so several commands see each other's effects.
 * Use as {@code @RegisterExtension final SeedOnSharedSandbox seed = new SeedOnSharedSandbox();}.
 */
final class SeedOnSharedSandbox implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private String spec;
    private IrsaTarget shared;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("irsa-seed");
        Path file = dir.resolve("seed.yaml");
        try (InputStream in = SeedOnSharedSandbox.class.getResourceAsStream("/dev/irsa/examples/stacks/seed.yaml")) {
            Files.copy(in, file);
        }
        spec = file.toString();
        StackCommands.Target t = new StackCommands.Target();
        t.spec = file;
        RunnerStack declared = StackRunner.stacks(t).get(0);
        shared = IrsaTarget.sandbox(declared);
        StackRunner.sandboxes = stack -> shared.shared();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        StackRunner.sandboxes = StackRunner.FRESH_SANDBOX;
        shared.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The spec file's path. */
    String spec() {
        return spec;
    }

    /** The directory holding it, for more files. */
    Path dir() {
        return dir;
    }

    IrsaSandbox sandbox() {
        return shared.sandbox().orElseThrow();
    }
}
