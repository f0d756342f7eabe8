package org.opendesk.robot;

import org.opendesk.matching.Candidate;
import org.opendesk.matching.MatchIndex;
import org.opendesk.matching.Suggestion;
import org.opendesk.rest.Fields;
import org.opendesk.rest.InvalidRequest;
import org.opendesk.storage.Params;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;

/**
 * The standard Q&A robot's decision (the seed's 问答策略, rules.md section 2): a wish to
 * reach a human when ToAgentEnable is on; else the best FAQ answer when its similarity
 * reaches DirectAnsweringReaches; else, with ChitchatEnable, the best chitchat answer when
 * it reaches ChitchatReaches; else, with ClarifyEnable, the FAQ questions whose similarity
 * exceeds ClarifyReaches (at most ClarifyNumber); else the fallback message. Questions that
 * end in clarify or fallback are recorded for knowledge-base optimisation.
 */
public final class AnswerService {
    private static final Logger LOG = Logger.getLogger(AnswerService.class.getName());
    public static final int MAX_QUESTION_CHARS = 500;
    public static final int MAX_TOP_N = 20;
    private static final String RECORD = "INSERT INTO robot_unanswered (sdkappid, robot_id, language_tag, question, reply_type, "
            + "best_question, best_similarity, source, created_at) VALUES (:sdkappid, :robot, :lang, :question, :type, "
            + ":best, :similarity, :source, :now)";

    public enum ReplyType {
        FAQ("FAQ"), CHITCHAT("Chitchat"), CLARIFY("Clarify"), FALLBACK("Fallback"), TO_AGENT("ToAgent");

        private final String wire;

