package org.opendesk.team;

import io.helidon.dbclient.DbClient;
import org.opendesk.rest.Fields;
import org.opendesk.rest.InvalidRequest;
import org.opendesk.storage.ShortCache;
import org.opendesk.tenant.Tenant;
import org.opendesk.tenant.TenantDb;
import org.opendesk.tenant.TenantRegistry;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Members, agent groups and desk settings of an app. Members get a generated one-time password
 * (answered once, stored only as an Argon2id hash); a reset replaces it and ends the member's
 * tokens; a forced-offline or deleted member cannot log in, and the listeners (the human
 * service) close its sockets and hand its offered sessions on.
 *
 * <p>Rules (refusals are {@link InvalidRequest}s, answered 141004): a MemberId is an e-mail
 * address, compared in lower case; the app has at most one super administrator, who can be
 * neither modified nor deleted, and nobody becomes one through update_member; group names are
 * unique in the app (case-sensitive) and a group's members must be members of the app; a group
 * that something else uses (a customer-service account's AgentGroupId or DisplayGroupsChoices:
 * see {@link #referencedBy}) cannot be deleted. Every member and group write of an app takes the
 * app's team lock first, so these rules hold under concurrent calls on every node.
 */
public final class TeamService {
    public static final int MAX_NICK_CHARS = 64;
    public static final int MAX_MEMBER_ID_CHARS = 128;
    public static final int MAX_GROUP_NAME_CHARS = 64;
    public static final int MAX_MEMBERS = 2_000;
    public static final int MAX_GROUPS = 500;
    public static final int MAX_SESSIONS_PER_AGENT = 100;
    public static final int MAX_ACCEPT_TIMEOUT_SECONDS = 3_600;
    public static final int MIN_PASSWORD_CHARS = 8;
    public static final int MAX_PASSWORD_CHARS = 128;
    static final long FIRST_GROUP_ID = 1_001;
    /** A practical e-mail address: dot-atoms on both sides, letters of any script, a top-level domain of 2+. */
    private static final Pattern EMAIL = Pattern.compile("[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+)*"
            + "@([\\p{L}\\p{N}]([\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?\\.)+[\\p{L}\\p{N}-]{2,}");
    /** The sequence row whose lock serialises an app's member and group writes (see {@link TenantDb#nextId}). */
    private static final String TEAM_LOCK = "team_lock";
    /** IANA time-zone names by their lower-case form, so "asia/shanghai" is answered as Asia/Shanghai. */
    private static final Map<String, String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .collect(Collectors.toUnmodifiableMap(z -> z.toLowerCase(Locale.ROOT), z -> z, (a, b) -> a));

    private final DbClient client;
    private final TenantRegistry tenants;
    private final Clock clock;
    private final TeamRepository repository = new TeamRepository();
    private final ShortCache<Boolean, DeskSettings> liveSettings = new ShortCache<>(1_000, 1);
    private final List<MemberListener> listeners = new CopyOnWriteArrayList<>();
    private final List<GroupReferences> references = new CopyOnWriteArrayList<>();

    /** Told when a member may no longer work (forced offline or deleted), after the change is stored. */
    public interface MemberListener {
        void memberGone(Tenant tenant, String memberId, boolean deleted);
    }

    public TeamService(DbClient client, TenantRegistry tenants, Clock clock) {
        this.client = client;
        this.tenants = tenants;
        this.clock = clock;
    }

    public void onMemberGone(MemberListener listener) {
        listeners.add(listener);
    }

    /** Something that refers to agent groups (a customer-service account's AgentGroupId, ...). */
    public interface GroupReferences {
        /**
         * Why the group cannot be deleted, in the caller's terms (what uses it, how to free it), or empty;
         * asked inside the deleting transaction, with the group's row locked.
         */
        Optional<String> blocksDeletion(TenantDb tx, long groupId);
    }

    /** Registers what refers to agent groups: a group it names cannot be deleted. */
    public void referencedBy(GroupReferences refs) {
        references.add(refs);
    }

    // ---- members

    /** A member just added, with its generated one-time password (answered this once, never stored in clear). */
    public record Added(Member member, String password) {
        @Override
        public String toString() {
            return "Added[member=" + member + ", password=(not shown)]";
        }
    }

    public Added addMember(Tenant tenant, String rawId, String rawNick, List<String> rawRoles) {
        String id = memberId(rawId);
        String nick = name("NickName", rawNick, MAX_NICK_CHARS);
        Set<Role> roles = roles(rawRoles);
        String password = Passwords.generate();
        String hash = Passwords.hash(password); // slow on purpose: outside the transaction
        Member added = tenant.db().inTransaction(tx -> {
            lockTeam(tx);
            if (repository.member(tx, id).isPresent()) {
                throw new InvalidRequest("MemberId '" + id + "' is already a member of this app");
            }
            if (repository.memberCount(tx) >= MAX_MEMBERS) {
                throw new InvalidRequest("this app already has " + MAX_MEMBERS + " members, the most it may have; delete"
                        + " one first");
            }
            if (roles.contains(Role.SUPER_ADMIN)) {
                List<String> superAdmins = repository.superAdmins(tx);
                if (!superAdmins.isEmpty()) {
                    throw new InvalidRequest("Roles: the app has its super administrator already ('" + superAdmins.get(0)
                            + "'); there is one per app");
                }
            }
            if (!repository.insertMember(tx, id, nick, Role.join(roles), hash, clock.millis())) {
                throw new InvalidRequest("MemberId '" + id + "' is already a member of this app");
            }
            return repository.member(tx, id).orElseThrow();
        });
        return new Added(added, password);
    }

    /** update_member: nickname and roles (the e-mail cannot change); absent fields keep their values. */
    public Member updateMember(Tenant tenant, String rawId, String rawNick, List<String> rawRoles) {
        String id = memberId(rawId);
        String nick = rawNick == null ? null : name("NickName", rawNick, MAX_NICK_CHARS);
        Set<Role> roles = rawRoles == null ? null : roles(rawRoles);
        return tenant.db().inTransaction(tx -> {
            lockTeam(tx);
            Member m = existing(tx, id);
            if (m.roles().contains(Role.SUPER_ADMIN)) {
                throw new InvalidRequest("MemberId '" + id + "' is the super administrator, who cannot be modified");
            }
            if (roles != null && roles.contains(Role.SUPER_ADMIN)) {
                throw new InvalidRequest("Roles: a member cannot be made super administrator through update_member; the"
                        + " app's super administrator is added once, with add_member");
            }
            repository.updateMember(tx, id, nick == null ? m.nickName() : nick, Role.join(roles == null ? m.roles() : roles),
                    clock.millis());
            return repository.member(tx, id).orElseThrow();
        });
    }

    public void deleteMember(Tenant tenant, String rawId) {
        String id = memberId(rawId);
        tenant.db().inTransaction(tx -> {
            lockTeam(tx);
            Member m = existing(tx, id);
            if (m.roles().contains(Role.SUPER_ADMIN)) {
                throw new InvalidRequest("MemberId '" + id + "' is the super administrator, who cannot be deleted");
            }
            repository.deleteMember(tx, id);
            return null;
        });
        listeners.forEach(l -> l.memberGone(tenant, id, true));
    }

    public List<Member> members(Tenant tenant) {
        return repository.members(tenant.db());
    }

    public Optional<Member> member(TenantDb db, String id) {
        return repository.member(db, id);
    }

    /** A new generated password for the member; the old one and every token issued with it stop working. */
    public String resetPassword(Tenant tenant, String rawId) {
        String id = memberId(rawId);
        String password = Passwords.generate();
        String hash = Passwords.hash(password);
        tenant.db().inTransaction(tx -> {
            existing(tx, id);
            repository.setPassword(tx, id, hash, true, clock.millis());
            return null;
        });
        return password;
    }

    /**
     * Forced offline (强制下线): the member is offline at once and cannot log in until restored; its sockets
     * close, its offers move on (the listeners).
     */
    public void forceOffline(Tenant tenant, String rawId) {
        String id = memberId(rawId);
        tenant.db().inTransaction(tx -> {
            existing(tx, id);
            repository.setForcedOffline(tx, id, true, clock.millis());
            repository.setStatus(tx, id, MemberStatus.OFFLINE, "", clock.millis());
            return null;
        });
        listeners.forEach(l -> l.memberGone(tenant, id, false));
    }

    /** Restore (恢复上线): the member may log in again (and sets its own status). */
    public void restore(Tenant tenant, String rawId) {
        String id = memberId(rawId);
        tenant.db().inTransaction(tx -> {
            existing(tx, id);
            repository.setForcedOffline(tx, id, false, clock.millis());
            return null;
        });
    }

    /** Who logs in: the app and the member, once the password matched. */
    public record Login(Tenant tenant, Member member) {
    }

    /**
     * Checks a login. {@code sdkAppId} may be null when the MemberId belongs to one app only.
     * Every failure reads the same ("wrong MemberId or password") so members cannot be probed,
     * except the states a member must know about (forced offline, no workbench role).
     */
    public Login authenticate(Long sdkAppId, String rawId, String password) {
        String id = rawId == null ? "" : rawId.strip().toLowerCase(Locale.ROOT);
        List<Long> apps = sdkAppId != null ? List.of(sdkAppId) : TeamRepository.appsOf(client, id);
        if (apps.size() > 1) {
            throw new LoginRefused(LoginRefused.Reason.APP_REQUIRED, "MemberId " + id + " is a member of several apps: "
                    + "give SDKAppID too");
        }
        Tenant tenant = apps.isEmpty() ? null : tenants.find(apps.get(0)).orElse(null);
        Optional<String> hash = tenant == null ? Optional.empty() : repository.passwordHash(tenant.db(), id);
        long now = clock.millis();
        if (hash.isPresent() && !repository.reserveLoginAttempt(tenant.db(), id, now, MAX_FAILED_LOGINS)) {
            long until = repository.loginLockedUntil(tenant.db(), id);
            if (until <= now) { // the attempts in flight reached the limit: this one locks
                until = now + LOGIN_LOCK.toMillis();
                repository.lockLogin(tenant.db(), id, MAX_FAILED_LOGINS, until);
            }
            throw new LoginRefused(LoginRefused.Reason.LOCKED, "too many failed logins for MemberId " + id + ": retry in "
                    + Math.max(1, (until - now + 999) / 1000) + " s (an administrator's reset_member_password unlocks it now)");
        }
        // a missing member costs a hash too, so timing does not tell which members exist
        boolean match = Passwords.verify(password == null ? "" : password, hash.orElse(DUMMY_HASH)) && hash.isPresent();
        if (!match) {
            if (hash.isPresent()) {
                repository.loginFailed(tenant.db(), id, MAX_FAILED_LOGINS, clock.millis() + LOGIN_LOCK.toMillis());
            }
            throw new LoginRefused(LoginRefused.Reason.BAD_CREDENTIALS, "wrong MemberId or password");
        }
        repository.loggedIn(tenant.db(), id, clock.millis()); // the right password clears the failed attempts
        Member m = repository.member(tenant.db(), id).orElseThrow(
                () -> new LoginRefused(LoginRefused.Reason.BAD_CREDENTIALS, "wrong MemberId or password"));
        if (m.forcedOffline()) {
            throw new LoginRefused(LoginRefused.Reason.FORCED_OFFLINE, "this member was forced offline by an administrator"
                    + " and cannot log in until restored");
        }
        if (!m.agent()) {
            throw new LoginRefused(LoginRefused.Reason.NOT_AN_AGENT, "this member has no workbench role (staff); online"
                    + " administrators use the admin API");
        }
        return new Login(tenant, m);
    }

    private static final String DUMMY_HASH = Passwords.hash(Passwords.generate());
    /** Failed logins in a row before a member is locked; after the lock one attempt at a time is allowed. */
    public static final int MAX_FAILED_LOGINS = 5;
    /** How long a member stays locked after {@link #MAX_FAILED_LOGINS} failures (70050 asks to retry after a minute). */
    public static final java.time.Duration LOGIN_LOCK = java.time.Duration.ofMinutes(1);

    /** A login that is refused, with why. */
    public static final class LoginRefused extends RuntimeException {
        public enum Reason { BAD_CREDENTIALS, APP_REQUIRED, FORCED_OFFLINE, NOT_AN_AGENT, LOCKED }

        private final Reason reason;

        LoginRefused(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** The member replaces its password (the generated one included); earlier tokens stop working. */
    public void changePassword(Tenant tenant, String id, String oldPassword, String newPassword) {
        if (newPassword == null || newPassword.length() < MIN_PASSWORD_CHARS || newPassword.length() > MAX_PASSWORD_CHARS) {
            throw new InvalidRequest("NewPassword must have " + MIN_PASSWORD_CHARS + " to " + MAX_PASSWORD_CHARS
                    + " characters");
        }
        if (newPassword.equals(oldPassword)) {
            throw new InvalidRequest("NewPassword must differ from the current password");
        }
        String stored = repository.passwordHash(tenant.db(), id).orElseThrow(() -> new InvalidRequest("no member " + id));
        if (!Passwords.verify(oldPassword == null ? "" : oldPassword, stored)) {
            throw new LoginRefused(LoginRefused.Reason.BAD_CREDENTIALS, "OldPassword is wrong");
        }
        String hash = Passwords.hash(newPassword);
        tenant.db().inTransaction(tx -> {
            repository.setPassword(tx, id, hash, false, clock.millis());
            return null;
        });
    }

    /** Stores a status (inside the caller's transaction; the human service decides what follows). */
    public void updateStatus(TenantDb tx, String memberId, MemberStatus status, String reason) {
        repository.setStatus(tx, memberId, status, status == MemberStatus.REST ? reason : "", clock.millis());
    }

    /** Takes the app's team lock (held until the transaction ends): member and group writes of an app go one at a time. */
    private static void lockTeam(TenantDb tx) {
        tx.nextId(TEAM_LOCK, 1);
    }

    private Member existing(TenantDb tx, String id) {
        return repository.member(tx, id).orElseThrow(() -> new InvalidRequest("MemberId '" + id
                + "' is not a member of this app (see get_member_list)"));
    }

    /** A MemberId: an e-mail address, compared in lower case. */
    public static String memberId(String raw) {
        return memberId("MemberId", raw);
    }

    private static String memberId(String field, String raw) {
        String id = Fields.text(field, raw, MAX_MEMBER_ID_CHARS).toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(id).matches()) {
            throw new InvalidRequest(field + " must be the member's e-mail address (like agent@example.com), got '"
                    + printable(id) + "'");
        }
        return id;
    }

    /** A nickname or group name: required, at most {@code max} characters once trimmed, no control characters. */
    private static String name(String field, String raw, int max) {
        String clean = Fields.text(field, raw, max);
        if (clean.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidRequest(field + " must not contain control characters (line breaks, tabs, ...)");
        }
        return clean;
    }

    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    private static Set<Role> roles(List<String> raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidRequest("Roles is required: one or both of \"admin\" (online administrator) and \"staff\""
                    + " (online agent)");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : raw) {
            Role role = r == null ? null : Role.of(r.strip());
            if (role == null) {
                throw new InvalidRequest("Roles: unknown role '" + (r == null ? null : printable(r)) + "'; use \"admin\","
                        + " \"staff\" or \"super_admin\"");
            }
            roles.add(role);
        }
        return roles;
    }

    // ---- agent groups

    public long addGroup(Tenant tenant, String rawName, List<String> rawMembers) {
        String name = name("Name", rawName, MAX_GROUP_NAME_CHARS);
        List<String> memberIds = rawMembers == null ? List.of() : memberIds(rawMembers);
        return tenant.db().inTransaction(tx -> {
            lockTeam(tx);
            Optional<Long> same = repository.groupByName(tx, name);
            if (same.isPresent()) {
                throw new InvalidRequest("Name: the agent group " + same.get() + " is named '" + name + "' already; group"
                        + " names are unique in an app");
            }
            if (repository.groupCount(tx) >= MAX_GROUPS) {
                throw new InvalidRequest("this app already has " + MAX_GROUPS + " agent groups, the most it may have;"
                        + " delete one first");
            }
            requireMembers(tx, memberIds);
            long id = tx.nextId("agent_group", FIRST_GROUP_ID);
            repository.insertGroup(tx, id, name, clock.millis());
            repository.setGroupMembers(tx, id, memberIds);
            return id;
        });
    }

    /** update_agent_group: a new name and/or the whole member list. */
    public AgentGroup updateGroup(Tenant tenant, long groupId, String rawName, List<String> rawMembers) {
        String name = rawName == null ? null : name("Name", rawName, MAX_GROUP_NAME_CHARS);
        List<String> memberIds = rawMembers == null ? null : memberIds(rawMembers);
        return tenant.db().inTransaction(tx -> {
            lockTeam(tx);
            existingGroup(tx, groupId);
            if (name != null) {
                Optional<Long> other = repository.groupByName(tx, name);
                if (other.isPresent() && other.get() != groupId) {
                    throw new InvalidRequest("Name: the agent group " + other.get() + " is named '" + name + "' already;"
                            + " group names are unique in an app");
                }
                repository.renameGroup(tx, groupId, name, clock.millis());
            }
            if (memberIds != null) {
                requireMembers(tx, memberIds);
                repository.setGroupMembers(tx, groupId, memberIds);
            }
            return repository.group(tx, groupId).orElseThrow();
        });
    }

    /** delete_agent_group: refused while something uses the group (see {@link #referencedBy}). */
    public void deleteGroup(Tenant tenant, long groupId) {
        tenant.db().inTransaction(tx -> {
            lockTeam(tx);
            if (!repository.lockGroup(tx, groupId)) {
                throw unknownGroup(groupId);
            }
            for (GroupReferences refs : references) {
                refs.blocksDeletion(tx, groupId).ifPresent(why -> {
                    throw new InvalidRequest("AgentGroupId " + groupId + " cannot be deleted: " + why);
                });
            }
            repository.deleteGroup(tx, groupId);
            return null;
        });
    }

    public List<AgentGroup> groups(Tenant tenant) {
        return repository.groups(tenant.db());
    }

    public Optional<AgentGroup> group(TenantDb db, long groupId) {
        return repository.group(db, groupId);
    }

    public boolean groupExists(TenantDb db, long groupId) {
        return repository.group(db, groupId).isPresent();
    }

    public List<String> membersOf(TenantDb db, long groupId) {
        return repository.membersOf(db, groupId);
    }

    public List<Long> groupsOf(TenantDb db, String memberId) {
        return repository.groupsOf(db, memberId);
    }

    private AgentGroup existingGroup(TenantDb tx, long groupId) {
        return repository.group(tx, groupId).orElseThrow(() -> unknownGroup(groupId));
    }

    private static InvalidRequest unknownGroup(long groupId) {
        return new InvalidRequest("AgentGroupId " + groupId + " is not an agent group of this app (see get_agent_group_list)");
    }

    private void requireMembers(TenantDb tx, List<String> memberIds) {
        for (String id : memberIds) {
            if (repository.member(tx, id).isEmpty()) {
                throw new InvalidRequest("MemberIds: '" + id + "' is not a member of this app (add it with add_member first)");
            }
        }
    }

    private static List<String> memberIds(List<String> raw) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            ids.add(memberId("MemberIds[" + i + "]", raw.get(i)));
        }
        return new ArrayList<>(ids);
    }

    // ---- desk settings

    public DeskSettings settings(TenantDb db) {
        return repository.settings(db).orElse(DeskSettings.DEFAULTS);
    }

    /** The settings as routing reads them on every request: kept for a second. */
    public DeskSettings liveSettings(TenantDb db) {
        return liveSettings.get(db.sdkAppId(), Boolean.TRUE, k -> settings(db));
    }

    /** The fields of update_desk_settings; absent ones keep their values. */
    public record SettingsChange(Integer receptionMode, Integer acceptTimeoutSeconds, Integer restAfterAcceptTimeout,
                                 Integer maxSessionsPerAgent, String timeZone, Integer agentReplyTimeoutSeconds,
                                 Integer queueOfflineTimeoutSeconds, Integer contactUserEnabled) {
        public SettingsChange(Integer receptionMode, Integer acceptTimeoutSeconds, Integer restAfterAcceptTimeout,
                              Integer maxSessionsPerAgent, String timeZone, Integer agentReplyTimeoutSeconds,
                              Integer queueOfflineTimeoutSeconds) {
            this(receptionMode, acceptTimeoutSeconds, restAfterAcceptTimeout, maxSessionsPerAgent, timeZone,
                    agentReplyTimeoutSeconds, queueOfflineTimeoutSeconds, null);
        }

        public SettingsChange(Integer receptionMode, Integer acceptTimeoutSeconds, Integer restAfterAcceptTimeout,
                              Integer maxSessionsPerAgent, String timeZone) {
            this(receptionMode, acceptTimeoutSeconds, restAfterAcceptTimeout, maxSessionsPerAgent, timeZone, null, null, null);
        }

        public SettingsChange(Integer receptionMode, Integer acceptTimeoutSeconds, Integer restAfterAcceptTimeout,
                              Integer maxSessionsPerAgent, String timeZone, Integer agentReplyTimeoutSeconds) {
            this(receptionMode, acceptTimeoutSeconds, restAfterAcceptTimeout, maxSessionsPerAgent, timeZone,
                    agentReplyTimeoutSeconds, null, null);
        }
    }

    /** The longest AgentReplyTimeout: a week, as the accounts' UserTimeout. */
    public static final int MAX_AGENT_REPLY_TIMEOUT_SECONDS = 7 * 24 * 3600;

    public DeskSettings updateSettings(Tenant tenant, SettingsChange c) {
        if (c.receptionMode() != null && c.receptionMode() != 0 && c.receptionMode() != 1) {
            throw new InvalidRequest("ReceptionMode must be 0 (automatic) or 1 (manual), got " + c.receptionMode());
        }
        if (c.acceptTimeoutSeconds() != null && (c.acceptTimeoutSeconds() < 5
                || c.acceptTimeoutSeconds() > MAX_ACCEPT_TIMEOUT_SECONDS)) {
            throw new InvalidRequest("AcceptTimeout must be 5 to " + MAX_ACCEPT_TIMEOUT_SECONDS + " seconds, got "
                    + c.acceptTimeoutSeconds());
        }
        Fields.flag("RestAfterAcceptTimeout", c.restAfterAcceptTimeout());
        if (c.maxSessionsPerAgent() != null && (c.maxSessionsPerAgent() < 1
                || c.maxSessionsPerAgent() > MAX_SESSIONS_PER_AGENT)) {
            throw new InvalidRequest("MaxSessionsPerAgent must be 1 to " + MAX_SESSIONS_PER_AGENT + ", got "
                    + c.maxSessionsPerAgent());
        }
        if (c.agentReplyTimeoutSeconds() != null && (c.agentReplyTimeoutSeconds() < 0
                || c.agentReplyTimeoutSeconds() > MAX_AGENT_REPLY_TIMEOUT_SECONDS)) {
            throw new InvalidRequest("AgentReplyTimeout must be 0 (off) to " + MAX_AGENT_REPLY_TIMEOUT_SECONDS
                    + " seconds, got " + c.agentReplyTimeoutSeconds());
        }
        if (c.queueOfflineTimeoutSeconds() != null && (c.queueOfflineTimeoutSeconds() < 0
                || c.queueOfflineTimeoutSeconds() > MAX_AGENT_REPLY_TIMEOUT_SECONDS)) {
            throw new InvalidRequest("QueueOfflineTimeout must be 0 (never) to " + MAX_AGENT_REPLY_TIMEOUT_SECONDS
                    + " seconds, got " + c.queueOfflineTimeoutSeconds());
        }
        Fields.flag("ContactUserEnabled", c.contactUserEnabled());
        String zone = c.timeZone() == null ? null : zone(c.timeZone());
        DeskSettings saved = tenant.db().inTransaction(tx -> {
            DeskSettings old = settings(tx);
            DeskSettings next = new DeskSettings(c.receptionMode() == null ? old.receptionMode() : c.receptionMode(),
                    c.acceptTimeoutSeconds() == null ? old.acceptTimeoutSeconds() : c.acceptTimeoutSeconds(),
                    c.restAfterAcceptTimeout() == null ? old.restAfterAcceptTimeout() : c.restAfterAcceptTimeout() == 1,
                    c.maxSessionsPerAgent() == null ? old.maxSessionsPerAgent() : c.maxSessionsPerAgent(),
                    zone == null ? old.timeZone() : zone,
                    c.agentReplyTimeoutSeconds() == null ? old.agentReplyTimeoutSeconds() : c.agentReplyTimeoutSeconds(),
                    c.queueOfflineTimeoutSeconds() == null ? old.queueOfflineTimeoutSeconds()
                            : c.queueOfflineTimeoutSeconds(),
                    c.contactUserEnabled() == null ? old.contactUserEnabled() : c.contactUserEnabled() == 1);
            repository.saveSettings(tx, next, clock.millis());
            return next;
        });
        liveSettings.invalidate(tenant.sdkAppId());
        return saved;
    }

    /** An IANA time-zone name (Asia/Shanghai, Europe/Berlin, UTC) in any case, answered as the database spells it. */
    private static String zone(String raw) {
        String clean = raw.strip();
        String zone = ZONES.get(clean.toLowerCase(Locale.ROOT));
        if (zone == null) {
            throw new InvalidRequest("TimeZone must be an IANA time-zone name such as Asia/Shanghai, Europe/Berlin or UTC,"
                    + " got '" + printable(clean) + "'");
        }
        return zone;
    }
}
