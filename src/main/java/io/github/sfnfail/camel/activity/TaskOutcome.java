package io.github.sfnfail.camel.activity;

import org.apache.camel.Exchange;

/**
 * How a task ends, decided once its route is done with it, from what its worker recorded as it happened (the route
 * answered it, a heartbeat found it closed, an error handler handled a failure, the exchange was delivered again after a
 * failure) and from how its exchange ended (failed, rolled back, completed).
 *
 * @param kind    what the worker does
 * @param failure the exception to fail the task with, for {@link Kind#FAIL}
 * @param handled whether that exception was handled (an error handler, a doCatch) rather than left on the exchange
 */
record TaskOutcome(Kind kind, Throwable failure, boolean handled) {

    enum Kind {
        /** A route answered it itself: not answered again. */
        ANSWERED_BY_ROUTE,
        /** A heartbeat found it closed: nobody waits for an answer. */
        CLOSED,
        /** Automatic answers are off and no route answered it yet: it stays in hand until one does. */
        LEFT_TO_ROUTE,
        /** SendTaskSuccess with the body. */
        SUCCEED,
        /** SendTaskFailure from the headers, else the failure. */
        FAIL,
        /** Marked for rollback without an exception: SendTaskFailure from the headers, else RolledBack. */
        ROLLED_BACK
    }

    /**
     * @param autoAnswer            whether the worker answers the tasks (autoAnswer)
     * @param failOnCaughtException whether a handled exception fails the task (failOnCaughtException)
     */
    static TaskOutcome of(ActivityTask task, Exchange exchange, boolean autoAnswer, boolean failOnCaughtException) {
        if (task.answeredByRoute()) {
            return new TaskOutcome(Kind.ANSWERED_BY_ROUTE, null, false);
        }
        if (task.closed()) {
            return new TaskOutcome(Kind.CLOSED, null, false);
        }
        if (!autoAnswer) {
            return new TaskOutcome(Kind.LEFT_TO_ROUTE, null, false);
        }
        if (exchange.getException() != null) {
            return new TaskOutcome(Kind.FAIL, exchange.getException(), false);
        }
        Throwable handled = handledFailure(task, exchange);
        if (failOnCaughtException && handled != null) {
            return new TaskOutcome(Kind.FAIL, handled, true);
        }
        if (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
            return new TaskOutcome(Kind.ROLLED_BACK, null, false);
        }
        return new TaskOutcome(Kind.SUCCEED, null, false);
    }

    /**
     * The exception the route's error handling took off the exchange while the work failed: the one a failure processor
     * handled (recorded as it happened), else the one Camel left as caught when an error handler handled it without
     * steps of its own, unless that is what a redelivery that then worked was retrying.
     */
    private static Throwable handledFailure(ActivityTask task, Exchange exchange) {
        if (task.handledFailure() != null) {
            return task.handledFailure();
        }
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught == null) {
            return null;
        }
        boolean errorHandlerHandled = exchange.getExchangeExtension().isErrorHandlerHandledSet()
                                      && exchange.getExchangeExtension().isErrorHandlerHandled();
        return errorHandlerHandled || !task.wasRedeliveredAfter(caught) ? caught : null;
    }
}
