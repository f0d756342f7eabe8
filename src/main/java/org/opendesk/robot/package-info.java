/**
 * The robot's knowledge (openim_console_http_svc): robots, FAQ and chitchat categories,
 * and the default robot every app has. Questions and matching build on this package.
 */
package org.opendesk.robot;
