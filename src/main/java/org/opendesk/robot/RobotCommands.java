package org.opendesk.robot;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.opendesk.rest.CommandHandler;
import org.opendesk.rest.InvalidRequest;

import java.math.BigDecimal;
import java.util.List;

/**
 * The robot commands of openim_console_http_svc: basic configuration, languages and
 * robots (desk_add_robot, plus the extensions desk_get_robot_list and desk_del_robot).
 */
public final class RobotCommands {
    private final RobotService robots;
    private final AnswerService answers;

    public RobotCommands(RobotService robots, AnswerService answers) {
        this.robots = robots;
        this.answers = answers;
    }

    /** robot_test_answer (extension): the console's online test. */
    public record TestAnswerReq(@JsonProperty("Question") String question,
                                @JsonProperty("RobotId") String robotId,
                                @JsonProperty("LanguageTag") String languageTag,
                                @JsonProperty("TopN") Integer topN) {
    }

    public record CandidateItem(@JsonProperty("StandardQuestionId") String standardQuestionId,
                                @JsonProperty("StandardQuestion") String standardQuestion,
                                @JsonProperty("Library") String library,
                                @JsonProperty("MatchedQuestion") String matchedQuestion,
                                @JsonProperty("Similarity") double similarity) {
    }

    public record TestAnswerResp(@JsonProperty("ReplyType") String replyType,
                                 @JsonProperty("Answer") String answer,
                                 @JsonProperty("AnswerType") int answerType,
                                 @JsonProperty("StandardQuestionId") String standardQuestionId,
                                 @JsonProperty("ClarifyQuestions") List<String> clarifyQuestions,
                                 @JsonProperty("Candidates") List<CandidateItem> candidates) {
    }

    /** robot_get_suggestions (extension): input guidance as the user types. */
    public record SuggestReq(@JsonProperty("Question") String question,
                             @JsonProperty("RobotId") String robotId,
                             @JsonProperty("LanguageTag") String languageTag,
                             @JsonProperty("Limit") Integer limit) {
    }

    /** {@code ShowContent} marks the typed part as the second seed's input guide does. */
    public record SuggestionItem(@JsonProperty("StandardQuestionId") String standardQuestionId,
                                 @JsonProperty("Content") String content,
                                 @JsonProperty("ShowContent") String showContent) {
    }

    public record SuggestResp(@JsonProperty("Suggestions") List<SuggestionItem> suggestions) {
    }

    public CommandHandler<SuggestReq> suggest() {
        return call -> {
            SuggestReq r = call.body();
            return new SuggestResp(answers.suggest(call.tenant(), KnowledgeCommands.robot(r.robotId()), r.languageTag(),
                    r.question(), AnswerService.limit(r.limit())).stream()
                    .map(s -> new SuggestionItem(s.id(), s.text(), s.highlighted())).toList());
        };
    }

    public CommandHandler<TestAnswerReq> testAnswer() {
        return call -> {
            TestAnswerReq r = call.body();
            AnswerService.Reply reply = answers.answer(call.tenant(), KnowledgeCommands.robot(r.robotId()), r.languageTag(),
                    r.question(), AnswerService.topN(r.topN()), "test");
            return new TestAnswerResp(reply.type().wire(), reply.answer(), reply.answerType(), reply.questionId(),
                    reply.clarify(), reply.candidates().stream().map(c -> new CandidateItem(c.candidate().id(),
                            c.candidate().standard(), c.library().label(), c.candidate().matchedText(),
                            c.candidate().similarity())).toList());
        };
    }

    public record DescConfigReq(@JsonProperty("LanguageTag") String languageTag,
                                @JsonProperty("RobotId") String robotId) {
    }

    /**
     * As the seed's desc_robot_config example answers: DirectAnsweringReaches is a number,
     * ChitchatReaches and ClarifyReaches are strings (its table types all three String).
     */
    public record ConfigResp(@JsonProperty("WelcomeCardEnable") int welcomeCardEnable,
                             @JsonProperty("WelcomeCardTitle") String welcomeCardTitle,
                             @JsonProperty("WelcomeCardQuestions") List<String> welcomeCardQuestions,
                             @JsonProperty("ToAgentEnable") int toAgentEnable,
                             @JsonProperty("DirectAnsweringReaches") BigDecimal directAnsweringReaches,
                             @JsonProperty("ChitchatEnable") int chitchatEnable,
                             @JsonProperty("ChitchatReaches") String chitchatReaches,
                             @JsonProperty("ClarifyEnable") int clarifyEnable,
                             @JsonProperty("ClarifyReaches") String clarifyReaches,
                             @JsonProperty("ClarifyMessage") String clarifyMessage,
                             @JsonProperty("ClarifyNumber") int clarifyNumber,
                             @JsonProperty("FallbackMsg") String fallbackMsg) {
        static ConfigResp of(RobotConfig c) {
            return new ConfigResp(c.welcomeCardEnable(), c.welcomeCardTitle(), c.welcomeCardQuestions(), c.toAgentEnable(),
                    c.directAnsweringReaches(), c.chitchatEnable(), c.chitchatReaches().toPlainString(), c.clarifyEnable(),
                    c.clarifyReaches().toPlainString(), c.clarifyMessage(), c.clarifyNumber(), c.fallbackMsg());
        }
    }