        ReplyType(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** A candidate with the library it came from. */
    public record Ranked(Library library, Candidate candidate) {
    }

    /**
     * The robot's reply. {@code answer} is the FAQ/chitchat answer, the clarify message or the
     * fallback message; {@code clarify} the questions offered when clarifying.
     */
    public record Reply(ReplyType type, String answer, int answerType, String questionId, List<String> clarify,
                        List<Ranked> candidates, Unanswered unanswered) {
        Reply(ReplyType type, String answer, int answerType, String questionId, List<String> clarify,
              List<Ranked> candidates) {
            this(type, answer, answerType, questionId, clarify, candidates, null);
        }
    }

    /** A question the robot could not answer directly, to record for knowledge-base optimisation. */
    public record Unanswered(String robotId, String languageTag, String question, ReplyType type, Candidate best,
                             String source) {
    }

    private final RobotService robots;
    private final KnowledgeIndex index;
    private final ToAgentIntent toAgent;
    private final Clock clock;

    public AnswerService(RobotService robots, KnowledgeIndex index, ToAgentIntent toAgent, Clock clock) {
        this.robots = robots;
        this.index = index;
        this.toAgent = toAgent;
        this.clock = clock;
    }

    /**
     * Answers a question as the robot would in a conversation.
     *
     * @param topN how many ranked candidates to return (for the console's online test)
     * @param source recorded with unanswered questions: "test" or "session"
     */
    public Reply answer(Tenant tenant, String robotId, String languageTag, String question, int topN, String source) {
        Reply reply = decide(tenant, robotId, languageTag, question, topN, source);
        if (reply.unanswered() != null) {
            record(tenant, reply.unanswered());
        }
        return reply;
    }

    /**
     * The robot's decision without recording anything: a Clarify or Fallback reply carries the
     * {@link Unanswered} record for the caller to write with {@link #record(TenantDb, Unanswered)},
     * in its own transaction (a conversation writes it with the reply).
     */
    public Reply decide(Tenant tenant, String robotId, String languageTag, String question, int topN, String source) {
        String text = Fields.text("Question", question, MAX_QUESTION_CHARS);
        String lang = Languages.tag(languageTag);
        RobotConfig config = robots.liveConfig(tenant, robotId, lang);
        MatchIndex.Query query = index.analyse(text);
        int wanted = Math.max(topN, config.clarifyNumber());
        List<Candidate> faq = index.match(tenant, robotId, lang, Library.FAQ, query, wanted);
        List<Candidate> chat = config.chitchatEnable() == 1
                ? index.match(tenant, robotId, Languages.DEFAULT, Library.CHITCHAT, query, wanted) : List.of();
        List<Ranked> ranked = new ArrayList<>();
        faq.forEach(c -> ranked.add(new Ranked(Library.FAQ, c)));
        chat.forEach(c -> ranked.add(new Ranked(Library.CHITCHAT, c)));
        ranked.sort(Comparator.comparingDouble((Ranked r) -> r.candidate().similarity()).reversed());
        List<Ranked> shown = ranked.subList(0, Math.min(topN, ranked.size()));

        if (config.toAgentEnable() == 1 && toAgent.match(query) != null) {
            return new Reply(ReplyType.TO_AGENT, "", Question.TEXT, null, List.of(), shown);
        }
        double sFaq = faq.isEmpty() ? 0 : faq.get(0).similarity();
        if (!faq.isEmpty() && sFaq >= config.directAnsweringReaches().doubleValue()) {
            Candidate best = faq.get(0);
            return new Reply(ReplyType.FAQ, best.answer(), best.answerType(), best.id(), List.of(), shown);
        }
        if (config.chitchatEnable() == 1 && !chat.isEmpty()
                && chat.get(0).similarity() >= config.chitchatReaches().doubleValue()) {
            Candidate best = chat.get(0);
            return new Reply(ReplyType.CHITCHAT, best.answer(), best.answerType(), best.id(), List.of(), shown);
        }
        double clarifyFloor = config.clarifyReaches().doubleValue();
        if (config.clarifyEnable() == 1 && sFaq > clarifyFloor) {
            List<String> offered = faq.stream().filter(c -> c.similarity() > clarifyFloor).limit(config.clarifyNumber())
                    .map(Candidate::standard).toList();
            return new Reply(ReplyType.CLARIFY, config.clarifyMessage(), Question.TEXT, null, offered, shown,
                    new Unanswered(robotId, lang, text, ReplyType.CLARIFY, faq.get(0), source));
        }
        return new Reply(ReplyType.FALLBACK, config.fallbackMsg(), Question.TEXT, null, List.of(), shown,
                new Unanswered(robotId, lang, text, ReplyType.FALLBACK, faq.isEmpty() ? null : faq.get(0), source));
    }

    /** Input guidance (输入联想): FAQ questions containing what the user has typed so far. */
    public List<Suggestion> suggest(Tenant tenant, String robotId, String languageTag, String typed, int limit) {
        String text = Fields.text("Question", typed, MAX_QUESTION_CHARS);
        String lang = Languages.tag(languageTag);
        robots.config(tenant, robotId, lang); // the robot and the language must exist
        return index.suggest(tenant, robotId, lang, Library.FAQ, text, limit);
    }

    /** Records a question for optimisation; a failure to record never fails the answer. */
    private void record(Tenant tenant, Unanswered u) {
        try {
            record(tenant.db(), u);
        } catch (RuntimeException e) {
            LOG.warning("could not record an unanswered question of app " + tenant.sdkAppId() + ": " + e.getMessage());
        }
    }

    /** Writes an unanswered question, in the caller's transaction when it has one. */
    public void record(TenantDb db, Unanswered u) {
        db.dml("unanswered-insert", RECORD, Params.of("robot", u.robotId(), "lang", u.languageTag(), "question", u.question())
                .put("type", u.type().wire()).put("best", u.best() == null ? "" : u.best().id())
                .put("similarity", u.best() == null ? 0.0 : u.best().similarity()).put("source", u.source())
                .put("now", clock.millis()));
    }

    static int topN(Integer raw) {
        return bounded("TopN", raw, 5);
    }

    static int limit(Integer raw) {
        return bounded("Limit", raw, 10);
    }

    private static int bounded(String field, Integer raw, int otherwise) {
        if (raw == null) {
            return otherwise;
        }
        if (raw < 1 || raw > MAX_TOP_N) {
            throw new InvalidRequest(field + " must be between 1 and " + MAX_TOP_N + ", got " + raw);
        }
        return raw;
    }
}
