package org.opendesk.robot;

import io.helidon.dbclient.DbRow;
import org.opendesk.storage.Params;
import org.opendesk.storage.Sql;
import org.opendesk.tenant.TenantDb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/** SQL for standard and similar questions, next to its row mapping. */
final class QuestionRepository {
    /**
     * Every change moves a question's updated_at forwards, at least by 1 ms, even when two
     * changes fall in the same millisecond: the knowledge feed tells changes apart by it.
     */
    private static final String NEXT_UPDATED_AT = "GREATEST(:now, updated_at + 1)";
    /** Stored when a text has no embedding yet (the index computes it). */
    private static final byte[] NO_EMBEDDING = new byte[0];
    private static final String FIELDS = "SELECT q.question_id, q.robot_id, q.library, q.language_tag, q.category_id, "
            + "q.question, q.answer, q.answer_type, q.question_type, q.status";
    private static final String COLUMNS = FIELDS + " FROM kb_question q ";
    private static final String INSERT = "INSERT INTO kb_question (sdkappid, question_id, robot_id, library, language_tag, "
            + "category_id, question, answer, answer_type, question_type, status, embedding, created_at, updated_at) VALUES ("
            + ":sdkappid, :id, :robot, :library, :lang, :category, :question, :answer, :answerType, :questionType, :status, "
            + ":embedding, :now, :now)";
    private static final String FIND = COLUMNS + "WHERE q.sdkappid = :sdkappid AND q.question_id = :id AND q.status <> 6";
    private static final String FIND_TEXT = "SELECT question_id FROM kb_question WHERE sdkappid = :sdkappid "
            + "AND robot_id = :robot AND library = :library AND language_tag = :lang AND question = :question "
            + "AND status <> 6 AND question_id <> :except";
    private static final String UPDATE = "UPDATE kb_question SET question = :question, answer = :answer, "
            + "answer_type = :answerType, category_id = :category, embedding = COALESCE(:embedding, embedding), "
            + "updated_at = " + NEXT_UPDATED_AT + " "
            + "WHERE sdkappid = :sdkappid AND question_id = :id";
    private static final String TOUCH = "UPDATE kb_question SET updated_at = " + NEXT_UPDATED_AT
            + " WHERE sdkappid = :sdkappid AND question_id = :id";
    private static final String SIMILAR_DELETE = "DELETE FROM kb_similar WHERE sdkappid = :sdkappid AND question_id = :id";
    private static final String DELETE_IN_CATEGORIES = "UPDATE kb_question SET status = 6, updated_at = " + NEXT_UPDATED_AT + " "
            + "WHERE sdkappid = :sdkappid AND robot_id = :robot AND library = :library AND status <> 6 AND category_id IN "
            + "(SELECT category_id FROM kb_category WHERE sdkappid = :sdkappid AND robot_id = :robot "
            + "AND library = :library AND (category_id = :category OR parent_id = :category))";
    private static final String DELETE_OF_ROBOT = "UPDATE kb_question SET status = 6, updated_at = " + NEXT_UPDATED_AT + " "
            + "WHERE sdkappid = :sdkappid AND robot_id = :robot AND status <> 6";
    private static final String COUNT_LANGUAGE = "SELECT COUNT(*) AS n FROM kb_question WHERE sdkappid = :sdkappid "
            + "AND robot_id = :robot AND language_tag = :lang AND status <> 6";

    /**
     * Inserts a question with its similar questions. {@code embeddings} holds the stored
     * embedding of each text (absent ones are computed when the index needs them).
     */
    void insert(TenantDb db, Question q, Map<String, byte[]> embeddings, long now) {
        db.dml("question-insert", INSERT, Params.of("id", q.questionId(), "robot", q.robotId(), "library", q.library().code())
                .put("lang", q.languageTag()).put("category", q.categoryId()).put("question", q.question())
                .put("answer", q.answer()).put("answerType", q.answerType()).put("questionType", q.questionType())
                .put("status", q.status()).put("embedding", embeddings.getOrDefault(q.question(), NO_EMBEDDING)).put("now", now));
        insertSimilar(db, q.questionId(), q.similar(), embeddings);
    }

