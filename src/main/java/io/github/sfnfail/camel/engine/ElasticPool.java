package io.github.sfnfail.camel.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of at most a fixed number of threads, each made only when no thread of the pool is idle, gone after a while
 * idle; once all are busy, work waits in an unbounded queue for the first to be free. Every decision (hand to an idle
 * thread, make one, queue, let an idle thread go) is taken under one lock, so work is never left queued behind busy
 * threads while the pool has room: a thread lets itself go only when the queue is empty, and work that finds no idle
 * thread makes one while there is room. Work handed to it after {@link #shutdown()} is refused with a
 * {@link RejectedExecutionException}; what was queued before still runs.
 */
final class ElasticPool extends AbstractExecutorService {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticPool.class);

    private final String name;
    private final int most;
    private final long idleNanos;
    private final ThreadFactory factory;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled once for each wake-up given to an idle thread. */
    private final Condition workQueued = lock.newCondition();
    private final Condition threadGone = lock.newCondition();
    // guarded by lock
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final Set<Thread> threads = new HashSet<>();
    /** Threads waiting for work that nothing woke yet. */
    private int idle;
    /** Wake-ups given to idle threads that none has taken yet. */
    private int wakeUps;
    private boolean shutdown;

    ElasticPool(String name, int most, long idle, TimeUnit unit, ThreadFactory factory) {
        this.name = name;
        this.most = most;
        this.idleNanos = unit.toNanos(idle);
        this.factory = factory;
    }

    @Override
    public void execute(Runnable work) {
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException(name + " is shut down");
            }
            queue.addLast(work);
            if (idle > 0) {
                idle--;
                wakeUps++;
                workQueued.signal();
                return;
            }
            if (threads.size() >= most) {
                // every thread is busy: the first to be free takes it
                return;
            }
            Thread thread;
            try {
                thread = factory.newThread(this::work);
                threads.add(thread);
                thread.start();
            } catch (Throwable cannotMake) {
                // no thread could be made ("unable to create native thread"): the work is not taken
                queue.removeLastOccurrence(work);
                if (cannotMake instanceof RejectedExecutionException refused) {
                    throw refused;
                }
                throw new RejectedExecutionException(name + " could not make a thread", cannotMake);
            }
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            Runnable next = take();
            if (next == null) {
                return;
            }
            try {
                next.run();
            } catch (Throwable e) {
                LOG.warn("Work on {} failed: {}", name, e.getMessage(), e);
            }
        }
    }

    /** The next work, or null when the thread goes (idle for long enough with nothing queued, or shut down). */
    private Runnable take() {
        lock.lock();
        try {
            long deadline = System.nanoTime() + idleNanos;
            while (true) {
                Runnable next = queue.pollFirst();
                if (next != null) {
                    return next;
                }
                long left = deadline - System.nanoTime();
                if (shutdown || left <= 0) {
                    threads.remove(Thread.currentThread());
                    threadGone.signalAll();
                    return null;
                }
                idle++;
                try {
                    workQueued.awaitNanos(left);
                } catch (InterruptedException e) {
                    // shutdownNow: look at the queue and the flag again
                } finally {
                    if (wakeUps > 0) {
                        wakeUps--;
                    } else {
                        idle--;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            workQueued.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        lock.lock();
        try {
            shutdown = true;
            List<Runnable> left = new ArrayList<>(queue);
            queue.clear();
            threads.forEach(Thread::interrupt);
            workQueued.signalAll();
            return left;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return shutdown && threads.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            long left = unit.toNanos(timeout);
            while (!(shutdown && threads.isEmpty())) {
                if (left <= 0) {
                    return false;
                }
                left = threadGone.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Threads of the pool now. */
    int size() {
        lock.lock();
        try {
            return threads.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
