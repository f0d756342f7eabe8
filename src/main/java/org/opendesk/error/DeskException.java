package org.opendesk.error;

/**
 * A vendor-level failure: rendered as the error envelope with the error's code and an
 * ErrorInfo made of the vendor's text plus a detail telling the caller what to fix.
 */
public final class DeskException extends RuntimeException {
    private final DeskError error;
    private final String detail;

    public DeskException(DeskError error, String detail) {
        super(error.code() + " " + (detail == null ? error.defaultInfo() : detail), null, false, false);
        this.error = error;
        this.detail = detail;
    }

    public DeskException(DeskError error) {
        this(error, null);
    }

    public DeskError error() {
        return error;
    }

    /** The ErrorInfo shown to the caller. */
    public String errorInfo() {
        return detail == null || detail.isBlank() ? error.defaultInfo() : detail;
    }
}