    /** Replaces the similar questions of a question (one multi-row INSERT). */
    void replaceSimilar(TenantDb db, String questionId, List<String> similar, Map<String, byte[]> embeddings, long now) {
        db.dml("similar-delete", SIMILAR_DELETE, Params.of("id", questionId));
        insertSimilar(db, questionId, similar, embeddings);
        db.dml("question-touch", TOUCH, Params.of("id", questionId, "now", now));
    }

    private void insertSimilar(TenantDb db, String questionId, List<String> similar, Map<String, byte[]> embeddings) {
        if (similar.isEmpty()) {
            return;
        }
        StringJoiner rows = new StringJoiner(", ",
                "INSERT INTO kb_similar (sdkappid, question_id, ordinal, similar_text, embedding) VALUES ", "");
        Params params = Params.of("id", questionId);
        for (int i = 0; i < similar.size(); i++) {
            rows.add("(:sdkappid, :id, " + i + ", :s" + i + ", :e" + i + ")");
            params.put("s" + i, similar.get(i)).put("e" + i, embeddings.getOrDefault(similar.get(i), NO_EMBEDDING));
        }
        db.dml("similar-insert", rows.toString(), params);
    }

    /** A question as the index needs it: in any status, with the stored embedding of each of its texts. */
    record Stored(Question question, long updatedAt, Map<String, byte[]> embeddings) {
    }

    /**
     * The questions at these feed positions ({@code seq}, their unique key: an IN list on it
     * uses that index on H2 and MariaDB alike), with their similar questions when live.
     */
    List<Stored> forIndex(TenantDb db, List<Long> seqs) {
        if (seqs.isEmpty()) {
            return List.of();
        }
        Params p = Sql.listParams(Params.of(), "s", seqs);
        String in = Sql.inList("s", seqs.size());
        Map<String, Question> byId = new LinkedHashMap<>();
        Map<String, Long> updatedAt = new HashMap<>();
        Map<String, Map<String, byte[]>> embeddings = new HashMap<>();
        db.list("question-for-index", FIELDS + ", q.updated_at, q.embedding FROM kb_question q "
                + "WHERE q.sdkappid = :sdkappid AND q.seq IN " + in, p, row -> {
                    Question q = question(row);
                    byId.put(q.questionId(), q);
                    updatedAt.put(q.questionId(), Sql.longValue(row, "updated_at"));
                    embeddings.computeIfAbsent(q.questionId(), k -> new HashMap<>()).put(q.question(), bytes(row));
                    return q;
                });
        Map<String, List<String>> similar = new HashMap<>();
        db.list("similar-for-index", "SELECT s.question_id, s.similar_text, s.embedding FROM kb_question q "
                + "JOIN kb_similar s ON s.sdkappid = q.sdkappid AND s.question_id = q.question_id "
                + "WHERE q.sdkappid = :sdkappid AND q.status = 4 AND q.seq IN " + in + " ORDER BY s.question_id, s.ordinal",
                p, row -> {
                    String id = Sql.string(row, "question_id");
                    String text = Sql.string(row, "similar_text");
                    similar.computeIfAbsent(id, k -> new ArrayList<>()).add(text);
                    embeddings.computeIfAbsent(id, k -> new HashMap<>()).put(text, bytes(row));
                    return id;
                });
        return byId.values().stream().map(q -> new Stored(q.withSimilar(similar.getOrDefault(q.questionId(), List.of())),
                updatedAt.get(q.questionId()), embeddings.getOrDefault(q.questionId(), Map.of()))).toList();
    }

