package io.github.sfnfail.camel.engine;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pools the consumer runs tasks on and the synchronous client calls through: a thread only when none is idle, and
 * work never left queued behind a busy thread while the pool has room, even when an idle thread lets itself go at the
 * very moment work comes.
 */
class ElasticPoolTest {

    private static final ThreadFactory DAEMONS = work -> {
        Thread thread = new Thread(work, "elastic-test");
        thread.setDaemon(true);
        return thread;
    };

    @Test
    void workThatComesAsAnIdleThreadGoesNeverWaitsBehindABusyOne() throws Exception {
        // threads go after 1 ms idle: work handed over at that instant meets the race again and again
        ElasticPool pool = new ElasticPool("race", 2, 1, TimeUnit.MILLISECONDS, DAEMONS);
        CountDownLatch busy = new CountDownLatch(1);
        try {
            pool.execute(() -> {
                try {
                    busy.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < 5_000; i++) {
                if (i % 3 == 0) {
                    // now and then, hand the work over just as the idle thread reaches its timeout
                    long until = System.nanoTime() + 900_000 + (i % 11) * 20_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
                CountDownLatch ran = new CountDownLatch(1);
                pool.execute(ran::countDown);
                assertThat(ran.await(5, TimeUnit.SECONDS)).as("work %d ran beside the busy thread", i).isTrue();
            }
        } finally {
            busy.countDown();
            pool.shutdown();
        }
    }

    @Test
    void aThreadIsMadeOnlyWhenNoneIsIdleAndNeverBeyondTheMost() throws Exception {
        ElasticPool pool = new ElasticPool("sized", 3, 60, TimeUnit.SECONDS, DAEMONS);
        CountDownLatch hold = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        try {
            for (int i = 0; i < 5; i++) {
                pool.execute(done::incrementAndGet);
                Thread.sleep(20);
            }
            assertThat(pool.size()).as("short work one after another: one thread").isEqualTo(1);
            for (int i = 0; i < 10; i++) {
                pool.execute(() -> {
                    try {
                        hold.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.incrementAndGet();
                });
            }
            assertThat(pool.size()).isEqualTo(3);
            hold.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(done.get()).as("what was queued before the shutdown ran").isEqualTo(15);
        } finally {
            hold.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void workHandedToAPoolShutDownIsRefused() {
        ElasticPool pool = new ElasticPool("closed", 1, 60, TimeUnit.SECONDS, DAEMONS);
        pool.shutdown();

        assertThatThrownBy(() -> pool.execute(() -> {
        })).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("closed is shut down");
    }

    @Test
    void aFailureWithoutAMessageIsDescribedByItsClassNeverAsNull() {
        assertThat(CallOutcomes.describe(new InterruptedException())).isEqualTo("java.lang.InterruptedException");
        assertThat(CallOutcomes.describe(new java.util.concurrent.CompletionException(new IllegalStateException("gone"))))
                .isEqualTo("gone");
    }
}
