package org.opendesk.team;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.opendesk.json.Strict;
import org.opendesk.rest.CommandHandler;
import org.opendesk.rest.InvalidRequest;
import org.opendesk.rest.ServiceTable;
import org.opendesk.tenant.Tenant;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The team's extension commands of desk_http_svc (what the vendor does in its console under 成员管理 and
 * 会话设置): members (add_member, update_member, delete_member, get_member_list, reset_member_password,
 * force_member_offline, restore_member), agent groups (add_agent_group, update_agent_group,
 * delete_agent_group, get_agent_group_list) and the desk settings (get_desk_settings,
 * update_desk_settings). Every field takes exactly one JSON type ({@link Strict}); the wire names live
 * here only.
 */
public final class TeamCommands {
    private final TeamService team;

    public TeamCommands(TeamService team) {
        this.team = team;
    }

    /** Adds the commands to desk_http_svc's table (none has a rate limit: the vendor states none for the service). */
    public void register(ServiceTable.Builder desk) {
        desk.extension("add_member", AddMemberReq.class, 0, addMember())
                .extension("update_member", UpdateMemberReq.class, 0, updateMember())
                .extension("delete_member", MemberReq.class, 0, deleteMember())
                .extension("get_member_list", EmptyReq.class, 0, memberList())
                .extension("reset_member_password", MemberReq.class, 0, resetPassword())
                .extension("force_member_offline", MemberReq.class, 0, forceOffline())
                .extension("restore_member", MemberReq.class, 0, restore())
                .extension("add_agent_group", AddGroupReq.class, 0, addGroup())
                .extension("update_agent_group", UpdateGroupReq.class, 0, updateGroup())
                .extension("delete_agent_group", GroupReq.class, 0, deleteGroup())
                .extension("get_agent_group_list", EmptyReq.class, 0, groupList())
                .extension("get_desk_settings", EmptyReq.class, 0, settings())
                .extension("update_desk_settings", SettingsReq.class, 0, updateSettings());
    }

    // ---- requests

    public record EmptyReq() {
    }

    public record AddMemberReq(@JsonProperty("MemberId") @JsonDeserialize(using = Strict.Text.class) String memberId,
                               @JsonProperty("NickName") @JsonDeserialize(using = Strict.Text.class) String nickName,
                               @JsonProperty("Roles") @JsonDeserialize(contentUsing = Strict.Text.class) List<String> roles) {
    }

    public record UpdateMemberReq(@JsonProperty("MemberId") @JsonDeserialize(using = Strict.Text.class) String memberId,
                                  @JsonProperty("NickName") @JsonDeserialize(using = Strict.Text.class) String nickName,
                                  @JsonProperty("Roles") @JsonDeserialize(contentUsing = Strict.Text.class)
                                  List<String> roles) {
    }

    /** delete_member, reset_member_password, force_member_offline, restore_member. */
    public record MemberReq(@JsonProperty("MemberId") @JsonDeserialize(using = Strict.Text.class) String memberId) {
    }

    public record AddGroupReq(@JsonProperty("Name") @JsonDeserialize(using = Strict.Text.class) String name,
                              @JsonProperty("MemberIds") @JsonDeserialize(contentUsing = Strict.Text.class)
                              List<String> memberIds) {
    }

    public record UpdateGroupReq(@JsonProperty("AgentGroupId") @JsonDeserialize(using = Strict.Int64.class) Long agentGroupId,
                                 @JsonProperty("Name") @JsonDeserialize(using = Strict.Text.class) String name,
                                 @JsonProperty("MemberIds") @JsonDeserialize(contentUsing = Strict.Text.class)
                                 List<String> memberIds) {
    }

    public record GroupReq(@JsonProperty("AgentGroupId") @JsonDeserialize(using = Strict.Int64.class) Long agentGroupId) {
    }

