package org.opendesk.robot;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.opendesk.rest.Call;
import org.opendesk.rest.CommandHandler;
import org.opendesk.rest.InvalidRequest;

import java.util.List;

/**
 * The knowledge-base commands of openim_console_http_svc (categories and questions of the
 * FAQ and chitchat libraries): request and response shapes with the seed's field names,
 * shared by both libraries. Every request may name a robot with the extension field
 * {@code RobotId}; it defaults to the app's default robot.
 */
public final class KnowledgeCommands {
    private final KnowledgeService knowledge;

    public KnowledgeCommands(KnowledgeService knowledge) {
        this.knowledge = knowledge;
    }

    // ---- categories

    public record AddCategoryReq(@JsonProperty("Title") String title,
                                 @JsonProperty("ParentId") Long parentId,
                                 @JsonProperty("RobotId") String robotId) {
    }

    public record UpdateCategoryReq(@JsonProperty("CategoryId") Long categoryId,
                                    @JsonProperty("Title") String title,
                                    @JsonProperty("RobotId") String robotId) {
    }

    public record DeleteCategoryReq(@JsonProperty("CategoryId") Long categoryId,
                                    @JsonProperty("RobotId") String robotId) {
    }

    public record DescCategoryReq(@JsonProperty("RobotId") String robotId) {
    }

    public record CategoryIdResp(@JsonProperty("CategoryId") long categoryId) {
    }

    public record CategoryItem(@JsonProperty("CategoryId") long categoryId,
                               @JsonProperty("ParentId") long parentId,
                               @JsonProperty("Title") String title,
                               @JsonProperty("MenuType") int menuType,
                               @JsonProperty("Status") int status) {
    }

    /** {@code Total} is a number: the seed's table says String but its examples return numbers. */
    public record DescCategoryResp(@JsonProperty("Total") int total,
                                   @JsonProperty("List") List<CategoryItem> list) {
    }

    public CommandHandler<AddCategoryReq> addCategory(Library library) {
        return call -> {
            AddCategoryReq req = call.body();
            long parent = req.parentId() == null ? 0 : req.parentId();
            return new CategoryIdResp(knowledge.addCategory(call.tenant(), robot(req.robotId()), library, req.title(), parent));
        };
    }

    public CommandHandler<UpdateCategoryReq> updateCategory(Library library) {
        return call -> {
            UpdateCategoryReq req = call.body();
            long id = required(req.categoryId(), "CategoryId");
            knowledge.renameCategory(call.tenant(), robot(req.robotId()), library, id, req.title());
            return new CategoryIdResp(id);
        };
    }

    public CommandHandler<DeleteCategoryReq> deleteCategory(Library library) {
        return call -> {
            DeleteCategoryReq req = call.body();
            knowledge.deleteCategory(call.tenant(), robot(req.robotId()), library, required(req.categoryId(), "CategoryId"));
            return null;
        };
    }

    public CommandHandler<DescCategoryReq> describeCategories(Library library) {
        return (Call<DescCategoryReq> call) -> {
            List<CategoryItem> items = knowledge.categories(call.tenant(), robot(call.body().robotId()), library).stream()
                    .map(c -> new CategoryItem(c.categoryId(), c.parentId(), c.title(), c.menuType(), c.status()))
                    .toList();
            return new DescCategoryResp(items.size(), items);
        };
    }

    // ---- questions

    /** add_faq (with LanguageTag) and add_chitchat (always the default language). */
    public record AddQuestionReq(@JsonProperty("CategoryId") Long categoryId,
                                 @JsonProperty("Question") String question,
                                 @JsonProperty("Answer") String answer,
                                 @JsonProperty("AnswerType") Integer answerType,
                                 @JsonProperty("SimilarQuestions") List<String> similarQuestions,
                                 @JsonProperty("LanguageTag") String languageTag,
                                 @JsonProperty("RobotId") String robotId) {
    }

    /** The seed answers only the envelope; the id of the new question is our extension, so callers need not search for it. */
    public record AddQuestionResp(@JsonProperty("StandardQuestionId") String standardQuestionId) {
    }

    public record UpdateQuestionReq(@JsonProperty("StandardQuestionId") String standardQuestionId,
                                    @JsonProperty("Question") String question,
                                    @JsonProperty("Answer") String answer,
                                    @JsonProperty("AnswerType") Integer answerType,
                                    @JsonProperty("CategoryId") Long categoryId,
                                    @JsonProperty("RobotId") String robotId) {
    }

