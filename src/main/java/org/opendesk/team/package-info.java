/**
 * The team: members (human agents, MemberId = e-mail) with their roles, passwords and status,
 * agent groups, and the desk settings (reception mode, capacity, time zone) routing works with;
 * their extension commands of desk_http_svc (add_member, add_agent_group, update_desk_settings, ...).
 */
package org.opendesk.team;