    public record SettingsReq(@JsonProperty("ReceptionMode") @JsonDeserialize(using = Strict.Int32.class) Integer receptionMode,
                              @JsonProperty("AcceptTimeout") @JsonDeserialize(using = Strict.Int32.class) Integer acceptTimeout,
                              @JsonProperty("RestAfterAcceptTimeout") @JsonDeserialize(using = Strict.Int32.class)
                              Integer restAfterAcceptTimeout,
                              @JsonProperty("MaxSessionsPerAgent") @JsonDeserialize(using = Strict.Int32.class)
                              Integer maxSessionsPerAgent,
                              @JsonProperty("TimeZone") @JsonDeserialize(using = Strict.Text.class) String timeZone,
                              @JsonProperty("AgentReplyTimeout") @JsonDeserialize(using = Strict.Int32.class)
                              Integer agentReplyTimeout,
                              @JsonProperty("QueueOfflineTimeout") @JsonDeserialize(using = Strict.Int32.class)
                              Integer queueOfflineTimeout,
                              @JsonProperty("ContactUserEnabled") @JsonDeserialize(using = Strict.Int32.class)
                              Integer contactUserEnabled) {
    }

    // ---- answers

    /** add_member: the member and its generated one-time password, answered this once. */
    public record AddMemberResp(@JsonProperty("MemberId") String memberId, @JsonProperty("NickName") String nickName,
                                @JsonProperty("Roles") List<String> roles, @JsonProperty("Password") String password) {
        @Override
        public String toString() {
            return "AddMemberResp[" + memberId + ", password=(not shown)]";
        }
    }

    /** A member as get_member_list and update_member answer it; times in epoch ms (0 = never). */
    public record MemberItem(@JsonProperty("MemberId") String memberId, @JsonProperty("NickName") String nickName,
                             @JsonProperty("Roles") List<String> roles, @JsonProperty("Status") String status,
                             @JsonProperty("RestReason") String restReason, @JsonProperty("ForcedOffline") int forcedOffline,
                             @JsonProperty("ActiveSessions") int activeSessions,
                             @JsonProperty("AgentGroupIds") List<Long> agentGroupIds,
                             @JsonProperty("LastLoginTime") long lastLoginTime, @JsonProperty("CreateTime") long createTime) {
        static MemberItem of(Member m, List<Long> groupIds) {
            return new MemberItem(m.memberId(), m.nickName(), roleNames(m), m.status().wire(), m.restReason(),
                    m.forcedOffline() ? 1 : 0, m.activeSessions(), List.copyOf(groupIds), m.lastLoginAt(), m.createdAt());
        }
    }

    public record MemberResp(@JsonProperty("Member") MemberItem member) {
    }

    public record MemberListResp(@JsonProperty("Members") List<MemberItem> members) {
    }

    public record PasswordResp(@JsonProperty("Password") String password) {
        @Override
        public String toString() {
            return "PasswordResp[(not shown)]";
        }
    }

    public record GroupIdResp(@JsonProperty("AgentGroupId") long agentGroupId) {
    }

    public record GroupItem(@JsonProperty("AgentGroupId") long agentGroupId, @JsonProperty("Name") String name,
                            @JsonProperty("MemberIds") List<String> memberIds) {
        static GroupItem of(AgentGroup g) {
            return new GroupItem(g.groupId(), g.name(), g.memberIds());
        }
    }

    public record GroupResp(@JsonProperty("AgentGroup") GroupItem agentGroup) {
    }

    public record GroupListResp(@JsonProperty("AgentGroups") List<GroupItem> agentGroups) {
    }

    public record SettingsResp(@JsonProperty("ReceptionMode") int receptionMode,
                               @JsonProperty("AcceptTimeout") int acceptTimeout,
                               @JsonProperty("RestAfterAcceptTimeout") int restAfterAcceptTimeout,
                               @JsonProperty("MaxSessionsPerAgent") int maxSessionsPerAgent,
                               @JsonProperty("TimeZone") String timeZone,
                               @JsonProperty("AgentReplyTimeout") int agentReplyTimeout,
                               @JsonProperty("QueueOfflineTimeout") int queueOfflineTimeout,
                               @JsonProperty("ContactUserEnabled") int contactUserEnabled) {
        static SettingsResp of(DeskSettings s) {
            return new SettingsResp(s.receptionMode(), s.acceptTimeoutSeconds(), s.restAfterAcceptTimeout() ? 1 : 0,
                    s.maxSessionsPerAgent(), s.timeZone(), s.agentReplyTimeoutSeconds(), s.queueOfflineTimeoutSeconds(),
                    s.contactUserEnabled() ? 1 : 0);
        }
    }

