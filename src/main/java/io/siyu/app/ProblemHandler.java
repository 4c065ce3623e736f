package io.siyu.app;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.siyu.problem.Problem;
import io.siyu.web.Bodies;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an {@code application/problem+json} answer. Client mistakes keep
 * their detail; a database that cannot be reached is a 503 with {@code Retry-After}; anything
 * unexpected is logged here and answered with a bare 500, so neither SQL nor stack traces ever
 * reach a client.
 */
public final class ProblemHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  private ProblemHandler() {}

  public static void install(Router router) {
    router.route().failureHandler(ProblemHandler::handle);
    for (int status : new int[] {400, 401, 403, 404, 405, 406, 413, 415, 500}) {
      router.errorHandler(status, ProblemHandler::handle);
    }
  }

  /**
   * Requests the HTTP layer could not read (a request line beyond its limit, headers beyond theirs,
   * a malformed header) never reach a router: Vert.x answered them with a bare status. They get
   * the same problem documents as everything else, and the connection is closed as before (what
   * follows on it cannot be trusted to start a request).
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem = cause instanceof TooLongHttpLineException
        ? new Problem(414, "uri-too-long", "URI too long", "The request line is longer than this server reads", null)
        : cause instanceof TooLongHttpHeaderException
            ? new Problem(431, "headers-too-large", "Request header fields too large",
                "The request's headers are larger than this server reads", null)
            : Problem.badRequest("The request could not be read as HTTP");
    Bodies.problem(request.response(), problem);
    request.connection().close();
  }

  public static void handle(RoutingContext ctx) {
    Bodies.problem(ctx.response(), toProblem(ctx));
  }

  static Problem toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof Problem p) {
      return p;
    }
    if (io.siyu.db.Rows.isUniqueViolation(failure)) {
      return Problem.conflict("A record with the same unique value already exists", null);
    }
    if (io.siyu.db.Unavailable.is(failure)) {
      // the request's transaction did not commit; the database monitor logs the outage once
      return Problem.databaseUnavailable();
    }
    int status = ctx.statusCode();
    if (failure == null || status >= 400 && status < 500) {
      return forStatus(status < 400 ? 500 : status, ctx);
    }
    log.error("Unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
    return forStatus(500, ctx);
  }

  private static Problem forStatus(int status, RoutingContext ctx) {
    return switch (status) {
      case 400 -> Problem.badRequest("The request could not be read");
      case 401 -> Problem.unauthorized("A valid bearer token is required");
      case 403 -> Problem.forbidden("This token's role may not do that");
      case 404 -> new Problem(404, "not-found", "Not found", "No resource at " + ctx.request().path(), null);
      case 405 -> new Problem(405, "method-not-allowed", "Method not allowed",
          ctx.request().method() + " is not allowed on " + ctx.request().path(), null);
      case 406 -> new Problem(406, "not-acceptable", "Not acceptable", "This resource answers in JSON", null);
      case 413 -> Problem.tooLarge("The request body is larger than this endpoint accepts");
      case 415 -> Problem.unsupportedMediaType("Send the body as application/json");
      default -> new Problem(500, "internal", "Internal error", "Something went wrong on our side", null);
    };
  }
}
