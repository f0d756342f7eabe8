/**
 * The shared JSON mapper. Bodies are read as bytes and bound with this one instance,
 * configured for the vendor's strictness (no scalar coercion, duplicate keys refused).
 */
package org.opendesk.json;
