/**
 * Realtime delivery: the visitor WebSocket and the hub that tails the message store and pushes
 * every new message and edit to the connections of its sender and receiver, on any node.
 */
package org.opendesk.realtime;
