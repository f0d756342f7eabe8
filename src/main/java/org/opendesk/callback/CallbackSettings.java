package org.opendesk.callback;

/**
 * Where and how an app receives callbacks: the URL, the token that signs them (empty: no
 * Sign), whether callbacks are on, and whether a third-party robot answers users (the built-in
 * robot then stays silent and every user message becomes a ChatBot.UserSendMsg event).
 */
public record CallbackSettings(String url, String token, boolean enabled, boolean thirdPartyRobot) {
    static final CallbackSettings NONE = new CallbackSettings("", "", false, false);

    /** Whether events should be written at all. */
    public boolean delivering() {
        return enabled && !url.isEmpty();
    }
}
