/**
 * The team: members (human agents, MemberId = e-mail) with their roles, passwords and status,
 * agent groups, and the desk settings (reception mode, capacity, time zone) routing works with.
 */
package org.opendesk.team;
