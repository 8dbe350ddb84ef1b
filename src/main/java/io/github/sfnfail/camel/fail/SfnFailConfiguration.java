package io.github.sfnfail.camel.fail;

import io.github.sfnfail.camel.SfnTaskConfiguration;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code aws-sfn-fail}: the failure report's error and cause, and what to do when they cannot be sent
 * as they are, beside the options every scheme shares.
 */
@UriParams
public class SfnFailConfiguration extends SfnTaskConfiguration {

    @UriParam(label = "producer")
    private String error;
    @UriParam(label = "producer")
    private String cause;
    @UriParam(label = "producer", defaultValue = "true")
    private boolean truncateCause = true;
    @UriParam(label = "producer")
    private boolean pojoRequest;
    @UriParam(label = "producer", defaultValue = "true")
    private boolean kmsFallback = true;

    public String getError() {
        return error;
    }

    /**
     * The error name to report, when it is not given in the CamelAwsSfnError header (the header wins). This is what a
     * Catch or Retry ErrorEquals of the state machine matches, exactly and case-sensitively. At most 256 characters;
     * names starting with States. are reserved by Step Functions and refused. It applies to the failure reports of
     * aws-sfn-fail endpoints only: the activity consumer's automatic failures take their error from the
     * CamelAwsSfnError header, else from the exception, never from this option (so
     * camel.component.aws-sfn-fail.error does not rename them).
     */
    public void setError(String error) {
        this.error = error;
    }

    public String getCause() {
        return cause;
    }

    /**
     * A human-readable cause of the failure, when it is not given in the CamelAwsSfnCause header (the header wins). At
     * most 32768 characters (see truncateCause). Like error, it applies to the failure reports of aws-sfn-fail
     * endpoints only, not to the activity consumer's automatic failures.
     */
    public void setCause(String cause) {
        this.cause = cause;
    }

    public boolean isTruncateCause() {
        return truncateCause;
    }

    /**
     * What to do with a cause longer than the 32768 characters Step Functions accepts: when true it is cut to fit,
     * ending with a visible marker saying how much was cut, and a warning is logged (a report refused over a long stack
     * trace would leave the execution hanging); when false the exchange fails before anything is sent.
     */
    public void setTruncateCause(boolean truncateCause) {
        this.truncateCause = truncateCause;
    }

    public boolean isKmsFallback() {
        return kmsFallback;
    }

    /**
     * What to do when Step Functions cannot encrypt the error and cause with the customer-managed KMS key of the state
     * machine (KmsAccessDeniedException: the credentials may not use the key; KmsInvalidStateException: the key is
     * disabled or pending deletion), which would leave the execution hanging. When true the report is sent once more
     * without error and cause, which needs no KMS permission: the execution fails, the CamelAwsSfnKmsFallback header is
     * set and a warning names the KMS error. When false the exchange fails with the KMS error. KMS throttling is
     * retried either way.
     */
    public void setKmsFallback(boolean kmsFallback) {
        this.kmsFallback = kmsFallback;
    }

    public boolean isPojoRequest() {
        return pojoRequest;
    }

    /**
     * When true the message body must be a ready-made SendTaskFailureRequest, which is checked against the Step
     * Functions limits and sent; headers and the taskToken, error and cause options are then not used.
     */
    public void setPojoRequest(boolean pojoRequest) {
        this.pojoRequest = pojoRequest;
    }

    @Override
    public SfnFailConfiguration copy() {
        return (SfnFailConfiguration) super.copy();
    }
}
