package org.opendesk.imagent;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * Everything a customer-service account is configured with, under the seed's field names:
 * stored as this JSON document and answered by get_im_agent_list. In a request every field is
 * optional (add_im_agent checks the ones the seed requires); absent ones are null.
 */
public record ImAgentSettings(@JsonProperty("IMAgentNick") String imAgentNick,
                              @JsonProperty("IMAgentAvatarUrl") String imAgentAvatarUrl,
                              @JsonProperty("WelcomeMessage") String welcomeMessage,
                              @JsonProperty("ChatbotDisabled") Integer chatbotDisabled,
                              @JsonProperty("AgentGroupId") Long agentGroupId,
                              @JsonProperty("TransferToHumanPrompt") String transferToHumanPrompt,
                              @JsonProperty("TransferToHumanSuccessPrompt") String transferToHumanSuccessPrompt,
                              @JsonProperty("TransferToHumanFailPrompt") String transferToHumanFailPrompt,
                              @JsonProperty("QueueingPrompt") String queueingPrompt,
                              @JsonProperty("UserTimeout") Integer userTimeout,
                              @JsonProperty("EndPrompt") String endPrompt,
                              @JsonProperty("TimeoutEndPrompt") String timeoutEndPrompt,
                              @JsonProperty("WorkTimeConfig") WorkTimeConfig workTimeConfig,
                              @JsonProperty("NotWorkTimePrompt") String notWorkTimePrompt,
                              @JsonProperty("AssignmentStrategy") Integer assignmentStrategy,
                              @JsonProperty("ChooseSkillGroupPrompt") String chooseSkillGroupPrompt,
                              @JsonProperty("DisplayGroupsChoices") List<Long> displayGroupsChoices,
                              @JsonProperty("AssignedByWebhookURL") String assignedByWebhookUrl,
                              @JsonProperty("RobotId") String robotId,
                              @JsonProperty("WelcomeMessageMultilingual") Map<String, String> welcomeMessageMultilingual,
                              @JsonProperty("TransferToHumanPromptMultilingual") Map<String, String> transferToHumanPromptMultilingual,
                              @JsonProperty("TransferToHumanSuccessPromptMultilingual")
                              Map<String, String> transferToHumanSuccessPromptMultilingual,
                              @JsonProperty("TransferToHumanFailPromptMultilingual")
                              Map<String, String> transferToHumanFailPromptMultilingual,
                              @JsonProperty("QueueingPromptMultilingual") Map<String, String> queueingPromptMultilingual,
                              @JsonProperty("EndPromptMultilingual") Map<String, String> endPromptMultilingual,
                              @JsonProperty("TimeoutEndPromptMultilingual") Map<String, String> timeoutEndPromptMultilingual,
                              @JsonProperty("NotWorkTimePromptMultilingual") Map<String, String> notWorkTimePromptMultilingual,
                              @JsonProperty("ChooseSkillGroupPromptMultilingual")
                              Map<String, String> chooseSkillGroupPromptMultilingual) {

    /** Working hours of the human agents: Type 0 off (always working), 1 on with Periods. */
    public record WorkTimeConfig(@JsonProperty("Type") Integer type,
                                 @JsonProperty("Periods") List<DayPeriods> periods) {
    }

    public record DayPeriods(@JsonProperty("Day") String day,
                             @JsonProperty("PeriodsWithinOneDay") List<Period> periodsWithinOneDay) {
    }

    /** A working period of one day, "HH:MM" to "HH:MM". */
    public record Period(@JsonProperty("Start") String start, @JsonProperty("End") String end) {
    }

    /**
     * The settings of the default account every app starts with: the seed's example prompts
     * (add_im_agent request example 1), the chatbot on, automatic assignment, no working hours.
     */
    static ImAgentSettings defaults() {
        return new ImAgentSettings("在线客服", "", "您好，欢迎咨询，很高兴为您服务！", 0, 0L, "正在为您转接，请稍候",
                "转接人工成功，客服${StaffNickName}为您服务", "抱歉，当前无客服在线，请稍后再试",
                "您的问题我们已经收到。当前咨询人数较多，您目前排在第${QueuePosition}位，前面还有${WaitNo}人，感谢您的耐心等待",
                600, "本次服务已结束，感谢您的支持", "由于您长时间未回复，本次服务已自动结束，感谢您的支持",
                new WorkTimeConfig(0, null), "当前无客服在线，请您于工作时间咨询", 0, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }
}
