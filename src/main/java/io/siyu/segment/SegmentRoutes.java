package io.siyu.segment;

import io.siyu.auth.Access;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.ext.web.Router;

/** {@code /api/v1/segments}: preview a filter, save it, count it. */
public final class SegmentRoutes {
  private SegmentRoutes() {}

  public static void mount(Router api, SegmentService segments) {
    // preview changes nothing, so managers may use it too
    api.post("/segments/preview").handler(Access.READ).handler(ctx ->
        segments.preview(Bodies.object(ctx)).onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));
    api.post("/segments").handler(Access.WRITE).handler(ctx ->
        segments.create(Bodies.object(ctx))
            .onSuccess(s -> Bodies.created(ctx, s, "/api/v1/segments", s.getLong("id"))).onFailure(ctx::fail));
    api.get("/segments").handler(Access.READ).handler(ctx ->
        segments.list(Page.of(ctx, SegmentService.SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.get("/segments/:id").handler(Access.READ).handler(ctx ->
        segments.get(Bodies.id(ctx, "id", "Segment")).onSuccess(s -> Bodies.ok(ctx, s)).onFailure(ctx::fail));
    api.get("/segments/:id/count").handler(Access.READ).handler(ctx ->
        segments.countSaved(Bodies.id(ctx, "id", "Segment")).onSuccess(s -> Bodies.ok(ctx, s)).onFailure(ctx::fail));
    api.patch("/segments/:id").handler(Access.WRITE).handler(ctx ->
        segments.update(Bodies.id(ctx, "id", "Segment"), Bodies.object(ctx))
            .onSuccess(s -> Bodies.ok(ctx, s)).onFailure(ctx::fail));
    api.delete("/segments/:id").handler(Access.WRITE).handler(ctx ->
        segments.delete(Bodies.id(ctx, "id", "Segment")).onSuccess(v -> Bodies.noContent(ctx)).onFailure(ctx::fail));
  }
}
