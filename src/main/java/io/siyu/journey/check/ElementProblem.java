package io.siyu.journey.check;

import io.vertx.core.json.JsonObject;

/** One problem of a journey file, as the 422 answer lists it: the element's id and what is wrong. */
public final class ElementProblem {
  private ElementProblem() {}

  public static JsonObject of(String element, String problem) {
    return new JsonObject().put("element", element).put("problem", problem);
  }
}
