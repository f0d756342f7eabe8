/**
 * Server settings: environment variables over application.yaml over defaults, in one record.
 */
package org.opendesk.config;
