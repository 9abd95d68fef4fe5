package dev.irsa.examples.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No module imports another module's {@code internal} package: {@code internal} is what each module may change
 * without notice, so a user (or a sibling module) never depends on it. Reads the main sources of every module
 * (the tests run in {@code examples/}, the reactor's last module).
 */
class ModuleBoundariesTest {
    static final List<String> MODULES = List.of("irsa-core", "irsa-gitlab", "irsa-testing", "examples");
    static final Pattern INTERNAL_IMPORT = Pattern.compile("^import (?:static )?(dev\\.irsa\\.[\\w.]*?\\.internal)\\.", Pattern.MULTILINE);

    @Test
    void noModuleImportsAnotherModulesInternalPackages() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> crossings = new ArrayList<>();
        int files = 0;
        for (String module : MODULES) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).as("main sources of " + module).isDirectory();
            for (Path file : javaFiles(sources)) {
                files++;
                Matcher m = INTERNAL_IMPORT.matcher(read(file));
                while (m.find()) {
                    String pkg = m.group(1);
                    if (!Files.isDirectory(sources.resolve(pkg.replace('.', '/')))) {
                        crossings.add(root.relativize(file) + " imports " + pkg);
                    }
                }
            }
        }
        assertThat(files).as("java files read").isGreaterThan(200);
        assertThat(crossings).isEmpty();
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
