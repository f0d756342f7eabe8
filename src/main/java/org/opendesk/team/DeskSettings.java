package org.opendesk.team;

import java.time.ZoneId;

/**
 * The desk's session settings: reception mode (0 automatic, 1 manual), how long an agent has to
 * accept an offered session in manual mode, whether an agent who lets an offer time out goes to
 * rest, how many sessions one agent serves at once (more queue), the app's time zone, the agent and
 * queue-offline timeouts, and whether contact_user may open sessions (the 联系用户 switch, 141014 when off).
 */
public record DeskSettings(int receptionMode, int acceptTimeoutSeconds, boolean restAfterAcceptTimeout,
                           int maxSessionsPerAgent, String timeZone, int agentReplyTimeoutSeconds,
                           int queueOfflineTimeoutSeconds, boolean contactUserEnabled) {
    public static final int AUTOMATIC = 0;
    public static final int MANUAL = 1;
    /** How long a queued user may be offline by default before the session ends. */
    public static final int DEFAULT_QUEUE_OFFLINE_SECONDS = 120;
    public static final DeskSettings DEFAULTS = new DeskSettings(AUTOMATIC, 60, false, 5, "Asia/Shanghai", 0,
            DEFAULT_QUEUE_OFFLINE_SECONDS, true);

    public DeskSettings(int receptionMode, int acceptTimeoutSeconds, boolean restAfterAcceptTimeout, int maxSessionsPerAgent,
                        String timeZone) {
        this(receptionMode, acceptTimeoutSeconds, restAfterAcceptTimeout, maxSessionsPerAgent, timeZone, 0,
                DEFAULT_QUEUE_OFFLINE_SECONDS, true);
    }

    public boolean manual() {
        return receptionMode == MANUAL;
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }
}
