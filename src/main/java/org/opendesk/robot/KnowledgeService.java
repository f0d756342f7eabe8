package org.opendesk.robot;

import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.matching.Embedder;
import org.opendesk.matching.Vectors;
import org.opendesk.rest.Fields;
import org.opendesk.rest.InvalidRequest;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A robot's knowledge: FAQ and chitchat categories and their standard questions with
 * answers and similar questions. Every robot is born with the seed's preset categories
 * (全部分类 and 预设问答库 in its FAQ library; 系统预设分类 with 日常问候, 询问机器人信息,
 * 情绪表达, 兴趣爱好, 客服场景问答 in its chitchat library) and the preset chitchat library.
 * Writes take effect at once (the seed: REST changes go straight to production).
 */
public final class KnowledgeService {
    /** Category ids are per app and start here (the vendor's look five-digit). */
    static final long FIRST_CATEGORY_ID = 10_000;
    static final String ALL_CATEGORIES = "全部分类";
    static final String PRESET_FAQ = "预设问答库";
    static final String PRESET_CHITCHAT_ROOT = "系统预设分类";
    static final List<String> PRESET_CHITCHAT = List.of("日常问候", "询问机器人信息", "情绪表达", "兴趣爱好", "客服场景问答");
    public static final int MAX_TITLE_CHARS = 100;
    public static final int MAX_QUESTION_CHARS = 200;
    public static final int MAX_ANSWER_CHARS = 100_000;
    public static final int MAX_SIMILAR = 100;
    public static final int MAX_BATCH = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final KnowledgeRepository categories = new KnowledgeRepository();
    private final QuestionRepository questions = new QuestionRepository();
    private final RobotRepository robots = new RobotRepository();
    private final Clock clock;
    private final ChangeSignal changed;

    private final Embedder embedder;

    public KnowledgeService(Clock clock, ChangeSignal changed, Embedder embedder) {
        this.clock = clock;
        this.changed = changed;
        this.embedder = embedder;
    }