    /** The feed positions of the live questions of one index scope (for a rebuild of that scope). */
    List<Long> liveSeqs(TenantDb db, String robotId, String languageTag, Library library) {
        return db.list("question-live-seqs", "SELECT seq FROM kb_question WHERE sdkappid = :sdkappid AND robot_id = :robot "
                + "AND library = :library AND language_tag = :lang AND status = 4 ORDER BY seq",
                Params.of("robot", robotId, "library", library.code(), "lang", languageTag), row -> Sql.longValue(row, "seq"));
    }

    private static byte[] bytes(DbRow row) {
        // the column is NOT NULL DEFAULT X'': an empty array stands for "none stored"
        return Sql.value(row, "embedding") instanceof byte[] b && b.length > 0 ? b : null;
    }

    Optional<Question> find(TenantDb db, String questionId) {
        return find(db, questionId, false);
    }

    /** With {@code lock}, the row stays locked until the transaction ends, so concurrent edits queue up. */
    Optional<Question> find(TenantDb db, String questionId, boolean lock) {
        return db.one(lock ? "question-find-lock" : "question-find", lock ? FIND + " FOR UPDATE" : FIND,
                        Params.of("id", questionId), QuestionRepository::question)
                .map(q -> q.withSimilar(similarOf(db, List.of(q.questionId())).getOrDefault(q.questionId(), List.of())));
    }

    /** The id of another undeleted question of the same library and language with exactly this text. */
    Optional<String> findText(TenantDb db, String robotId, Library library, String languageTag, String question,
                              String exceptId) {
        return db.one("question-find-text", FIND_TEXT, Params.of("robot", robotId, "library", library.code(), "lang", languageTag)
                .put("question", question).put("except", exceptId == null ? "" : exceptId), row -> Sql.string(row, "question_id"));
    }

    void update(TenantDb db, Question q, byte[] embedding, long now) {
        db.dml("question-update", UPDATE, Params.of("id", q.questionId(), "question", q.question(), "answer", q.answer())
                .put("answerType", q.answerType()).put("category", q.categoryId()).put("embedding", embedding).put("now", now));
    }

    /** Sets the status of the given questions of one robot and library; answers how many rows changed. */
    long setStatus(TenantDb db, String robotId, Library library, List<String> ids, int status, long now) {
        String sql = "UPDATE kb_question SET status = :status, updated_at = " + NEXT_UPDATED_AT + " WHERE sdkappid = :sdkappid "
                + "AND robot_id = :robot AND library = :library AND status <> 6 AND question_id IN " + Sql.inList("q", ids.size());
        return db.dml("question-set-status", sql, Sql.listParams(Params.of("status", status, "now", now, "robot", robotId)
                .put("library", library.code()), "q", ids));
    }

    /** The ids among {@code ids} that are undeleted questions of this robot and library, with their QuestionType. */
    Map<String, Integer> existing(TenantDb db, String robotId, Library library, List<String> ids) {
        String sql = "SELECT question_id, question_type FROM kb_question WHERE sdkappid = :sdkappid AND robot_id = :robot "
                + "AND library = :library AND status <> 6 AND question_id IN " + Sql.inList("q", ids.size());
        Map<String, Integer> out = new HashMap<>();
        db.list("question-existing", sql, Sql.listParams(Params.of("robot", robotId, "library", library.code()), "q", ids),
                row -> out.put(Sql.string(row, "question_id"), Sql.intValue(row, "question_type")));
        return out;
    }

    /** Marks the questions of a category and of its second-level categories deleted (before the categories go). */
    void deleteInCategoryTree(TenantDb db, String robotId, Library library, long categoryId, long now) {
        db.dml("question-delete-category", DELETE_IN_CATEGORIES, Params.of("robot", robotId, "library", library.code(),
                "category", categoryId).put("now", now));
    }

    void deleteOfRobot(TenantDb db, String robotId, long now) {
        db.dml("question-delete-robot", DELETE_OF_ROBOT, Params.of("robot", robotId, "now", now));
    }

