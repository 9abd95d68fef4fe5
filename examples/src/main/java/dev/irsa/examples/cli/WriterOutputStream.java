package dev.irsa.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Bridges the PrintStreams the library writes to (ProgressPrinter, examples) onto picocli's PrintWriter, line by line. */
final class WriterOutputStream extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private WriterOutputStream(PrintWriter writer) {
        this.writer = writer;
    }

    static PrintStream printStream(PrintWriter writer) {
        return new PrintStream(new WriterOutputStream(writer), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        buffer.write(b);
        if (b == '\n') {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        writer.print(buffer.toString(StandardCharsets.UTF_8));
        writer.flush();
        buffer.reset();
    }
}
