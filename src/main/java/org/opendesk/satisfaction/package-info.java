/**
 * Satisfaction ratings (满意度评价): the settings commands (get_satisfaction_settings,
 * update_satisfaction_settings), the rating card (src 9) sent when a served session ends, on a
 * member's invitation or on the user's request (src 24), the user's choice (src 10) taken once while
 * the card is valid, the SatisfactionSelected event, and the rating kept with the session.
 */
package org.opendesk.satisfaction;
