package io.siyu.tag;

import io.siyu.auth.Access;
import io.siyu.auth.Principal;
import io.siyu.contact.ContactService;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.siyu.web.Params;
import io.vertx.ext.web.Router;

/** {@code /api/v1/tag-groups} and {@code /api/v1/tags}, including bulk tagging. */
public final class TagRoutes {
  private TagRoutes() {}

  public static void mount(Router api, TagService tags, ContactService contacts) {
    api.post("/tag-groups").handler(Access.WRITE).handler(ctx ->
        tags.createGroup(Bodies.object(ctx))
            .onSuccess(g -> Bodies.created(ctx, g, "/api/v1/tag-groups", g.getLong("id"))).onFailure(ctx::fail));
    api.get("/tag-groups").handler(Access.READ).handler(ctx ->
        tags.listGroups(Page.of(ctx, TagService.GROUP_SORTS)).onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.get("/tag-groups/:id").handler(Access.READ).handler(ctx ->
        tags.getGroup(Bodies.id(ctx, "id", "Tag group")).onSuccess(g -> Bodies.ok(ctx, g)).onFailure(ctx::fail));
    api.patch("/tag-groups/:id").handler(Access.WRITE).handler(ctx ->
        tags.renameGroup(Bodies.id(ctx, "id", "Tag group"), Bodies.object(ctx))
            .onSuccess(g -> Bodies.ok(ctx, g)).onFailure(ctx::fail));
    api.delete("/tag-groups/:id").handler(Access.WRITE).handler(ctx ->
        tags.deleteGroup(Bodies.id(ctx, "id", "Tag group")).onSuccess(v -> Bodies.noContent(ctx)).onFailure(ctx::fail));

    api.post("/tags").handler(Access.WRITE).handler(ctx ->
        tags.createTag(Bodies.object(ctx))
            .onSuccess(t -> Bodies.created(ctx, t, "/api/v1/tags", t.getLong("id"))).onFailure(ctx::fail));
    api.get("/tags").handler(Access.READ).handler(ctx ->
        tags.listTags(Params.positiveId(ctx.queryParams(), "group_id"), Page.of(ctx, TagService.TAG_SORTS))
            .onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.get("/tags/:id").handler(Access.READ).handler(ctx ->
        tags.getTag(Bodies.id(ctx, "id", "Tag")).onSuccess(t -> Bodies.ok(ctx, t)).onFailure(ctx::fail));
    api.patch("/tags/:id").handler(Access.WRITE).handler(ctx ->
        tags.renameTag(Bodies.id(ctx, "id", "Tag"), Bodies.object(ctx)).onSuccess(t -> Bodies.ok(ctx, t)).onFailure(ctx::fail));
    api.delete("/tags/:id").handler(Access.WRITE).handler(ctx ->
        tags.deleteTag(Bodies.id(ctx, "id", "Tag"), Principal.of(ctx).actor())
            .onSuccess(v -> Bodies.noContent(ctx)).onFailure(ctx::fail));

    api.post("/tags/:id/contacts").handler(Access.WRITE).handler(ctx ->
        tags.bulk(Bodies.id(ctx, "id", "Tag"), Bodies.object(ctx), Principal.of(ctx).actor(), true)
            .onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));
    api.post("/tags/:id/contacts/remove").handler(Access.WRITE).handler(ctx ->
        tags.bulk(Bodies.id(ctx, "id", "Tag"), Bodies.object(ctx), Principal.of(ctx).actor(), false)
            .onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));
    api.get("/contacts/:id/tags").handler(Access.READ).handler(ctx -> {
      long id = Bodies.id(ctx, "id", "Contact");
      contacts.get(id).compose(c -> tags.ofContact(id))
          .onSuccess(t -> Bodies.ok(ctx, new io.vertx.core.json.JsonObject().put("items", t))).onFailure(ctx::fail);
    });
    api.post("/contacts/:id/tags").handler(Access.WRITE).handler(ctx ->
        tags.tagContact(Bodies.id(ctx, "id", "Contact"), Bodies.object(ctx), Principal.of(ctx).actor())
            .onSuccess(r -> Bodies.ok(ctx, r)).onFailure(ctx::fail));
    api.delete("/contacts/:id/tags/:tagId").handler(Access.WRITE).handler(ctx ->
        tags.untagContact(Bodies.id(ctx, "id", "Contact"), Bodies.id(ctx, "tagId", "Tag"), Principal.of(ctx).actor())
            .onSuccess(v -> Bodies.noContent(ctx)).onFailure(ctx::fail));
    api.get("/contacts/:id/tag-history").handler(Access.READ).handler(ctx -> {
      long id = Bodies.id(ctx, "id", "Contact");
      Page page = Page.of(ctx, TagService.HISTORY_SORTS);
      contacts.get(id).compose(c -> tags.history(id, page))
          .onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail);
    });
  }
}
