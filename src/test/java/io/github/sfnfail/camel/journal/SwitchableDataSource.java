package io.github.sfnfail.camel.journal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source in front of a real one that refuses connections on request (from a given call on, or all), or holds
 * every caller, deaf to interrupts, as a pool waiting for a connection that never comes.
 */
final class SwitchableDataSource implements DataSource {

    private final DataSource real;
    private final AtomicInteger calls = new AtomicInteger();
    volatile boolean refuse;
    /** the call (1 the first) that is refused, or 0 */
    volatile int refuseCall;
    volatile CountDownLatch hold;

    SwitchableDataSource(DataSource real) {
        this.real = real;
    }

    @Override
    public Connection getConnection() throws SQLException {
        int call = calls.incrementAndGet();
        CountDownLatch held = hold;
        while (held != null) {
            try {
                held.await();
                break;
            } catch (InterruptedException e) {
                // deaf to interrupts, as some pools are
            }
        }
        if (refuse || call == refuseCall) {
            throw new SQLException("connection refused (test)");
        }
        return real.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
