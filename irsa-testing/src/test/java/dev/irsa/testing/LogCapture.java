package dev.irsa.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
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

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(previous);
        java.util.logging.Logger.getLogger("").removeHandler(julHandler);
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
    }
}
