package io.github.sfnfail.camel.activity;

import java.util.function.Function;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Records on each task, as it happens, what the error handling of its route did: a failure an error handler handled
 * (onException with handled or continued, a dead letter channel, a doCatch), and the exceptions after which its exchange
 * was delivered again. The task's answer is then decided from what happened, not from exchange properties that Camel
 * leaves behind after a redelivery that succeeded or that a route may clear.
 */
final class ErrorHandlerWatch extends EventNotifierSupport {

    private final Function<String, ActivityTask> byExchange;

    /**
     * @param byExchange the task whose exchange has this id, or null for an exchange that carries none
     */
    ErrorHandlerWatch(Function<String, ActivityTask> byExchange) {
        this.byExchange = byExchange;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        // Camel asks each notifier before it makes an event: only failure handling and redeliveries are of interest
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeFailureEvent || event instanceof CamelEvent.ExchangeRedeliveryEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        ActivityTask task = byExchange.apply(exchange.getExchangeId());
        if (task == null) {
            return;
        }
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (event instanceof CamelEvent.ExchangeFailureEvent) {
            // a failure processor (onException's steps, a dead letter channel, a doCatch) takes the failure on: the
            // work failed, even when the route goes on. Taken as its steps begin, before they may clear the properties
            Throwable handled = caught != null ? caught : exchange.getException();
            boolean handling = event instanceof CamelEvent.ExchangeFailureHandlingEvent;
            if (handled != null && (handling || task.handledFailure() == null)) {
                task.handledFailure(handled);
            }
        } else {
            // delivered again after this failure: if the next attempt works, the failure left behind says nothing
            if (caught != null) {
                task.redeliveredAfter(caught);
            }
            if (exchange.getException() != null) {
                task.redeliveredAfter(exchange.getException());
            }
        }
    }
}
