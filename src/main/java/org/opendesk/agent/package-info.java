/**
 * The agent API (a headless workbench): member login with JWT tokens, the /agent/v1 routes and
 * the agent WebSocket that pushes each member's events in order, resumable after a reconnect.
 */
package org.opendesk.agent;
