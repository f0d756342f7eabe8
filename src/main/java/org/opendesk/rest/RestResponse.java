package org.opendesk.rest;

/** A rendered envelope: the JSON bytes, the vendor code it carries and the request id. */
public record RestResponse(byte[] body, int errorCode, String requestId) {
}