    /** Thresholds are accepted as numbers or strings ("0.56"): the seed sends strings, its answers mix both. */
    public record UpdateConfigReq(@JsonProperty("WelcomeCardEnable") Integer welcomeCardEnable,
                                  @JsonProperty("WelcomeCardTitle") String welcomeCardTitle,
                                  @JsonProperty("WelcomeCardQuestions") List<String> welcomeCardQuestions,
                                  @JsonProperty("ToAgentEnable") Integer toAgentEnable,
                                  @JsonProperty("DirectAnsweringReaches") JsonNode directAnsweringReaches,
                                  @JsonProperty("ChitchatEnable") Integer chitchatEnable,
                                  @JsonProperty("ChitchatReaches") JsonNode chitchatReaches,
                                  @JsonProperty("ClarifyEnable") Integer clarifyEnable,
                                  @JsonProperty("ClarifyReaches") JsonNode clarifyReaches,
                                  @JsonProperty("ClarifyMessage") String clarifyMessage,
                                  @JsonProperty("ClarifyNumber") Integer clarifyNumber,
                                  @JsonProperty("FallbackMsg") String fallbackMsg,
                                  @JsonProperty("LanguageTag") String languageTag,
                                  @JsonProperty("RobotId") String robotId) {
    }

    public record LanguageReq(@JsonProperty("LanguageTag") String languageTag,
                              @JsonProperty("RobotId") String robotId) {
    }

    public record RobotReq(@JsonProperty("RobotId") String robotId) {
    }

    public record LanguageItem(@JsonProperty("LanguageTag") String languageTag,
                               @JsonProperty("IsDefault") int isDefault) {
    }

    public record LanguagesResp(@JsonProperty("Languages") List<LanguageItem> languages) {
    }

    public record AddRobotReq(@JsonProperty("RobotNickName") String robotNickName) {
    }

    public record AddRobotResp(@JsonProperty("RobotId") String robotId) {
    }

    public record RobotItem(@JsonProperty("RobotId") String robotId,
                            @JsonProperty("RobotNickName") String robotNickName,
                            @JsonProperty("IsDefault") int isDefault,
                            @JsonProperty("CreateTime") long createTime) {
    }

    public record RobotListResp(@JsonProperty("Total") int total,
                                @JsonProperty("Robots") List<RobotItem> robots) {
    }

    public CommandHandler<DescConfigReq> describeConfig() {
        return call -> ConfigResp.of(robots.config(call.tenant(), KnowledgeCommands.robot(call.body().robotId()),
                call.body().languageTag()));
    }

    public CommandHandler<UpdateConfigReq> updateConfig() {
        return call -> {
            UpdateConfigReq r = call.body();
            robots.updateConfig(call.tenant(), KnowledgeCommands.robot(r.robotId()), r.languageTag(),
                    new RobotService.ConfigChange(r.welcomeCardEnable(), r.welcomeCardTitle(), r.welcomeCardQuestions(),
                            r.toAgentEnable(), r.directAnsweringReaches(), r.chitchatEnable(), r.chitchatReaches(),
                            r.clarifyEnable(), r.clarifyReaches(), r.clarifyMessage(), r.clarifyNumber(), r.fallbackMsg()));
            return null;
        };
    }

    public CommandHandler<LanguageReq> addLanguage() {
        return call -> {
            robots.addLanguage(call.tenant(), KnowledgeCommands.robot(call.body().robotId()), call.body().languageTag());
            return null;
        };
    }

    public CommandHandler<RobotReq> languages() {
        return call -> new LanguagesResp(robots.languages(call.tenant(), KnowledgeCommands.robot(call.body().robotId()))
                .stream().map(l -> new LanguageItem(l.tag(), l.isDefault() ? 1 : 0)).toList());
    }

    public CommandHandler<LanguageReq> deleteLanguage() {
        return call -> {
            robots.deleteLanguage(call.tenant(), KnowledgeCommands.robot(call.body().robotId()), call.body().languageTag());
            return null;
        };
    }

    public CommandHandler<AddRobotReq> addRobot() {
        return call -> new AddRobotResp(robots.addRobot(call.tenant(), call.body().robotNickName()));
    }

    public CommandHandler<RobotReq> listRobots() {
        return call -> {
            List<RobotItem> items = robots.robots(call.tenant()).stream()
                    .map(r -> new RobotItem(r.robotId(), r.nickName(), r.isDefault() ? 1 : 0, r.createdAt() / 1000)).toList();
            return new RobotListResp(items.size(), items);
        };
    }

    public CommandHandler<RobotReq> deleteRobot() {
        return call -> {
            String id = call.body().robotId();
            if (id == null || id.isBlank()) {
                throw new InvalidRequest("RobotId is required");
            }
            robots.deleteRobot(call.tenant(), id.strip());
            return null;
        };
    }
}
