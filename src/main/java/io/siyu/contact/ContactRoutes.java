package io.siyu.contact;

import io.siyu.auth.Access;
import io.siyu.auth.Principal;
import io.siyu.event.EventService;
import io.siyu.tag.TagService;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.ext.web.Router;

/** {@code /api/v1/contacts} and the views hanging off one contact (tags, tag history, events). */
public final class ContactRoutes {
  private ContactRoutes() {}

  public static void mount(Router api, ContactService contacts, TagService tags, EventService events) {
    api.post("/contacts").handler(Access.WRITE).handler(ctx ->
        contacts.upsert(Bodies.object(ctx)).onSuccess(u -> {
          if (u.created()) {
            Bodies.created(ctx, u.contact(), "/api/v1/contacts", u.contact().getLong("id"));
          } else {
            Bodies.ok(ctx, u.contact());
          }
        }).onFailure(ctx::fail));
    api.get("/contacts").handler(Access.READ).handler(ctx ->
        contacts.list(ContactQuery.from(ctx.queryParams(), contacts.countryCode()), Page.of(ctx, ContactService.SORTS))
            .onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail));
    api.get("/contacts/:id").handler(Access.READ).handler(ctx -> {
      long id = Bodies.id(ctx, "id", "Contact");
      contacts.get(id)
          .compose(c -> tags.ofContact(id).map(t -> c.put("tags", t)))
          .onSuccess(c -> Bodies.ok(ctx, c)).onFailure(ctx::fail);
    });
    api.patch("/contacts/:id").handler(Access.WRITE).handler(ctx ->
        contacts.patch(Bodies.id(ctx, "id", "Contact"), Bodies.object(ctx))
            .onSuccess(c -> Bodies.ok(ctx, c)).onFailure(ctx::fail));
    api.delete("/contacts/:id").handler(Access.WRITE).handler(ctx ->
        contacts.delete(Bodies.id(ctx, "id", "Contact")).onSuccess(v -> Bodies.noContent(ctx)).onFailure(ctx::fail));

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
    api.get("/contacts/:id/events").handler(Access.READ).handler(ctx -> {
      long id = Bodies.id(ctx, "id", "Contact");
      Page page = Page.of(ctx, EventService.SORTS);
      contacts.get(id).compose(c -> events.ofContact(id, page))
          .onSuccess(p -> Bodies.ok(ctx, p)).onFailure(ctx::fail);
    });
  }
}
