package org.opendesk.human;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.rest.CommandHandler;
import org.opendesk.team.TeamService;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** transfer_to_human of desk_http_svc, with the seed's fields and codes. */
public final class HumanCommands {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    public static final int MAX_AGENT_IDS = 100;

    private final HumanService human;

    public HumanCommands(HumanService human) {
        this.human = human;
    }

    public record TransferReq(@JsonProperty("SessionId") String sessionId,
                              @JsonProperty("AgentIdList") List<String> agentIdList,
                              @JsonProperty("AgentGroupId") Long agentGroupId,
                              @JsonProperty("SendTipIfNoAgentOnline") Integer sendTipIfNoAgentOnline,
                              @JsonProperty("CheckIfDuringWorkingHours") Integer checkIfDuringWorkingHours,
                              @JsonProperty("SendPromptNotDuringWorkingHours") Integer sendPromptNotDuringWorkingHours) {
    }

    /** AgentId (the member who took or was offered the session, "" otherwise) and IsInQueue. */
    public record TransferResp(@JsonProperty("AgentId") String agentId, @JsonProperty("IsInQueue") int isInQueue) {
    }

    public CommandHandler<TransferReq> transferToHuman() {
        return call -> {
            TransferReq r = call.body();
            if (r.sessionId() == null || r.sessionId().isBlank()) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "SessionId is required");
            }
            String session = r.sessionId().strip();
            if (!UUID.matcher(session).matches()) {
                throw new DeskException(DeskError.DESK_SESSION_ID_INVALID, "SessionId '" + session + "' is not a session id"
                        + " (a UUID such as fd8a2e30-54de-4e40-bcaf-02718409c5cf)");
            }
            List<String> agents = new ArrayList<>();
            if (r.agentIdList() != null) {
                if (r.agentIdList().size() > MAX_AGENT_IDS) {
                    throw new DeskException(DeskError.DESK_INVALID_PARAM, "AgentIdList holds at most " + MAX_AGENT_IDS
                            + " members");
                }
                LinkedHashSet<String> unique = new LinkedHashSet<>();
                for (String a : r.agentIdList()) {
                    unique.add(TeamService.memberId(a));
                }
                agents.addAll(unique);
            }
            long group = r.agentGroupId() == null ? 0 : r.agentGroupId();
            if (group < 0) {
                throw new DeskException(DeskError.DESK_INVALID_PARAM, "AgentGroupId must be an agent group id, got " + group);
            }
            HumanService.TransferResult result = human.transferToHuman(call.tenant(), session, new HumanService.TransferOptions(
                    agents, group, flag("SendTipIfNoAgentOnline", r.sendTipIfNoAgentOnline()),
                    flag("CheckIfDuringWorkingHours", r.checkIfDuringWorkingHours()),
                    flag("SendPromptNotDuringWorkingHours", r.sendPromptNotDuringWorkingHours())));
            return switch (result.decision()) {
                case RoutingDecision.NoAgentOnline n -> throw new DeskException(DeskError.DESK_NO_AGENT_ONLINE,
                        "no member who could take the session is online" + (group > 0 ? " in agent group " + group : "")
                                + (agents.isEmpty() ? "" : " among AgentIdList"));
                case RoutingDecision.OutsideWorkingHours o -> throw new DeskException(DeskError.DESK_CANNOT_TRANSFER,
                        "it is outside the working hours of the customer-service account (WorkTimeConfig)");
                case RoutingDecision.Denied d -> throw new DeskException(DeskError.DESK_CANNOT_TRANSFER,
                        "the business server refused the transfer (ChatBot.OnAssignHuman answered AgentTransferDenied 1)");
                default -> new TransferResp(result.agentId(), result.inQueue() ? 1 : 0);
            };
        };
    }

    private static boolean flag(String field, Integer value) {
        if (value != null && value != 0 && value != 1) {
            throw new DeskException(DeskError.DESK_INVALID_PARAM, field + " must be 0 or 1, got " + value);
        }
        return value != null && value == 1;
    }
}