    // ---- handlers

    CommandHandler<AddMemberReq> addMember() {
        return call -> {
            AddMemberReq r = call.body();
            TeamService.Added added = team.addMember(call.tenant(), r.memberId(), r.nickName(), r.roles());
            Member m = added.member();
            return new AddMemberResp(m.memberId(), m.nickName(), roleNames(m), added.password());
        };
    }

    CommandHandler<UpdateMemberReq> updateMember() {
        return call -> {
            UpdateMemberReq r = call.body();
            Member m = team.updateMember(call.tenant(), r.memberId(), r.nickName(), r.roles());
            return new MemberResp(MemberItem.of(m, team.groupsOf(call.tenant().db(), m.memberId())));
        };
    }

    CommandHandler<MemberReq> deleteMember() {
        return call -> {
            team.deleteMember(call.tenant(), call.body().memberId());
            return null;
        };
    }

    CommandHandler<EmptyReq> memberList() {
        return call -> {
            Tenant tenant = call.tenant();
            Map<String, List<Long>> groupsOf = new HashMap<>();
            for (AgentGroup g : team.groups(tenant)) {
                g.memberIds().forEach(id -> groupsOf.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(g.groupId()));
            }
            return new MemberListResp(team.members(tenant).stream()
                    .map(m -> MemberItem.of(m, groupsOf.getOrDefault(m.memberId(), List.of()))).toList());
        };
    }

    CommandHandler<MemberReq> resetPassword() {
        return call -> new PasswordResp(team.resetPassword(call.tenant(), call.body().memberId()));
    }

    CommandHandler<MemberReq> forceOffline() {
        return call -> {
            team.forceOffline(call.tenant(), call.body().memberId());
            return null;
        };
    }

    CommandHandler<MemberReq> restore() {
        return call -> {
            team.restore(call.tenant(), call.body().memberId());
            return null;
        };
    }

    CommandHandler<AddGroupReq> addGroup() {
        return call -> new GroupIdResp(team.addGroup(call.tenant(), call.body().name(), call.body().memberIds()));
    }

    CommandHandler<UpdateGroupReq> updateGroup() {
        return call -> {
            UpdateGroupReq r = call.body();
            return new GroupResp(GroupItem.of(team.updateGroup(call.tenant(), groupId(r.agentGroupId()), r.name(),
                    r.memberIds())));
        };
    }

    CommandHandler<GroupReq> deleteGroup() {
        return call -> {
            team.deleteGroup(call.tenant(), groupId(call.body().agentGroupId()));
            return null;
        };
    }

    CommandHandler<EmptyReq> groupList() {
        return call -> new GroupListResp(team.groups(call.tenant()).stream().map(GroupItem::of).toList());
    }

    CommandHandler<EmptyReq> settings() {
        return call -> SettingsResp.of(team.settings(call.tenant().db()));
    }

    CommandHandler<SettingsReq> updateSettings() {
        return call -> {
            SettingsReq r = call.body();
            return SettingsResp.of(team.updateSettings(call.tenant(), new TeamService.SettingsChange(r.receptionMode(),
                    r.acceptTimeout(), r.restAfterAcceptTimeout(), r.maxSessionsPerAgent(), r.timeZone(),
                    r.agentReplyTimeout(), r.queueOfflineTimeout(), r.contactUserEnabled())));
        };
    }

    private static long groupId(Long raw) {
        if (raw == null) {
            throw new InvalidRequest("AgentGroupId is required (get_agent_group_list lists the groups)");
        }
        if (raw <= 0) {
            throw new InvalidRequest("AgentGroupId must be a positive agent group id, got " + raw);
        }
        return raw;
    }

    private static List<String> roleNames(Member m) {
        return m.roles().stream().sorted().map(Role::wire).toList();
    }
}
