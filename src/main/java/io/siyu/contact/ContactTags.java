package io.siyu.contact;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/**
 * A contact's tags, as the tag feature answers them: the contact's page shows them without the
 * contact feature knowing tags (tags are about contacts, not the other way round).
 */
@FunctionalInterface
public interface ContactTags {
  Future<JsonArray> ofContact(long contactId);
}
