/**
 * A self-hosted server speaking the Tencent Cloud IM Desk REST API. {@link org.opendesk.Main}
 * wires the feature packages; {@link org.opendesk.Desk} is the assembled application.
 */
package org.opendesk;