    public record UpdateSimilarReq(@JsonProperty("StandardQuestionId") String standardQuestionId,
                                   @JsonProperty("SimilarQuestions") List<String> similarQuestions,
                                   @JsonProperty("RobotId") String robotId) {
    }

    public record BatchSetReq(@JsonProperty("StandardQuestionIds") List<String> standardQuestionIds,
                              @JsonProperty("Status") Integer status,
                              @JsonProperty("RobotId") String robotId) {
    }

    public record ListReq(@JsonProperty("PageIndex") Integer pageIndex,
                          @JsonProperty("PageSize") Integer pageSize,
                          @JsonProperty("Question") String question,
                          @JsonProperty("CategoryId") Long categoryId,
                          @JsonProperty("Status") Integer status,
                          @JsonProperty("LanguageTag") String languageTag,
                          @JsonProperty("RobotId") String robotId) {
    }

    public record QuestionItem(@JsonProperty("StandardQuestionId") String standardQuestionId,
                               @JsonProperty("StandardQuestion") String standardQuestion,
                               @JsonProperty("Status") int status,
                               @JsonProperty("CategoryId") long categoryId,
                               @JsonProperty("Answer") String answer,
                               @JsonProperty("AnswerType") int answerType,
                               @JsonProperty("QuestionType") int questionType,
                               @JsonProperty("SimilarQuestions") List<String> similarQuestions) {
    }

    public record ListResp(@JsonProperty("AllQuestionCount") long allQuestionCount,
                           @JsonProperty("StandardQuestionCount") long standardQuestionCount,
                           @JsonProperty("QuestionList") List<QuestionItem> questionList) {
    }

    public CommandHandler<AddQuestionReq> addQuestion(Library library) {
        return call -> {
            AddQuestionReq req = call.body();
            // the chitchat library has no languages: a LanguageTag sent to add_chitchat (the seed defines none) is ignored
            return new AddQuestionResp(knowledge.addQuestion(call.tenant(), robot(req.robotId()), library,
                    new KnowledgeService.NewQuestion(req.categoryId(), req.question(), req.answer(), req.answerType(),
                            req.similarQuestions(), library == Library.FAQ ? req.languageTag() : null)));
        };
    }

    public CommandHandler<UpdateQuestionReq> updateQuestion(Library library) {
        return call -> {
            UpdateQuestionReq req = call.body();
            knowledge.updateQuestion(call.tenant(), robot(req.robotId()), library, new KnowledgeService.QuestionChange(
                    req.standardQuestionId(), req.question(), req.answer(), req.answerType(), req.categoryId()));
            return null;
        };
    }

    public CommandHandler<UpdateSimilarReq> updateSimilar(Library library) {
        return call -> {
            UpdateSimilarReq req = call.body();
            knowledge.replaceSimilar(call.tenant(), robot(req.robotId()), library, req.standardQuestionId(),
                    req.similarQuestions());
            return null;
        };
    }

    public CommandHandler<BatchSetReq> batchSet(Library library) {
        return call -> {
            BatchSetReq req = call.body();
            knowledge.setStatus(call.tenant(), robot(req.robotId()), library, req.standardQuestionIds(), req.status());
            return null;
        };
    }

    public CommandHandler<ListReq> list(Library library) {
        return call -> {
            ListReq req = call.body();
            QuestionRepository.Page page = knowledge.list(call.tenant(), robot(req.robotId()), library,
                    new KnowledgeService.ListQuery(req.pageIndex(), req.pageSize(), req.question(), req.categoryId(),
                            req.status(), library == Library.FAQ ? req.languageTag() : null));
            return new ListResp(page.allCount(), page.standardCount(), page.questions().stream()
                    .map(q -> new QuestionItem(q.questionId(), q.question(), q.status(), q.categoryId(), q.answer(),
                            q.answerType(), q.questionType(), q.similar()))
                    .toList());
        };
    }

    static String robot(String robotId) {
        return robotId == null || robotId.isBlank() ? RobotService.DEFAULT_ROBOT : robotId.strip();
    }

    private static long required(Long value, String field) {
        if (value == null) {
            throw new InvalidRequest(field + " is required");
        }
        return value;
    }
}
