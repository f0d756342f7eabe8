package org.opendesk.conversation;

/** A session between a user and a customer-service account, as stored. Times in epoch ms. */
public record Session(String id, String userId, String customerServiceId, SessionState state, int version,
                      String channelType, String languageTag, String robotId, String agentId, long startedAt,
                      long lastActivityAt, long endedAt, String endReason) {
    /** The channel of users who come through the IM SDK, REST sendmsg or the visitor WebSocket (应用/客户端). */
    public static final String CHANNEL_SDK = "SDK";

    public boolean open() {
        return state != SessionState.ENDED;
    }
}
