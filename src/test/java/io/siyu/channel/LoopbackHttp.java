package io.siyu.channel;

import io.siyu.support.Await;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * An HTTP server on 127.0.0.1 with a Vert.x of its own, for the fake providers: their event loop
 * is not the one the client under test runs on, as with a real provider.
 */
public final class LoopbackHttp implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  public LoopbackHttp(Handler<HttpServerRequest> handler) {
    server = Await.result(vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** For answers that wait: {@code vertx().setTimer(...)}. */
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
