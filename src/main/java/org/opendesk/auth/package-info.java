/**
 * UserSig (TLS v2): the token codec, the cached verifier, and admin authentication for
 * the REST surface.
 */
package org.opendesk.auth;
