/**
 * The vendor's error catalogue and the one exception type that carries it.
 * Every failure a caller sees is a {@link org.opendesk.error.DeskError}; nothing else leaks.
 */
package org.opendesk.error;
