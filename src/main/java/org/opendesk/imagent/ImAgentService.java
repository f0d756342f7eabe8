package org.opendesk.imagent;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.opendesk.account.AccountService;
import org.opendesk.error.DeskError;
import org.opendesk.error.DeskException;
import org.opendesk.json.Json;
import org.opendesk.rest.Fields;
import org.opendesk.rest.InvalidRequest;
import org.opendesk.robot.Languages;
import org.opendesk.robot.RobotService;
import org.opendesk.storage.ShortCache;
import org.opendesk.team.AgentGroupLookup;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;
import org.opendesk.tenant.TenantSeeder;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Customer-service accounts (客服号): add, update, delete, list. Each is an IM account
 * (kind 3) plus its settings. Every app has the default account
 * {@value AccountService#DEFAULT_CUSTOMER_SERVICE} from the start, which cannot be deleted.
 */
public final class ImAgentService implements TenantSeeder {
    /** The seed: trial and standard editions 10, advanced 200 channel accounts; we allow the most. */
    public static final int MAX_ACCOUNTS = 200;
    public static final int MAX_PROMPT_CHARS = 2000;
    public static final int MAX_USER_TIMEOUT_SECONDS = 7 * 24 * 3600;
    static final List<String> DAYS = List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final ImAgentRepository repository = new ImAgentRepository();
    private final AccountService accounts;
    private final RobotService robots;
    private final AgentGroupLookup groups;
    private final Clock clock;
    private final ShortCache<String, Optional<ImAgent>> live = new ShortCache<>(1_000, 1_000);

    public ImAgentService(AccountService accounts, RobotService robots, AgentGroupLookup groups, Clock clock) {
        this.accounts = accounts;
        this.robots = robots;
        this.groups = groups;
        this.clock = clock;
    }

    /** A customer-service account as listed: its UserID, settings, and whether it is the default one. */
    public record ImAgent(String userId, ImAgentSettings settings, boolean isDefault) {
    }

    @Override
    public void seed(Tenant tenant) {
        repository.insert(tenant.db(), AccountService.DEFAULT_CUSTOMER_SERVICE, write(ImAgentSettings.defaults()), "", true,
                clock.millis());
    }

    /** add_im_agent: answers the account's UserID (generated when not given). */
    public String add(Tenant tenant, String requestedUserId, ImAgentSettings s) {
        requireForAdd(s);
        ImAgentSettings clean = validated(s);
        checkStrategy(clean);
        String userId = requestedUserId == null || requestedUserId.isBlank() ? newUserId() : requestedUserId.strip();
        String problem = AccountService.userIdProblem(userId);
        if (problem != null) {
            throw new InvalidRequest("IMAgentUserID: " + problem);
        }
        String added = tenant.db().inTransaction(tx -> {
            requireRobot(tx, clean.robotId());
            requireGroups(tx, clean);
            if (repository.count(tx) >= MAX_ACCOUNTS) {
                throw new DeskException(DeskError.DESK_TOO_MANY_IM_AGENTS, "this app already has " + MAX_ACCOUNTS
                        + " customer-service accounts, the most it may have; delete one first");
            }
            if (!accounts.createCustomerService(tx, userId, clean.imAgentNick(), clean.imAgentAvatarUrl())) {
                throw new InvalidRequest("IMAgentUserID '" + userId + "' is already an account of this app; choose another"
                        + " or leave it out to have one generated");
            }
            repository.insert(tx, userId, write(clean), robotOf(clean), false, clock.millis());
            return userId;
        });
        live.invalidate(tenant.sdkAppId());
        return added;
    }

    /** update_im_agent: the fields present replace the stored ones; the others keep their values. */
    public void update(Tenant tenant, String userId, ImAgentSettings patch) {
        String id = requiredUserId(userId);
        ImAgentSettings clean = validated(patch);
        tenant.db().inTransaction(tx -> {
            ImAgentRepository.Row row = repository.find(tx, id).orElseThrow(() -> notFound(id));
            ImAgentSettings merged = merge(read(row.settings()), clean);
            checkStrategy(merged);
            checkWorkTime(merged.workTimeConfig());
            requireRobot(tx, clean.robotId());
            requireGroups(tx, clean);
            if (clean.imAgentNick() != null || clean.imAgentAvatarUrl() != null) {
                accounts.updateProfile(tx, id, clean.imAgentNick(), clean.imAgentAvatarUrl());
            }
            repository.update(tx, id, write(merged), robotOf(merged), clock.millis());
            return null;
        });
        live.invalidate(tenant.sdkAppId());
    }

    /** delete_im_agent: the account and its IM account go; the default account stays. */
    public void delete(Tenant tenant, String userId) {
        String id = requiredUserId(userId);
        tenant.db().inTransaction(tx -> {
            ImAgentRepository.Row row = repository.find(tx, id).orElseThrow(() -> notFound(id));
            if (row.isDefault()) {
                throw new InvalidRequest("'" + id + "' is the app's default customer-service account, which cannot be deleted");
            }
            repository.delete(tx, id);
            accounts.deleteCustomerService(tx, id);
            return null;
        });
        accounts.forgetKinds(tenant.sdkAppId());
        live.invalidate(tenant.sdkAppId());
    }

    /**
     * One customer-service account with its settings, when it exists, as conversations read it on
     * every message: kept for a second (a change on this node is seen at once, another node's
     * within a second).
     */
    public Optional<ImAgent> find(TenantDb db, String userId) {
        return live.get(db.sdkAppId(), userId, id -> repository.find(db, id)
                .map(r -> new ImAgent(r.userId(), read(r.settings()), r.isDefault())));
    }

    /**
     * Why an agent group cannot be deleted: the first customer-service account that names it (AgentGroupId or
     * DisplayGroupsChoices), or empty. Reads the accounts as committed now and keeps them locked until the
     * deleting transaction ends, so no account starts to use the group meanwhile.
     */
    public Optional<String> groupInUse(TenantDb tx, long groupId) {
        for (ImAgentRepository.Row row : repository.listLocked(tx)) {
            ImAgentSettings s = read(row.settings());
            String field = s.agentGroupId() != null && s.agentGroupId() == groupId ? "AgentGroupId"
                    : s.displayGroupsChoices() != null && s.displayGroupsChoices().contains(groupId) ? "DisplayGroupsChoices"
                    : null;
            if (field != null) {
                return Optional.of("the customer-service account '" + row.userId() + "' uses it (" + field + "); change that"
                        + " account with update_im_agent first");
            }
        }
        return Optional.empty();
    }

    public List<ImAgent> list(Tenant tenant) {
        return repository.list(tenant.db()).stream().map(r -> new ImAgent(r.userId(), read(r.settings()), r.isDefault()))
                .toList();
    }

    // ---- validation

    private static void requireForAdd(ImAgentSettings s) {
        List<String> missing = new ArrayList<>();
        check(missing, "IMAgentNick", s.imAgentNick());
        check(missing, "IMAgentAvatarUrl", s.imAgentAvatarUrl());
        check(missing, "WelcomeMessage", s.welcomeMessage());
        check(missing, "ChatbotDisabled", s.chatbotDisabled());
        check(missing, "AgentGroupId", s.agentGroupId());
        check(missing, "TransferToHumanPrompt", s.transferToHumanPrompt());
        check(missing, "TransferToHumanSuccessPrompt", s.transferToHumanSuccessPrompt());
        check(missing, "TransferToHumanFailPrompt", s.transferToHumanFailPrompt());
        check(missing, "QueueingPrompt", s.queueingPrompt());
        check(missing, "UserTimeout", s.userTimeout());
        check(missing, "EndPrompt", s.endPrompt());
        check(missing, "TimeoutEndPrompt", s.timeoutEndPrompt());
        check(missing, "WorkTimeConfig", s.workTimeConfig());
        check(missing, "NotWorkTimePrompt", s.notWorkTimePrompt());
        if (!missing.isEmpty()) {
            throw new InvalidRequest("add_im_agent requires " + String.join(", ", missing));
        }
        if (s.workTimeConfig().type() == null) {
            throw new InvalidRequest("WorkTimeConfig.Type is required (0 off, 1 on)");
        }
    }

    private static void check(List<String> missing, String field, Object value) {
        if (value == null) {
            missing.add(field);
        }
    }

    /** Checks every field present and answers the settings trimmed (cross-field rules apply to complete settings). */
    private static ImAgentSettings validated(ImAgentSettings s) {
        ImAgentSettings t = new ImAgentSettings(
                profile("IMAgentNick", s.imAgentNick(), false), profile("IMAgentAvatarUrl", s.imAgentAvatarUrl(), true),
                prompt("WelcomeMessage", s.welcomeMessage()), Fields.flag("ChatbotDisabled", s.chatbotDisabled()),
                agentGroup(s.agentGroupId()), prompt("TransferToHumanPrompt", s.transferToHumanPrompt()),
                prompt("TransferToHumanSuccessPrompt", s.transferToHumanSuccessPrompt()),
                prompt("TransferToHumanFailPrompt", s.transferToHumanFailPrompt()), prompt("QueueingPrompt", s.queueingPrompt()),
                userTimeout(s.userTimeout()), prompt("EndPrompt", s.endPrompt()), prompt("TimeoutEndPrompt", s.timeoutEndPrompt()),
                s.workTimeConfig(), prompt("NotWorkTimePrompt", s.notWorkTimePrompt()), strategy(s.assignmentStrategy()),
                prompt("ChooseSkillGroupPrompt", s.chooseSkillGroupPrompt()), s.displayGroupsChoices(),
                webhook(s.assignedByWebhookUrl()), s.robotId() == null ? null : s.robotId().strip(),
                multilingual("WelcomeMessageMultilingual", s.welcomeMessageMultilingual()),
                multilingual("TransferToHumanPromptMultilingual", s.transferToHumanPromptMultilingual()),
                multilingual("TransferToHumanSuccessPromptMultilingual", s.transferToHumanSuccessPromptMultilingual()),
                multilingual("TransferToHumanFailPromptMultilingual", s.transferToHumanFailPromptMultilingual()),
                multilingual("QueueingPromptMultilingual", s.queueingPromptMultilingual()),
                multilingual("EndPromptMultilingual", s.endPromptMultilingual()),
                multilingual("TimeoutEndPromptMultilingual", s.timeoutEndPromptMultilingual()),
                multilingual("NotWorkTimePromptMultilingual", s.notWorkTimePromptMultilingual()),
                multilingual("ChooseSkillGroupPromptMultilingual", s.chooseSkillGroupPromptMultilingual()));
        if (t.workTimeConfig() != null) {
            checkWorkTime(t.workTimeConfig());
        }
        if (t.displayGroupsChoices() != null) {
            if (t.displayGroupsChoices().stream().anyMatch(g -> g == null || g <= 0)) {
                throw new InvalidRequest("DisplayGroupsChoices must hold agent group ids (positive integers; see"
                        + " get_agent_group_list), got " + t.displayGroupsChoices());
            }
            if (new HashSet<>(t.displayGroupsChoices()).size() != t.displayGroupsChoices().size()) {
                throw new InvalidRequest("DisplayGroupsChoices names a group twice: " + t.displayGroupsChoices());
            }
        }
        return t;
    }

    /** AssignmentStrategy 1 needs DisplayGroupsChoices, 2 needs AssignedByWebhookURL (the seed's conditions). */
    private static void checkStrategy(ImAgentSettings s) {
        int strategy = s.assignmentStrategy() == null ? 0 : s.assignmentStrategy();
        if (strategy == 1 && (s.displayGroupsChoices() == null || s.displayGroupsChoices().isEmpty())) {
            throw new InvalidRequest("AssignmentStrategy 1 (the user chooses a group) requires DisplayGroupsChoices");
        }
        if (strategy == 2 && (s.assignedByWebhookUrl() == null || s.assignedByWebhookUrl().isBlank())) {
            throw new InvalidRequest("AssignmentStrategy 2 (assigned by the business server) requires AssignedByWebhookURL");
        }
    }

    private static void checkWorkTime(ImAgentSettings.WorkTimeConfig w) {
        if (w == null) {
            return;
        }
        if (w.type() == null || w.type() < 0 || w.type() > 2) {
            throw new InvalidRequest("WorkTimeConfig.Type must be 0 (working hours off), 1 (weekly plan) or 2 (legal working"
                    + " days of the app's calendar, see update_workday_calendar), got " + w.type());
        }
        if (w.type() == 0) {
            return;
        }
        if (w.periods() == null || w.periods().isEmpty()) {
            throw new InvalidRequest("WorkTimeConfig.Type " + w.type() + " requires Periods: the days and times agents work");
        }
        Set<String> days = new HashSet<>();
        // the minutes of the week (Monday 00:00 first) some period covers: a period crossing midnight
        // runs into the next day, Sunday's into Monday
        BitSet week = new BitSet(WEEK_MINUTES);
        for (ImAgentSettings.DayPeriods d : w.periods()) {
            if (d == null || !DAYS.contains(d.day())) {
                throw new InvalidRequest("WorkTimeConfig.Periods[].Day must be one of " + String.join(", ", DAYS) + ", got "
                        + (d == null ? null : d.day()));
            }
            if (!days.add(d.day())) {
                throw new InvalidRequest("WorkTimeConfig.Periods names " + d.day() + " twice; give all its periods once");
            }
            if (d.periodsWithinOneDay() == null || d.periodsWithinOneDay().isEmpty()) {
                throw new InvalidRequest("WorkTimeConfig.Periods[" + d.day() + "].PeriodsWithinOneDay is required");
            }
            int dayStart = DAYS.indexOf(d.day()) * DAY_MINUTES;
            for (ImAgentSettings.Period p : d.periodsWithinOneDay()) {
                int start = minutes(d.day(), "Start", p == null ? null : p.start());
                int end = minutes(d.day(), "End", p.end());
                if (start == end || start == DAY_MINUTES) {
                    throw new InvalidRequest("WorkTimeConfig " + d.day() + ": the period " + p.start() + "-" + p.end()
                            + " is empty; a whole day is 00:00-24:00, a period crossing midnight ends before it starts"
                            + " (22:00-06:00)");
                }
                int length = end > start ? end - start : DAY_MINUTES - start + end;
                for (int m = 0; m < length; m++) {
                    int at = (dayStart + start + m) % WEEK_MINUTES;
                    if (week.get(at)) {
                        throw new InvalidRequest("WorkTimeConfig " + d.day() + ": the period " + p.start() + "-" + p.end()
                                + " overlaps another period");
                    }
                    week.set(at);
                }
            }
        }
    }

    private static final int DAY_MINUTES = 24 * 60;
    private static final int WEEK_MINUTES = 7 * DAY_MINUTES;

    /** "HH:MM" as minutes of the day, "24:00" as 1440. */
    private static int minutes(String day, String field, String value) {
        if (value == null || !value.matches("\\d{2}:\\d{2}")) {
            throw new InvalidRequest("WorkTimeConfig " + day + ": " + field + " must be a time \"HH:MM\", got " + value);
        }
        if (value.equals("24:00")) {
            return DAY_MINUTES;
        }
        try {
            LocalTime t = LocalTime.parse(value);
            return t.getHour() * 60 + t.getMinute();
        } catch (DateTimeParseException e) {
            throw new InvalidRequest("WorkTimeConfig " + day + ": " + field + " is not a time of day: " + value);
        }
    }

    private static String profile(String field, String value, boolean mayBeEmpty) {
        if (value == null) {
            return null;
        }
        String clean = value.strip();
        if (clean.isEmpty() && !mayBeEmpty) {
            throw new InvalidRequest(field + " must not be empty");
        }
        String problem = AccountService.profileProblem(field, clean);
        if (problem != null) {
            throw new InvalidRequest(problem);
        }
        return clean;
    }

    private static String prompt(String field, String value) {
        return value == null ? null : Fields.text(field, value, MAX_PROMPT_CHARS);
    }

    private static Map<String, String> multilingual(String field, Map<String, String> texts) {
        if (texts == null) {
            return null;
        }
        Map<String, String> clean = new TreeMap<>();
        texts.forEach((tag, text) -> {
            if (!Languages.supported(tag)) {
                throw new InvalidRequest(field + ": \"" + tag + "\" is not a language tag; use " + String.join(", ",
                        Languages.SUPPORTED));
            }
            clean.put(tag, prompt(field + "." + tag, text));
        });
        return clean;
    }

    private static Long agentGroup(Long value) {
        if (value != null && value < 0) {
            throw new InvalidRequest("AgentGroupId must be a non-negative agent group id, got " + value);
        }
        return value;
    }

    private static Integer userTimeout(Integer value) {
        if (value != null && (value < 1 || value > MAX_USER_TIMEOUT_SECONDS)) {
            throw new InvalidRequest("UserTimeout must be between 1 and " + MAX_USER_TIMEOUT_SECONDS + " seconds, got " + value);
        }
        return value;
    }

    private static Integer strategy(Integer value) {
        if (value != null && (value < 0 || value > 2)) {
            throw new InvalidRequest("AssignmentStrategy must be 0 (automatic), 1 (the user chooses a group) or 2 (assigned"
                    + " by the business server), got " + value);
        }
        return value;
    }

    private static String webhook(String url) {
        if (url == null) {
            return null;
        }
        String clean = url.strip();
        if (!Fields.isHttpUrl(clean)) {
            throw new InvalidRequest("AssignedByWebhookURL must be an http or https URL, got " + clean);
        }
        return clean;
    }

    /**
     * AgentGroupId (0 = no group: any member may serve) and every id of DisplayGroupsChoices, when the request
     * carries them, must be agent groups of the app; the groups stay locked until the transaction ends.
     */
    private void requireGroups(TenantDb tx, ImAgentSettings s) {
        if (s.agentGroupId() != null && s.agentGroupId() != 0 && !groups.missing(tx, List.of(s.agentGroupId())).isEmpty()) {
            throw new InvalidRequest("AgentGroupId " + s.agentGroupId() + " is not an agent group of this app: create it"
                    + " with add_agent_group (get_agent_group_list lists them), or give 0 for no group");
        }
        if (s.displayGroupsChoices() != null && !s.displayGroupsChoices().isEmpty()) {
            List<Long> missing = groups.missing(tx, s.displayGroupsChoices());
            if (!missing.isEmpty()) {
                throw new InvalidRequest("DisplayGroupsChoices: " + missing.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")) + (missing.size() == 1 ? " is not an agent group"
                        : " are not agent groups") + " of this app; create them with add_agent_group"
                        + " (get_agent_group_list lists them)");
            }
        }
    }

    private void requireRobot(TenantDb db, String robotId) {
        if (robotId != null && !robotId.isEmpty() && !robots.exists(db, robotId)) {
            throw new InvalidRequest("RobotId " + robotId + " does not exist; create it with desk_add_robot first");
        }
    }

    private static String robotOf(ImAgentSettings s) {
        return s.robotId() == null || s.robotId().isEmpty() ? RobotService.DEFAULT_ROBOT : s.robotId();
    }

    private static String requiredUserId(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new InvalidRequest("IMAgentUserID is required");
        }
        return userId.strip();
    }

    private static InvalidRequest notFound(String userId) {
        return new InvalidRequest("'" + userId + "' is not a customer-service account of this app (get_im_agent_list lists them)");
    }

    private static String newUserId() {
        StringBuilder id = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            id.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    /** The stored settings with every field the patch carries replacing the stored one. */
    static ImAgentSettings merge(ImAgentSettings old, ImAgentSettings p) {
        return new ImAgentSettings(or(p.imAgentNick(), old.imAgentNick()), or(p.imAgentAvatarUrl(), old.imAgentAvatarUrl()),
                or(p.welcomeMessage(), old.welcomeMessage()), or(p.chatbotDisabled(), old.chatbotDisabled()),
                or(p.agentGroupId(), old.agentGroupId()), or(p.transferToHumanPrompt(), old.transferToHumanPrompt()),
                or(p.transferToHumanSuccessPrompt(), old.transferToHumanSuccessPrompt()),
                or(p.transferToHumanFailPrompt(), old.transferToHumanFailPrompt()), or(p.queueingPrompt(), old.queueingPrompt()),
                or(p.userTimeout(), old.userTimeout()), or(p.endPrompt(), old.endPrompt()),
                or(p.timeoutEndPrompt(), old.timeoutEndPrompt()), or(p.workTimeConfig(), old.workTimeConfig()),
                or(p.notWorkTimePrompt(), old.notWorkTimePrompt()), or(p.assignmentStrategy(), old.assignmentStrategy()),
                or(p.chooseSkillGroupPrompt(), old.chooseSkillGroupPrompt()),
                or(p.displayGroupsChoices(), old.displayGroupsChoices()), or(p.assignedByWebhookUrl(), old.assignedByWebhookUrl()),
                or(p.robotId(), old.robotId()), or(p.welcomeMessageMultilingual(), old.welcomeMessageMultilingual()),
                or(p.transferToHumanPromptMultilingual(), old.transferToHumanPromptMultilingual()),
                or(p.transferToHumanSuccessPromptMultilingual(), old.transferToHumanSuccessPromptMultilingual()),
                or(p.transferToHumanFailPromptMultilingual(), old.transferToHumanFailPromptMultilingual()),
                or(p.queueingPromptMultilingual(), old.queueingPromptMultilingual()),
                or(p.endPromptMultilingual(), old.endPromptMultilingual()),
                or(p.timeoutEndPromptMultilingual(), old.timeoutEndPromptMultilingual()),
                or(p.notWorkTimePromptMultilingual(), old.notWorkTimePromptMultilingual()),
                or(p.chooseSkillGroupPromptMultilingual(), old.chooseSkillGroupPromptMultilingual()));
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }

    private static String write(ImAgentSettings s) {
        try {
            return Json.mapper().writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ImAgentSettings read(String json) {
        try {
            return Json.mapper().readValue(json, ImAgentSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored customer-service account settings are unreadable", e);
        }
    }
}
