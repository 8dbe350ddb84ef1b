package io.github.sfnfail.camel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Holds up, for a while, the thread that logs a given message of the component: a thread paused at the worst moment of
 * a race, made repeatable. The thread goes on when the appender is closed, or after a second at most.
 */
final class PausingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger component = (Logger) LoggerFactory.getLogger("io.github.sfnfail");
    private final Level previousLevel = component.getLevel();
    private final String message;
    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch goOn = new CountDownLatch(1);

    private PausingAppender(String message) {
        this.message = message;
    }

    /** Pauses the first thread that logs a message containing this text, at any level. */
    static PausingAppender onMessage(String message) {
        PausingAppender appender = new PausingAppender(message);
        appender.start();
        appender.component.addAppender(appender);
        appender.component.setLevel(Level.TRACE);
        return appender;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (paused.getCount() == 0 || !event.getFormattedMessage().contains(message)) {
            return;
        }
        paused.countDown();
        try {
            goOn.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a thread logged the message and is held up now. */
    boolean awaitPaused() throws InterruptedException {
        return paused.await(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        goOn.countDown();
        component.detachAppender(this);
        component.setLevel(previousLevel);
        stop();
    }
}
