package org.opendesk.rest;

/**
 * Handles one command. Returns the payload whose fields are merged into the envelope
 * (a record with {@code @JsonProperty} names), or null when the command answers only the
 * envelope. Throws {@link org.opendesk.error.DeskException} or {@link InvalidRequest}.
 */
@FunctionalInterface
public interface CommandHandler<R> {
    Object handle(Call<R> call);
}
