package io.siyu.loyalty.growth;

import io.siyu.auth.Access;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** A contact's growth history, the tier table, and the tier review. */
public final class GrowthRoutes {
  private GrowthRoutes() {}

  public static void mount(Router api, GrowthService growth) {
    api.get("/contacts/:id/growth").handler(Access.READ).handler(ctx ->
        growth.history(Bodies.id(ctx, "id", "Contact"), Page.of(ctx, GrowthService.HISTORY_SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.get("/loyalty/tiers").handler(Access.READ).handler(ctx -> {
      JsonArray tiers = new JsonArray();
      growth.rules().tiers().forEach(t -> tiers.add(new JsonObject().put("name", t.name()).put("threshold", t.threshold())));
      JsonArray rules = new JsonArray();
      growth.rules().rules().forEach(r -> rules.add(new JsonObject().put("event_type", r.type()).put("fixed", r.fixed())
          .put("per_yuan", r.perYuan())));
      Bodies.ok(ctx, new JsonObject().put("tiers", tiers).put("growth_rules", rules));
    });
    api.post("/loyalty/tier-review").handler(Access.ADMIN).handler(ctx ->
        growth.review().onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));
  }
}
