package org.opendesk.robot;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.opendesk.rest.Call;
import org.opendesk.rest.CommandHandler;
import org.opendesk.rest.InvalidRequest;

import java.util.List;

/**
 * The knowledge-base commands of openim_console_http_svc: request and response shapes
 * with the seed's field names, shared by the FAQ and chitchat libraries. Every request
 * may name a robot with the extension field {@code RobotId}; it defaults to the app's
 * default robot.
 */
public final class KnowledgeCommands {
    private final KnowledgeService knowledge;

    public KnowledgeCommands(KnowledgeService knowledge) {
        this.knowledge = knowledge;
    }

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

    private static String robot(String robotId) {
        return robotId == null || robotId.isBlank() ? KnowledgeService.DEFAULT_ROBOT : robotId;
    }

    private static long required(Long value, String field) {
        if (value == null) {
            throw new InvalidRequest(field + " is required");
        }
        return value;
    }
}
