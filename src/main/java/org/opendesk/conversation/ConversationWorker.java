package org.opendesk.conversation;

import org.opendesk.tenant.Tenant;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ConversationService#drain} for sessions with pending messages: a session always
 * lands on the same single-threaded lane, so its messages are answered in order, while different
 * sessions proceed in parallel. A session already queued is not queued twice.
 */
public final class ConversationWorker implements ConversationService.SessionQueue, AutoCloseable {
    /**
     * Lanes (virtual threads). Handling a message mostly waits for its group commit, so many lanes
     * keep the commits full; a session always uses the same lane.
     */
    public static final int LANES = 128;
    private final ConversationService conversations;
    private final ExecutorService[] lanes;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    public ConversationWorker(ConversationService conversations, int lanes) {
        this.conversations = conversations;
        this.lanes = new ExecutorService[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("conversation-" + i).factory());
        }
        conversations.handOffTo(this);
    }

    @Override
    public void submit(Tenant tenant, String sessionId) {
        String key = tenant.sdkAppId() + "/" + sessionId;
        if (!queued.add(key)) {
            return; // the queued drain will see this message too
        }
        try {
            lanes[Math.floorMod(key.hashCode(), lanes.length)].execute(() -> {
                queued.remove(key);
                conversations.drain(tenant, sessionId);
            });
        } catch (RejectedExecutionException e) {
            queued.remove(key); // shutting down: the message stays pending and is picked up at the next start
        }
    }

    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
        // one deadline for all lanes: what is not handled by then stays pending for the next start
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ExecutorService lane : lanes) {
            try {
                if (!lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    lane.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
