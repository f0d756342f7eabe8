/**
 * Conversations: sessions between users and customer-service accounts (an explicit state
 * machine), the robot phase and the Desk custom-message protocol, and the admin message commands.
 */
package org.opendesk.conversation;
