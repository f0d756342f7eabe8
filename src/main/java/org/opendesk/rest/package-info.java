/**
 * The admin REST transport ({@code POST /v4/<service>/<command>}): command tables, the one
 * dispatcher that authenticates, binds, calls and renders the vendor envelope.
 */
package org.opendesk.rest;
