/**
 * The robot (openim_console_http_svc): robots, languages, configuration, FAQ and chitchat
 * categories and questions, the preset library, the index sync and the robot's decision.
 */
package org.opendesk.robot;