    long countInLanguage(TenantDb db, String robotId, String languageTag) {
        return db.one("question-count-language", COUNT_LANGUAGE, Params.of("robot", robotId, "lang", languageTag),
                row -> Sql.longValue(row, "n")).orElse(0L);
    }

    /** A filter of list_faq / list_chitchat. {@code categoryId} 0 = every category; {@code status} 0 = live and disabled. */
    record Filter(String robotId, Library library, String languageTag, String keyword, long categoryId, int status) {
    }

    record Page(long standardCount, long allCount, List<Question> questions) {
    }

    Page list(TenantDb db, Filter f, int pageIndex, int pageSize) {
        StringBuilder where = new StringBuilder("WHERE q.sdkappid = :sdkappid AND q.robot_id = :robot AND q.library = :library "
                + "AND q.language_tag = :lang");
        Params p = Params.of("robot", f.robotId(), "library", f.library().code(), "lang", f.languageTag());
        if (f.status() == 0) {
            where.append(" AND q.status IN (4, 5)");
        } else {
            where.append(" AND q.status = :status");
            p.put("status", f.status());
        }
        if (f.keyword() != null && !f.keyword().isEmpty()) {
            where.append(" AND LOWER(q.question) LIKE :kw");
            p.put("kw", "%" + likeEscape(f.keyword().toLowerCase(Locale.ROOT)) + "%");
        }
        if (f.categoryId() != 0) {
            where.append(" AND q.category_id IN (SELECT category_id FROM kb_category WHERE sdkappid = :sdkappid "
                    + "AND robot_id = :robot AND library = :library AND (category_id = :category OR parent_id = :category))");
            p.put("category", f.categoryId());
        }
        long standard = db.one("question-list-count", "SELECT COUNT(*) AS n FROM kb_question q " + where, p,
                row -> Sql.longValue(row, "n")).orElse(0L);
        long similar = db.one("question-list-count-similar", "SELECT COUNT(*) AS n FROM kb_similar s JOIN kb_question q "
                + "ON q.sdkappid = s.sdkappid AND q.question_id = s.question_id " + where, p,
                row -> Sql.longValue(row, "n")).orElse(0L);
        p.put("offset", (long) (pageIndex - 1) * pageSize).put("limit", pageSize);
        List<Question> page = db.list("question-list", COLUMNS + where + " ORDER BY q.seq LIMIT :limit OFFSET :offset", p,
                QuestionRepository::question);
        Map<String, List<String>> similarById = similarOf(db, page.stream().map(Question::questionId).toList());
        List<Question> withSimilar = page.stream()
                .map(q -> q.withSimilar(similarById.getOrDefault(q.questionId(), List.of()))).toList();
        return new Page(standard, standard + similar, withSimilar);
    }

    /** The similar questions of the given question ids, in their order. */
    Map<String, List<String>> similarOf(TenantDb db, List<String> ids) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        String sql = "SELECT question_id, similar_text FROM kb_similar WHERE sdkappid = :sdkappid AND question_id IN "
                + Sql.inList("q", ids.size()) + " ORDER BY question_id, ordinal";
        db.list("similar-of", sql, Sql.listParams(Params.of(), "q", ids), row -> new String[]{
                Sql.string(row, "question_id"), Sql.string(row, "similar_text")})
                .forEach(pair -> out.computeIfAbsent(pair[0], k -> new ArrayList<>()).add(pair[1]));
        return out;
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static Question question(DbRow row) {
        return new Question(Sql.string(row, "question_id"), Sql.string(row, "robot_id"),
                Library.of(Sql.intValue(row, "library")), Sql.string(row, "language_tag"), Sql.longValue(row, "category_id"),
                Sql.string(row, "question"), Sql.string(row, "answer"), Sql.intValue(row, "answer_type"),
                Sql.intValue(row, "question_type"), Sql.intValue(row, "status"), List.of());
    }
}
