package org.opendesk.robot;

/**
 * Tells the knowledge index that this node just committed a knowledge change, so the next
 * question sees it at once rather than at the next poll. Set once at wiring time.
 */
public final class ChangeSignal {
    private volatile Runnable listener = () -> { };

    public void listen(Runnable listener) {
        this.listener = listener;
    }

    void fire() {
        listener.run();
    }
}
