/**
 * Callbacks to the app's backend (Desk.SessionEventNotify and the others): each app's callback
 * settings, and the outbox that delivers events at least once, in order, across restarts.
 */
package org.opendesk.callback;
