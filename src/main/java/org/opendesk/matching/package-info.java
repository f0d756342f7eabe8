/**
 * Semantic question matching: per app, robot, language and library a Lucene index of the
 * standard and similar questions, searched by BM25 and by sentence embeddings, combined
 * into one calibrated similarity in [0, 1] that the robot's thresholds act on.
 */
package org.opendesk.matching;
