/**
 * IM accounts (im_open_login_svc): import, check and delete, per tenant, plus the default
 * accounts every app has (its administrators and @customer_service_account).
 */
package org.opendesk.account;
