/**
 * Operations: health checks reported at /observe/health (metrics live with the transports
 * that record them and are exported at /observe/metrics).
 */
package org.opendesk.ops;
