package io.siyu.app;

import io.siyu.attribute.AttributeRoutes;
import io.siyu.auth.AuthHandler;
import io.siyu.auth.TokenRoutes;
import io.siyu.contact.ContactRoutes;
import io.siyu.event.EventRoutes;
import io.siyu.imports.ImportRoutes;
import io.siyu.segment.SegmentRoutes;
import io.siyu.tag.TagRoutes;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The map of the API: every feature's routes under {@code /api/v1}, behind the token check. */
final class Features {
  private Features() {}

  static void mount(Router api, Services s) {
    api.route("/v1/*").handler(new AuthHandler(s.tokens()));
    // imports stream their body to disk, so they are mounted before the buffering body handler
    Router v1 = Router.router(s.vertx());
    io.siyu.web.ProblemHandler.install(v1);
    ImportRoutes.mount(v1, s.imports());
    v1.route().handler(BodyHandler.create(false).setBodyLimit(s.config().bodyLimitBytes()));
    TokenRoutes.mount(v1, s.tokens());
    AttributeRoutes.mount(v1, s.attributes());
    ContactRoutes.mount(v1, s.contacts(), s.tags(), s.events());
    TagRoutes.mount(v1, s.tags());
    SegmentRoutes.mount(v1, s.segments());
    EventRoutes.mount(v1, s.events());
    api.route("/v1/*").subRouter(v1);
  }
}
