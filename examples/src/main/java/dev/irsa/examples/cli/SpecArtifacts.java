package dev.irsa.examples.cli;

import java.nio.file.Path;

/** Renders the artifacts of a stack spec file. */
final class SpecArtifacts {
    enum Kind { VALUES, PIPELINE, ALL }

    private SpecArtifacts() {
    }

    static String render(Path specFile, String environment, Kind kind) {
        throw new IrsaCli.UsageException("--spec needs the stack library (dev.irsa.gitlab.stack), which is not in this build yet;"
                + " render from flags instead (see --help)");
    }
}
