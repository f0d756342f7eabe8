/**
 * The shared JSON mapper. Bodies are read as bytes and bound with this one instance,
 * configured for the vendor's strictness (no scalar coercion, duplicate keys refused);
 * {@link org.opendesk.json.Strict} binds fields that take exactly one JSON type.
 */
package org.opendesk.json;
