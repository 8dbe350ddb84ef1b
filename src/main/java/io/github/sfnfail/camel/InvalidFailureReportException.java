package io.github.sfnfail.camel;

/**
 * A failure report that Step Functions would refuse (a missing token, an error or cause over its limit, a reserved
 * error name...). Thrown before anything is sent, so the exchange can be corrected and retried with nothing lost.
 */
public class InvalidFailureReportException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final ReportCounters.RefusedPart part;

    public InvalidFailureReportException(ReportCounters.RefusedPart part, String message) {
        super(message);
        this.part = part;
    }

    /** The part of the report that is wrong. */
    public ReportCounters.RefusedPart part() {
        return part;
    }
}
