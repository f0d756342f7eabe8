package org.opendesk.callback;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.opendesk.rest.CommandHandler;

/**
 * The extension commands get_callback_settings and update_callback_settings of desk_http_svc:
 * what the vendor sets in its console (设置 > 开发者设置: callback URL and switch).
 */
public final class CallbackCommands {
    private final CallbackService callbacks;

    public CallbackCommands(CallbackService callbacks) {
        this.callbacks = callbacks;
    }

    public record GetReq() {
    }

    public record UpdateReq(@JsonProperty("CallbackUrl") String callbackUrl,
                            @JsonProperty("CallbackToken") String callbackToken,
                            @JsonProperty("CallbackEnable") Integer callbackEnable,
                            @JsonProperty("ThirdPartyRobotEnable") Integer thirdPartyRobotEnable) {
    }

    public record SettingsResp(@JsonProperty("CallbackUrl") String callbackUrl,
                               @JsonProperty("CallbackToken") String callbackToken,
                               @JsonProperty("CallbackEnable") int callbackEnable,
                               @JsonProperty("ThirdPartyRobotEnable") int thirdPartyRobotEnable) {
        static SettingsResp of(CallbackSettings s) {
            return new SettingsResp(s.url(), s.token(), s.enabled() ? 1 : 0, s.thirdPartyRobot() ? 1 : 0);
        }
    }

    public CommandHandler<GetReq> get() {
        return call -> SettingsResp.of(callbacks.settings(call.tenant().db()));
    }

    public CommandHandler<UpdateReq> update() {
        return call -> {
            UpdateReq r = call.body();
            return SettingsResp.of(callbacks.update(call.tenant(), new CallbackService.Change(r.callbackUrl(),
                    r.callbackToken(), r.callbackEnable(), r.thirdPartyRobotEnable())));
        };
    }
}
