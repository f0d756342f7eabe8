package org.opendesk.team;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Member roles (Desk 成员角色): 超级管理员 super administrator (one per app, neither deleted nor
 * modified), 在线管理员 online administrator (the admin console), 在线员工 online agent (the
 * workbench, here the agent API). A member may hold admin and staff together.
 */
public enum Role {
    SUPER_ADMIN("super_admin"), ADMIN("admin"), STAFF("staff");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Role of(String wire) {
        for (Role r : values()) {
            if (r.wire.equals(wire)) {
                return r;
            }
        }
        return null;
    }

    /** The stored form: wire names joined by commas, in declaration order. */
    static String join(Set<Role> roles) {
        return roles.stream().sorted().map(Role::wire).collect(Collectors.joining(","));
    }

    static Set<Role> split(String stored) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : stored.split(",")) {
            Role r = of(part.strip());
            if (r != null) {
                roles.add(r);
            }
        }
        return roles;
    }
}
