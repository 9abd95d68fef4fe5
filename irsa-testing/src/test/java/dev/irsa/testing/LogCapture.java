package dev.irsa.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line while open: SLF4J/logback's root logger at the given level and java.util.logging's
 * root at ALL (the JDK's HTTP client and the fabric8 mock server log there). Server threads keep logging
 * while a test reads, so both lists are appended and copied under their own locks.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start(Level.DEBUG)) {
 *     // run irsa
 *     assertThat(logs.events()).isNotEmpty();
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<LogRecord> julRecords = new ArrayList<>();
    private final Handler julHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (julRecords) {
                julRecords.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level previous;

    private LogCapture(Level level) {
        previous = root.getLevel();
        root.setLevel(level);
        appender.start();
        root.addAppender(appender);
        java.util.logging.Logger.getLogger("").addHandler(julHandler);
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.ALL);
    }

    public static LogCapture start(Level logbackLevel) {
        return new LogCapture(logbackLevel);
    }

    /** The logback events so far (a copy; AppenderBase appends under the appender's own lock). */
    public List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /** The java.util.logging records so far (a copy). */
    public List<LogRecord> julRecords() {
        synchronized (julRecords) {
            return List.copyOf(julRecords);
        }
    }

    /**
     * Every line captured so far as {@code "<logger> <message>"}: logback's formatted message, java.util.logging's
     * message with its parameters, and for both the exception's class, message and stack trace, line by line.
     * Lines of loggers whose name starts with one of {@code excludedLoggers} are left out.
     */
    public List<String> lines(String... excludedLoggers) {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : events()) {
            if (excluded(e.getLoggerName(), excludedLoggers)) {
                continue;
            }
            lines.add(e.getLoggerName() + " " + e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                lines.add(e.getLoggerName() + " " + t.getClassName() + ": " + t.getMessage());
                for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                    lines.add(e.getLoggerName() + " " + s.getSTEAsString());
                }
            }
        }
        for (LogRecord r : julRecords()) {
            String name = String.valueOf(r.getLoggerName());
            if (excluded(name, excludedLoggers)) {
                continue;
            }
            lines.add(name + " " + r.getMessage() + " " + (r.getParameters() == null ? "" : Arrays.toString(r.getParameters())));
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                trace.toString().lines().forEach(l -> lines.add(name + " " + l));
            }
        }
        return lines;
    }

    /** The loggers of the {@code lines} holding one of {@code secrets}, raw or base64 (as a Secret's data holds it). */
    public static Set<String> loggersPrinting(List<String> lines, Collection<String> secrets) {
        Set<String> loggers = new TreeSet<>();
        for (String secret : secrets) {
            String b64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
            lines.stream().filter(l -> l.contains(secret) || l.contains(b64)).map(l -> l.split(" ", 2)[0]).forEach(loggers::add);
        }
        return loggers;
    }

    private static boolean excluded(String logger, String[] prefixes) {
        return Arrays.stream(prefixes).anyMatch(logger::startsWith);
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(previous);
        java.util.logging.Logger.getLogger("").removeHandler(julHandler);
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
    }
}
