package io.github.sfnfail.camel;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of the JVM at TRACE while open, with the full text of attached exceptions; or only the
 * events of one class, at the levels the test logging sets (for a test whose load TRACE logging would change).
 */
public final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level previousLevel = root.getLevel();
    private final Logger component = (Logger) LoggerFactory.getLogger("io.github.sfnfail");
    private final Level previousComponentLevel = component.getLevel();
    private final Logger source;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        source = root;
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.TRACE);
        component.setLevel(Level.TRACE);
    }

    /** The events the logger of this class logs, no level changed. */
    public LogCapture(Class<?> logging) {
        source = (Logger) LoggerFactory.getLogger(logging);
        appender.start();
        source.addAppender(appender);
    }

    /** Each event as a log file would show it: the message and the stack trace of its exception. */
    public List<String> lines() {
        return events().stream().map(LogCapture::render).collect(Collectors.toList());
    }

    public List<ILoggingEvent> events() {
        // logback appends under the appender's own lock (AppenderBase.doAppend), from whatever thread logs
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    private static String render(ILoggingEvent event) {
        String line = event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage();
        if (event.getThrowableProxy() instanceof ThrowableProxy proxy) {
            StringWriter trace = new StringWriter();
            proxy.getThrowable().printStackTrace(new PrintWriter(trace));
            line += "\n" + trace;
        }
        return line;
    }

    @Override
    public void close() {
        source.detachAppender(appender);
        if (source == root) {
            root.setLevel(previousLevel);
            component.setLevel(previousComponentLevel);
        }
    }
}
