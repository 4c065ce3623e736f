package io.siyu.contact;

import io.siyu.auth.Access;
import io.siyu.web.Bodies;
import io.siyu.web.Page;
import io.vertx.ext.web.Router;

/**
 * {@code /api/v1/contacts}: create or update by identity, list and filter, read (with its tags),
 * change and delete. What hangs off one contact is mounted by its own feature (tags, events...).
 */
public final class ContactRoutes {
  private ContactRoutes() {}

  public static void mount(Router api, ContactService contacts, ContactTags tags) {
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
  }
}
