package org.opendesk.rest;

import java.util.Map;

/**
 * An admin REST call as received, independent of the HTTP server: method, the two path
 * segments, the query parameters (first value of each) and the body, or null with
 * {@code oversizeBytes} set when the body was larger than the server accepts.
 */
public record RestRequest(String method, String service, String command, Map<String, String> query,
                          byte[] body, long oversizeBytes, String requestId) {
}
