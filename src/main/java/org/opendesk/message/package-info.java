/**
 * The message store: C2C messages in Tencent IM's format with MsgKey and a per-app sequence that
 * commits in order, so any node can tail it; MsgBody validation.
 */
package org.opendesk.message;
