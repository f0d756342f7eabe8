package org.opendesk.robot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.json.Json;
import org.opendesk.rest.Fields;
import org.opendesk.rest.InvalidRequest;
import org.opendesk.storage.ShortCache;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;
import org.opendesk.tenant.TenantSeeder;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Robots, their languages and their per-language basic configuration. Every app has the
 * default robot {@value #DEFAULT_ROBOT} from the start; desk_add_robot adds more, each with
 * its own knowledge, languages and configuration.
 */
public final class RobotService implements TenantSeeder {
    public static final String DEFAULT_ROBOT = "@RBT#DeskDefaultRobot";
    public static final String DEFAULT_NICK = "智能客服机器人";
    public static final int MAX_NICK_CHARS = 50;
    /** Robots per app; the seed states no limit, this one keeps a runaway script from filling the database. */
    public static final int MAX_ROBOTS = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RobotRepository robots = new RobotRepository();
    private final KnowledgeService knowledge;
    private final Clock clock;
    private final ShortCache<String, RobotConfig> liveConfigs = new ShortCache<>(1_000, 10_000);

    public RobotService(KnowledgeService knowledge, Clock clock) {
        this.knowledge = knowledge;
        this.clock = clock;
    }

    @Override
    public void seed(Tenant tenant) {
        createRobot(tenant.db(), DEFAULT_ROBOT, DEFAULT_NICK, true);
    }

    /** Creates a robot with its default language, configuration and preset knowledge; false when it exists. */
    private boolean createRobot(TenantDb db, String robotId, String nick, boolean isDefault) {
        if (robots.find(db, robotId).isPresent()) {
            return false; // every start seeds every app: the common case, answered without embedding anything
        }
        Map<String, byte[]> presetEmbeddings = knowledge.presetEmbeddings(); // before the transaction, not holding it open
        long now = clock.millis();
        return db.inTransaction(tx -> {
            if (!robots.insert(tx, robotId, nick, isDefault, now)) {
                return false;
            }
            robots.insertLanguage(tx, robotId, Languages.DEFAULT, true, now);
            robots.insertConfig(tx, robotId, Languages.DEFAULT, write(RobotConfig.defaults(Languages.DEFAULT)), now);
            knowledge.seedRobot(tx, robotId, presetEmbeddings);
            return true;
        });
    }

    // ---- robots

    /** desk_add_robot: a new robot with the vendor's id shape {@code @RBT#<unix seconds><8 letters>}. */
    public String addRobot(Tenant tenant, String nickName) {
        String nick = Fields.text("RobotNickName", nickName, MAX_NICK_CHARS);
        if (robots.count(tenant.db()) >= MAX_ROBOTS) {
            throw new InvalidRequest("this app already has " + MAX_ROBOTS + " robots, the most it may have; delete one first");
        }
        while (true) {
            StringBuilder id = new StringBuilder("@RBT#").append(clock.millis() / 1000);
            for (int i = 0; i < 8; i++) {
                id.append((char) ('a' + RANDOM.nextInt(26)));
            }
            if (createRobot(tenant.db(), id.toString(), nick, false)) {
                knowledge.signalChanged();
                return id.toString();
            }
        }
    }

    /** Whether the robot exists (within the caller's transaction when given one). */
    public boolean exists(TenantDb db, String robotId) {
        return robots.find(db, robotId).isPresent();
    }

    public List<RobotRepository.Robot> robots(Tenant tenant) {
        return robots.list(tenant.db());
    }

    /** desk_del_robot: deletes a robot with its knowledge, languages and configuration; never the default robot. */
    public void deleteRobot(Tenant tenant, String robotId) {
        tenant.db().inTransaction(tx -> {
            RobotRepository.Robot robot = robots.find(tx, robotId).orElseThrow(() ->
                    new InvalidRequest("RobotId " + robotId + " does not exist"));
            if (robot.isDefault()) {
                throw new InvalidRequest("RobotId " + robotId + " is the app's default robot, which cannot be deleted");
            }
            List<String> bound = robots.boundAccounts(tx, robotId);
            if (!bound.isEmpty()) {
                throw new InvalidRequest("RobotId " + robotId + " answers for the customer-service accounts "
                        + String.join(", ", bound) + "; bind them to another robot (update_im_agent) first");
            }
            knowledge.deleteRobotKnowledge(tx, robotId);
            robots.delete(tx, robotId);
            return null;
        });
        liveConfigs.invalidate(tenant.sdkAppId());
        knowledge.signalChanged();
    }

    // ---- languages

    public void addLanguage(Tenant tenant, String robotId, String languageTag) {
        String tag = Languages.tag(languageTag);
        if (!Languages.supported(tag)) {
            throw new DeskException(DeskError.ROBOT_LANGUAGE_UNSUPPORTED, "LanguageTag \"" + tag + "\" is not supported; use one of "
                    + String.join(", ", Languages.SUPPORTED) + " (the default language needs no adding)");
        }
        tenant.db().inTransaction(tx -> {
            knowledge.requireRobot(tx, robotId);
            List<RobotRepository.Language> languages = robots.languages(tx, robotId);
            if (languages.stream().anyMatch(l -> l.tag().equals(tag))) {
                return null; // already there: adding is idempotent, so a retried call succeeds
            }
            if (languages.size() >= Languages.MAX_PER_ROBOT) {
                throw new DeskException(DeskError.ROBOT_LANGUAGE_LIMIT, "robot " + robotId + " already has "
                        + languages.size() + " languages including the default one, the most it may have");
            }
            long now = clock.millis();
            robots.insertLanguage(tx, robotId, tag, false, now);
            robots.insertConfig(tx, robotId, tag, write(RobotConfig.defaults(tag)), now);
            return null;
        });
        liveConfigs.invalidate(tenant.sdkAppId());
    }

    public List<RobotRepository.Language> languages(Tenant tenant, String robotId) {
        knowledge.requireRobot(tenant.db(), robotId);
        return robots.languages(tenant.db(), robotId);
    }

    public void deleteLanguage(Tenant tenant, String robotId, String languageTag) {
        String tag = Languages.tag(languageTag);
        tenant.db().inTransaction(tx -> {
            knowledge.requireRobot(tx, robotId);
            RobotRepository.Language language = robots.languages(tx, robotId).stream().filter(l -> l.tag().equals(tag))
                    .findFirst().orElseThrow(() -> new InvalidRequest("LanguageTag \"" + tag + "\" is not a language of robot "
                            + robotId));
            if (language.isDefault()) {
                throw new DeskException(DeskError.ROBOT_LANGUAGE_DEFAULT, "the default language cannot be deleted");
            }
            long count = knowledge.countInLanguage(tx, robotId, tag);
            if (count > 0) {
                throw new DeskException(DeskError.ROBOT_LANGUAGE_IN_USE, "LanguageTag \"" + tag + "\" still has " + count
                        + " questions; delete them first (batch_set_faq with Status 6)");
            }
            robots.deleteLanguage(tx, robotId, tag);
            return null;
        });
        liveConfigs.invalidate(tenant.sdkAppId());
    }

    // ---- configuration

    /**
     * The configuration a conversation answers with: {@link #config} kept for a second (a change on
     * this node is seen at once, another node's within a second).
     */
    public RobotConfig liveConfig(Tenant tenant, String robotId, String languageTag) {
        String tag = Languages.tag(languageTag);
        return liveConfigs.get(tenant.sdkAppId(), robotId + "\n" + tag, k -> config(tenant, robotId, tag));
    }

    public RobotConfig config(Tenant tenant, String robotId, String languageTag) {
        String tag = Languages.tag(languageTag);
        TenantDb db = tenant.db();
        knowledge.requireRobot(db, robotId);
        knowledge.requireLanguage(db, robotId, tag);
        return robots.config(db, robotId, tag).map(RobotService::read).orElseGet(() -> RobotConfig.defaults(tag));
    }

    /** The fields of update_robot_config; absent fields keep their values. Thresholds may be numbers or strings. */
    public record ConfigChange(Integer welcomeCardEnable, String welcomeCardTitle, List<String> welcomeCardQuestions,
                               Integer toAgentEnable, JsonNode directAnsweringReaches, Integer chitchatEnable,
                               JsonNode chitchatReaches, Integer clarifyEnable, JsonNode clarifyReaches,
                               String clarifyMessage, Integer clarifyNumber, String fallbackMsg) {
    }

    public void updateConfig(Tenant tenant, String robotId, String languageTag, ConfigChange c) {
        String tag = Languages.tag(languageTag);
        tenant.db().inTransaction(tx -> {
            knowledge.requireRobot(tx, robotId);
            knowledge.requireLanguage(tx, robotId, tag);
            RobotConfig old = robots.config(tx, robotId, tag).map(RobotService::read).orElseGet(() -> RobotConfig.defaults(tag));
            RobotConfig updated = new RobotConfig(
                    flag("WelcomeCardEnable", c.welcomeCardEnable(), old.welcomeCardEnable()),
                    c.welcomeCardTitle() == null ? old.welcomeCardTitle()
                            : Fields.text("WelcomeCardTitle", c.welcomeCardTitle(), KnowledgeService.MAX_TITLE_CHARS),
                    c.welcomeCardQuestions() == null ? old.welcomeCardQuestions() : welcomeQuestions(c.welcomeCardQuestions()),
                    flag("ToAgentEnable", c.toAgentEnable(), old.toAgentEnable()),
                    threshold("DirectAnsweringReaches", c.directAnsweringReaches(), old.directAnsweringReaches()),
                    flag("ChitchatEnable", c.chitchatEnable(), old.chitchatEnable()),
                    threshold("ChitchatReaches", c.chitchatReaches(), old.chitchatReaches()),
                    flag("ClarifyEnable", c.clarifyEnable(), old.clarifyEnable()),
                    threshold("ClarifyReaches", c.clarifyReaches(), old.clarifyReaches()),
                    c.clarifyMessage() == null ? old.clarifyMessage()
                            : Fields.text("ClarifyMessage", c.clarifyMessage(), KnowledgeService.MAX_QUESTION_CHARS),
                    clarifyNumber(c.clarifyNumber(), old.clarifyNumber()),
                    c.fallbackMsg() == null ? old.fallbackMsg()
                            : Fields.text("FallbackMsg", c.fallbackMsg(), KnowledgeService.MAX_ANSWER_CHARS));
            if (updated.clarifyReaches().compareTo(updated.directAnsweringReaches()) > 0) {
                throw new InvalidRequest("ClarifyReaches (" + updated.clarifyReaches().toPlainString() + ") must not exceed "
                        + "DirectAnsweringReaches (" + updated.directAnsweringReaches().toPlainString()
                        + "): clarifying covers the similarities between the two");
            }
            robots.saveConfig(tx, robotId, tag, write(updated), clock.millis());
            return null;
        });
        liveConfigs.invalidate(tenant.sdkAppId());
    }

    private static int flag(String field, Integer value, int old) {
        return value == null ? old : Fields.flag(field, value);
    }

    private static BigDecimal threshold(String field, JsonNode value, BigDecimal old) {
        if (value == null || value.isNull()) {
            return old;
        }
        BigDecimal d;
        try {
            if (value.isNumber()) {
                d = value.decimalValue();
            } else if (value.isTextual() && !value.asText().isBlank()) {
                d = new BigDecimal(value.asText().strip());
            } else {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new InvalidRequest(field + " must be a number between 0 and 1 (a JSON number or a string such as \"0.8\"), got "
                    + value);
        }
        if (d.signum() < 0 || d.compareTo(BigDecimal.ONE) > 0) {
            throw new InvalidRequest(field + " must be between 0 and 1, got " + d.toPlainString());
        }
        return d.stripTrailingZeros();
    }

    private static int clarifyNumber(Integer value, int old) {
        if (value == null) {
            return old;
        }
        if (value < RobotConfig.MIN_CLARIFY_NUMBER || value > RobotConfig.MAX_CLARIFY_NUMBER) {
            throw new InvalidRequest("ClarifyNumber must be between " + RobotConfig.MIN_CLARIFY_NUMBER + " and "
                    + RobotConfig.MAX_CLARIFY_NUMBER + ", got " + value);
        }
        return value;
    }

    private static List<String> welcomeQuestions(List<String> raw) {
        if (raw.size() > RobotConfig.MAX_WELCOME_QUESTIONS) {
            throw new InvalidRequest("WelcomeCardQuestions has " + raw.size() + " questions; a welcome card shows at most "
                    + RobotConfig.MAX_WELCOME_QUESTIONS);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            out.add(Fields.text("WelcomeCardQuestions[" + i + "]", raw.get(i), KnowledgeService.MAX_QUESTION_CHARS));
        }
        return out;
    }

    private static String write(RobotConfig config) {
        try {
            return Json.mapper().writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RobotConfig read(String json) {
        try {
            return Json.mapper().readValue(json, RobotConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored robot configuration is unreadable", e);
        }
    }
}
