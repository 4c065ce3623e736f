package io.siyu.contact;

import io.siyu.db.SqlParams;
import io.vertx.core.Future;

/**
 * A saved segment's condition over {@code contacts c}, as the segment feature compiles it (its
 * values bound in {@code params}): the contact list filters by segment without the contact feature
 * knowing segment filters, which are themselves about contacts.
 */
@FunctionalInterface
public interface SegmentConditions {
  Future<String> condition(long segmentId, SqlParams params);
}
