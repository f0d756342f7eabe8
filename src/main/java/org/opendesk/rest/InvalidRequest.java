package org.opendesk.rest;

/**
 * A request body that is well-formed JSON but not a valid request for its command.
 * The dispatcher answers it with the invalid-parameter code of the command's service
 * (70402, 141004 or -7), so shared validation need not know which service it serves.
 */
public final class InvalidRequest extends RuntimeException {
    public InvalidRequest(String detail) {
        super(detail, null, false, false);
    }
}
