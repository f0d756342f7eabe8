package org.opendesk.imagent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.opendesk.rest.CommandHandler;

import java.util.List;

/**
 * The customer-service account commands of desk_http_svc: add_im_agent, update_im_agent,
 * delete_im_agent, get_im_agent_list, with the seed's field names (IMAgentUserID; the
 * spelling IMAgentUserId of other pages is accepted on input too).
 */
public final class ImAgentCommands {
    private final ImAgentService service;

    public ImAgentCommands(ImAgentService service) {
        this.service = service;
    }

    /** add_im_agent and update_im_agent: the account's UserID and its settings, flat as in the seed. */
    public static final class ImAgentReq {
        @JsonProperty("IMAgentUserID")
        private String userId;
        @JsonProperty("IMAgentUserId")
        private String userIdAlias;
        @JsonUnwrapped
        private ImAgentSettings settings;

        String userId() {
            return userId != null ? userId : userIdAlias;
        }

        ImAgentSettings settings() {
            return settings;
        }
    }

    public record UserIdResp(@JsonProperty("IMAgentUserID") String imAgentUserId) {
    }

    public record ListReq() {
    }

    /** One account of get_im_agent_list: the UserID, its settings flat, and IsDefault. */
    public record Item(@JsonProperty("IMAgentUserID") String imAgentUserId,
                       @JsonUnwrapped ImAgentSettings settings,
                       @JsonProperty("IsDefault") int isDefault) {
    }

    public record ListResp(@JsonProperty("Data") List<Item> data) {
    }

    public CommandHandler<ImAgentReq> add() {
        return call -> new UserIdResp(service.add(call.tenant(), call.body().userId(), call.body().settings()));
    }

    public CommandHandler<ImAgentReq> update() {
        return call -> {
            service.update(call.tenant(), call.body().userId(), call.body().settings());
            return new UserIdResp(call.body().userId().strip());
        };
    }

    public CommandHandler<ImAgentReq> delete() {
        return call -> {
            service.delete(call.tenant(), call.body().userId());
            return null;
        };
    }

    public CommandHandler<ListReq> list() {
        return call -> new ListResp(service.list(call.tenant()).stream()
                .map(a -> new Item(a.userId(), a.settings(), a.isDefault() ? 1 : 0)).toList());
    }
}
