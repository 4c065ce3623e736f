package io.siyu.contact;

import io.siyu.problem.Problem;
import io.siyu.web.Page;
import io.siyu.web.Params;
import io.vertx.core.MultiMap;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The filters of {@code GET /api/v1/contacts}, validated; an unknown parameter is a 422, not ignored. */
public record ContactQuery(Map<String, String> identities, String name, String lifecycleStage,
    OffsetDateTime updatedSince, Long tagId, Long segmentId, ContactSearch search) {

  private static final Set<String> KNOWN = Page.paramsWith("external_userid", "unionid", "openid", "mobile", "email",
      "name", "lifecycle_stage", "lifecycle", "updated_since", "tag", "segment", "q");

  public static ContactQuery from(MultiMap params, String countryCode) {
    for (String name : params.names()) {
      if (!KNOWN.contains(name)) {
        throw Problem.invalid(name, "is not a filter of this list; use one of " + new java.util.TreeSet<>(KNOWN));
      }
    }
    Map<String, String> ids = new LinkedHashMap<>();
    for (String k : Identities.KEYS) {
      String v = params.get(k);
      if (v != null) {
        try {
          ids.put(k, Identities.normalise(k, v, countryCode));
        } catch (IllegalArgumentException e) {
          throw Problem.invalid(k, e.getMessage());
        }
      }
    }
    String stage = params.get("lifecycle_stage") != null ? params.get("lifecycle_stage") : params.get("lifecycle");
    if (stage != null && !ContactInput.LIFECYCLE_STAGES.contains(stage)) {
      throw Problem.invalid("lifecycle_stage", "must be one of " + new java.util.TreeSet<>(ContactInput.LIFECYCLE_STAGES));
    }
    String name = params.get("name");
    if (name != null && (name.isBlank() || name.length() > 200)) {
      throw Problem.invalid("name", "must be 1 to 200 characters");
    }
    String q = params.get("q");
    if (q != null && (q.isBlank() || q.length() > 200)) {
      throw Problem.invalid("q", "must be 1 to 200 characters: a mobile, an email, an external_userid or the start of a name");
    }
    return new ContactQuery(ids, name, stage, Params.timestamp(params, "updated_since"),
        Params.positiveId(params, "tag"), Params.positiveId(params, "segment"), q == null ? null : ContactSearch.of(q, countryCode));
  }
}
