/**
 * Customer-service accounts (客服号, desk_http_svc *_im_agent): the entry points users write
 * to, with their prompts, working hours, assignment strategy and robot binding.
 */
package org.opendesk.imagent;
