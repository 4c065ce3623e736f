package io.siyu.support;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * An HTTP server on a free port of 127.0.0.1 with a Vert.x of its own, for the fake providers:
 * their event loop is not the one the client under test runs on, as with a real provider.
 */
final class LoopbackHttp implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  LoopbackHttp(Handler<HttpServerRequest> handler) {
    server = Await.result(vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** For answers that wait: {@code vertx().setTimer(...)}. */
  Vertx vertx() {
    return vertx;
  }

  /** Closing again does nothing. */
  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