    /** The stored embeddings of these texts (computed now, so that no index rebuild must compute them again). */
    private Map<String, byte[]> embeddings(List<String> texts) {
        Map<String, byte[]> out = new HashMap<>();
        List<float[]> vectors = embedder.embedAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            out.put(texts.get(i), Vectors.encode(Embedder.spaceOf(texts.get(i)), vectors.get(i)));
        }
        return out;
    }

    /** Runs a knowledge write in one transaction, then tells the index (so the next question sees it). */
    private <T> T write(Tenant tenant, Function<TenantDb, T> work) {
        T result = tenant.db().inTransaction(work);
        changed.fire();
        return result;
    }

    /** After a robot-level write of {@link RobotService} (a robot created or deleted). */
    void signalChanged() {
        changed.fire();
    }

    /** The stored embeddings of every text of the preset chitchat library (computed once per process, then cached). */
    Map<String, byte[]> presetEmbeddings() {
        List<String> texts = new ArrayList<>();
        PresetChitchat.entries().forEach(e -> texts.addAll(Question.texts(e.question(), similar(e.similarQuestions(), e.question()))));
        return embeddings(texts);
    }

    /**
     * Creates the preset categories and the preset chitchat library of a new robot, inside its
     * transaction, with the embeddings from {@link #presetEmbeddings()} (computed before it).
     */
    void seedRobot(TenantDb tx, String robotId, Map<String, byte[]> presetEmbeddings) {
        long now = clock.millis();
        categories.insertCategory(tx, robotId, Library.FAQ, nextCategoryId(tx), 0, ALL_CATEGORIES, Category.ALL, now);
        categories.insertCategory(tx, robotId, Library.FAQ, nextCategoryId(tx), 0, PRESET_FAQ, Category.ORDINARY, now);
        long root = nextCategoryId(tx);
        categories.insertCategory(tx, robotId, Library.CHITCHAT, root, 0, PRESET_CHITCHAT_ROOT, Category.PRESET, now);
        categories.insertCategory(tx, robotId, Library.CHITCHAT, nextCategoryId(tx), 0, ALL_CATEGORIES, Category.ALL, now);
        Map<String, Long> presetIds = new HashMap<>();
        for (String title : PRESET_CHITCHAT) {
            long id = nextCategoryId(tx);
            categories.insertCategory(tx, robotId, Library.CHITCHAT, id, root, title, Category.PRESET, now);
            presetIds.put(title, id);
        }
        for (PresetChitchat.Entry e : PresetChitchat.entries()) {
            List<String> similar = similar(e.similarQuestions(), e.question());
            questions.insert(tx, new Question(newQuestionId(tx.sdkAppId(), robotId), robotId, Library.CHITCHAT,
                    Languages.DEFAULT, presetIds.get(e.category()), e.question(), e.answer(), Question.TEXT,
                    Question.PRESET, Question.LIVE, similar), presetEmbeddings, now);
        }
    }

    /** Removes a robot's knowledge: its questions become tombstones, its categories go. */
    void deleteRobotKnowledge(TenantDb tx, String robotId) {
        questions.deleteOfRobot(tx, robotId, clock.millis());
        categories.deleteAll(tx, robotId);
    }

    // ---- categories

    public List<Category> categories(Tenant tenant, String robotId, Library library) {
        requireRobot(tenant.db(), robotId);
        return categories.categories(tenant.db(), robotId, library);
    }

    /**
     * Adds an ordinary category, top-level or under a top-level ordinary one (the console
     * supports two levels; the preset tree and the "all" node take no children).
     */
    public long addCategory(Tenant tenant, String robotId, Library library, String title, long parentId) {
        String clean = Fields.text("Title", title, MAX_TITLE_CHARS);
        return tenant.db().inTransaction(tx -> {
            requireRobot(tx, robotId);
            if (parentId != 0) {
                Category parent = categories.findCategory(tx, robotId, library, parentId).orElseThrow(() ->
                        noCategory("ParentId", parentId, library, robotId));
                if (parent.parentId() != 0) {
                    throw new InvalidRequest("ParentId " + parentId + " is a second-level category; categories have at most two levels");
                }
                if (parent.isProtected()) {
                    throw new InvalidRequest("ParentId " + parentId + " (" + parent.title() + ") is a system category and takes no children");
                }
            }
            long id = nextCategoryId(tx);
            categories.insertCategory(tx, robotId, library, id, parentId, clean, Category.ORDINARY, clock.millis());
            return id;
        });
    }

    public void renameCategory(Tenant tenant, String robotId, Library library, long categoryId, String title) {
        String clean = Fields.text("Title", title, MAX_TITLE_CHARS);
        tenant.db().inTransaction(tx -> {
            Category category = changeable(tx, robotId, library, categoryId, "renamed");
            categories.renameCategory(tx, robotId, library, category.categoryId(), clean, clock.millis());
            return null;
        });
    }

    /** Deletes a category with its second-level categories and every question in them. */
    public void deleteCategory(Tenant tenant, String robotId, Library library, long categoryId) {
        write(tenant, tx -> {
            Category category = changeable(tx, robotId, library, categoryId, "deleted");
            questions.deleteInCategoryTree(tx, robotId, library, category.categoryId(), clock.millis());
            categories.deleteCategoryTree(tx, robotId, library, category.categoryId());
            return null;
        });
    }

    private Category changeable(TenantDb db, String robotId, Library library, long categoryId, String verb) {
        requireRobot(db, robotId);
        Category category = categories.findCategory(db, robotId, library, categoryId).orElseThrow(() ->
                noCategory("CategoryId", categoryId, library, robotId));
        if (category.isProtected()) {
            throw new DeskException(DeskError.ROBOT_PRESET_CATEGORY, "category " + categoryId + " (" + category.title()
                    + ") is a system " + (category.menuType() == Category.ALL ? "node" : "preset category") + " and cannot be " + verb);
        }
        return category;
    }

    // ---- questions

    /** What add_faq / add_chitchat carry. */
    public record NewQuestion(Long categoryId, String question, String answer, Integer answerType,
                              List<String> similarQuestions, String languageTag) {
    }

    /** Adds a standard question with its similar questions; answers its StandardQuestionId. */
    public String addQuestion(Tenant tenant, String robotId, Library library, NewQuestion req) {
        String question = Fields.text("Question", req.question(), MAX_QUESTION_CHARS);
        String answer = Fields.text("Answer", req.answer(), MAX_ANSWER_CHARS);
        int answerType = answerType(req.answerType(), Question.TEXT);
        List<String> similar = similar(req.similarQuestions(), question);
        String lang = Languages.tag(req.languageTag());
        if (req.categoryId() == null) {
            throw new InvalidRequest("CategoryId is required: the " + library.label() + " category to add the question to");
        }
        Map<String, byte[]> embeddings = embeddings(Question.texts(question, similar));
        return write(tenant, tx -> {
            requireRobot(tx, robotId);
            requireLanguage(tx, robotId, lang);
            requireQuestionCategory(tx, robotId, library, req.categoryId());
            requireUniqueText(tx, robotId, library, lang, question, null);
            String id = newQuestionId(tx.sdkAppId(), robotId);
            questions.insert(tx, new Question(id, robotId, library, lang, req.categoryId(), question, answer, answerType,
                    Question.ORDINARY, Question.LIVE, similar), embeddings, clock.millis());
            return id;
        });
    }

    /** What update_faq / update_chitchat carry: empty or absent fields keep their values. */
    public record QuestionChange(String questionId, String question, String answer, Integer answerType, Long categoryId) {
    }

    public void updateQuestion(Tenant tenant, String robotId, Library library, QuestionChange req) {
        String id = questionId(req.questionId());
        String newText = blank(req.question()) ? null : Fields.text("Question", req.question(), MAX_QUESTION_CHARS);
        byte[] newEmbedding = newText == null ? null : embeddings(List.of(newText)).get(newText);
        write(tenant, tx -> {
            Question q = requireQuestion(tx, robotId, library, id, true);
            String question = newText == null ? q.question() : newText;
            String answer = blank(req.answer()) ? q.answer() : Fields.text("Answer", req.answer(), MAX_ANSWER_CHARS);
            int answerType = answerType(req.answerType(), q.answerType());
            long category = req.categoryId() == null || req.categoryId() == 0 ? q.categoryId() : req.categoryId();
            if (category != q.categoryId()) {
                Category target = requireQuestionCategory(tx, robotId, library, category);
                if (q.questionType() == Question.PRESET && target.menuType() != Category.PRESET) {
                    throw new DeskException(DeskError.ROBOT_PRESET_CATEGORY, "system preset question " + id
                            + " stays in the preset categories (it can be edited or disabled, not moved out and deleted)");
                }
            }
            if (!question.equals(q.question())) {
                requireUniqueText(tx, robotId, library, q.languageTag(), question, id);
            }
            questions.update(tx, new Question(id, robotId, library, q.languageTag(), category, question, answer, answerType,
                    q.questionType(), q.status(), q.similar()), newEmbedding, clock.millis());
            return null;
        });
    }

    /** Replaces the similar questions of a standard question; an empty list clears them. */
    public void replaceSimilar(Tenant tenant, String robotId, Library library, String questionId, List<String> similarQuestions) {
        String id = questionId(questionId);
        if (similarQuestions == null) {
            throw new InvalidRequest("SimilarQuestions is required: the complete new list (an empty array clears it)");
        }
        List<String> cleaned = similar(similarQuestions, null);
        Map<String, byte[]> embeddings = embeddings(cleaned);
        write(tenant, tx -> {
            Question q = requireQuestion(tx, robotId, library, id, true);
            questions.replaceSimilar(tx, id, similar(cleaned, q.question()), embeddings, clock.millis());
            return null;
        });
    }

    /**
     * Sets the status of several standard questions: 4 live, 5 disabled, 6 deleted. All or
     * nothing: an id that names no question of this library fails the whole call.
     */
    public void setStatus(Tenant tenant, String robotId, Library library, List<String> ids, Integer status) {
        if (ids == null || ids.isEmpty()) {
            throw new InvalidRequest("StandardQuestionIds is required: a non-empty array of StandardQuestionId");
        }
        if (ids.size() > MAX_BATCH) {
            throw new InvalidRequest("StandardQuestionIds has " + ids.size() + " ids; at most " + MAX_BATCH + " per call");
        }
        if (status == null || status < Question.LIVE || status > Question.DELETED) {
            throw new InvalidRequest("Status must be 4 (live), 5 (disabled) or 6 (deleted), got " + status);
        }
        List<String> unique = List.copyOf(new LinkedHashSet<>(ids.stream().map(KnowledgeService::questionId).toList()));
        write(tenant, tx -> {
            requireRobot(tx, robotId);
            Map<String, Integer> found = questions.existing(tx, robotId, library, unique);
            if (found.size() != unique.size()) {
                List<String> missing = unique.stream().filter(i -> !found.containsKey(i)).toList();
                throw new InvalidRequest("no " + library.label() + " question of robot " + robotId + " has StandardQuestionId "
                        + String.join(", ", missing));
            }
            if (status == Question.DELETED) {
                List<String> preset = unique.stream().filter(i -> found.get(i) == Question.PRESET).toList();
                if (!preset.isEmpty()) {
                    throw new DeskException(DeskError.ROBOT_PRESET_CATEGORY, "system preset questions can be edited or"
                            + " disabled (Status 5) but not deleted: " + String.join(", ", preset));
                }
            }
            questions.setStatus(tx, robotId, library, unique, status, clock.millis());
            return null;
        });
    }

    /** What list_faq / list_chitchat filter on. */
    public record ListQuery(Integer pageIndex, Integer pageSize, String question, Long categoryId, Integer status,
                            String languageTag) {
    }

    public QuestionRepository.Page list(Tenant tenant, String robotId, Library library, ListQuery req) {
        int pageIndex = positive("PageIndex", req.pageIndex());
        int pageSize = positive("PageSize", req.pageSize());
        if (pageSize > MAX_PAGE_SIZE) {
            throw new InvalidRequest("PageSize must be at most " + MAX_PAGE_SIZE + ", got " + pageSize);
        }
        int status = req.status() == null ? 0 : req.status();
        if (status != 0 && status != Question.LIVE && status != Question.DISABLED) {
            throw new InvalidRequest("Status must be 4 (live) or 5 (disabled) when given, got " + status);
        }
        String lang = Languages.tag(req.languageTag());
        TenantDb db = tenant.db();
        requireRobot(db, robotId);
        requireLanguage(db, robotId, lang);
        long category = req.categoryId() == null ? 0 : req.categoryId();
        if (category != 0) {
            Category c = categories.findCategory(db, robotId, library, category).orElseThrow(() ->
                    noCategory("CategoryId", req.categoryId(), library, robotId));
            if (c.menuType() == Category.ALL) {
                category = 0;
            }
        }
        String keyword = req.question() == null ? null : req.question().strip();
        return questions.list(db, new QuestionRepository.Filter(robotId, library, lang, keyword, category, status),
                pageIndex, pageSize);
    }

    long countInLanguage(TenantDb db, String robotId, String languageTag) {
        return questions.countInLanguage(db, robotId, languageTag);
    }

    // ---- checks

    private Question requireQuestion(TenantDb db, String robotId, Library library, String id, boolean lock) {
        requireRobot(db, robotId);
        return questions.find(db, id, lock).filter(q -> q.robotId().equals(robotId) && q.library() == library).orElseThrow(() ->
                new InvalidRequest("no " + library.label() + " question of robot " + robotId + " has StandardQuestionId " + id));
    }

    private Category requireQuestionCategory(TenantDb db, String robotId, Library library, long categoryId) {
        Category c = categories.findCategory(db, robotId, library, categoryId).orElseThrow(() ->
                noCategory("CategoryId", categoryId, library, robotId));
        if (c.menuType() == Category.ALL) {
            throw new InvalidRequest("CategoryId " + categoryId + " is the \"" + c.title() + "\" node; choose a real category");
        }
        return c;
    }

    private void requireUniqueText(TenantDb db, String robotId, Library library, String lang, String question, String exceptId) {
        questions.findText(db, robotId, library, lang, question, exceptId).ifPresent(existing -> {
            throw new InvalidRequest("the " + library.label() + " library already has the question \"" + question
                    + "\" (StandardQuestionId " + existing + "); update that one or add this text as a similar question");
        });
    }

    private static InvalidRequest noCategory(String field, long id, Library library, String robotId) {
        return new InvalidRequest(field + " " + id + " is not a " + library.label() + " category of robot " + robotId);
    }

    void requireRobot(TenantDb db, String robotId) {
        if (robots.find(db, robotId).isEmpty()) {
            throw new InvalidRequest("RobotId " + robotId + " does not exist (desk_get_robot_list lists the robots)");
        }
    }

    void requireLanguage(TenantDb db, String robotId, String tag) {
        if (robots.languages(db, robotId).stream().noneMatch(l -> l.tag().equals(tag))) {
            throw new InvalidRequest("LanguageTag \"" + tag + "\" is not a language of robot " + robotId
                    + "; add it with robot_add_language first (supported: " + String.join(", ", Languages.SUPPORTED) + ")");
        }
    }

    // ---- values

    private static long nextCategoryId(TenantDb db) {
        return db.nextId("kb_category", FIRST_CATEGORY_ID);
    }

    /** The vendor's shape: {@code <SDKAppID>-<RobotId>-<16 random characters>}. */
    private static String newQuestionId(long sdkAppId, String robotId) {
        StringBuilder id = new StringBuilder().append(sdkAppId).append('-').append(robotId).append('-');
        for (int i = 0; i < 16; i++) {
            id.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    private static String questionId(String raw) {
        if (blank(raw)) {
            throw new InvalidRequest("StandardQuestionId is required");
        }
        return raw.strip();
    }

    /** Cleans similar questions: trimmed, non-empty, no duplicates, not the standard question itself. */
    private static List<String> similar(List<String> raw, String standard) {
        if (raw == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String s = Fields.text("SimilarQuestions[" + i + "]", raw.get(i), MAX_QUESTION_CHARS);
            if (!s.equals(standard) && out.add(s) && out.size() > MAX_SIMILAR) {
                throw new InvalidRequest("SimilarQuestions has more than " + MAX_SIMILAR + " different questions");
            }
        }
        return List.copyOf(out);
    }

    private static int answerType(Integer raw, int otherwise) {
        if (raw == null) {
            return otherwise;
        }
        if (raw != Question.TEXT && raw != Question.RICH_TEXT) {
            throw new InvalidRequest("AnswerType must be 0 (plain text) or 2 (rich text), got " + raw);
        }
        return raw;
    }

    private static int positive(String field, Integer value) {
        if (value == null || value <= 0) {
            throw new InvalidRequest(field + " is required and must be greater than 0" + (value == null ? "" : ", got " + value));
        }
        return value;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

}
