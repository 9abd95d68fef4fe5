package dev.irsa.examples.cli;

import dev.irsa.examples.IrsaTarget;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.testing.IrsaSandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * examples/stacks/seed.yaml copied to a directory, and one sandbox every {@code --sandbox} run of the CLI uses
 * (through {@link StackRunner#sandboxes}) until closed, so several commands see each other's effects.
 */
final class SeedOnSharedSandbox implements AutoCloseable {
    final String spec;
    private final IrsaTarget shared;

    SeedOnSharedSandbox(Path dir) {
        Path file = dir.resolve("seed.yaml");
        try (InputStream in = SeedOnSharedSandbox.class.getResourceAsStream("/dev/irsa/examples/stacks/seed.yaml")) {
            Files.copy(in, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        spec = file.toString();
        StackCommands.Target t = new StackCommands.Target();
        t.spec = file;
        RunnerStack declared = StackRunner.stacks(t).get(0);
        shared = IrsaTarget.sandbox(declared);
        StackRunner.sandboxes = stack -> shared.shared();
    }

    IrsaSandbox sandbox() {
        return shared.sandbox().orElseThrow();
    }

    @Override
    public void close() {
        StackRunner.sandboxes = StackRunner.FRESH_SANDBOX;
        shared.close();
    }
}
