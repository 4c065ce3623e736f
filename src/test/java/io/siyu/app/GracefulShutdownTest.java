package io.siyu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.siyu.support.Api;
import io.siyu.support.Await;
import io.siyu.support.TestSiyu;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stop that arrives while an upload is still streaming lets that request finish (and the upload
 * is stored and acknowledged); the import it started resumes at the next start.
 */
class GracefulShutdownTest {

  @Test
  void aStopWaitsForTheRequestInFlight() throws Exception {
    Config config = TestSiyu.freshConfig(Map.of("SIYU_DB_URL", ""));
    Siyu siyu = TestSiyu.start(config);
    Vertx clientVertx = Vertx.vertx(); // the client must outlive the server's Vert.x
    try {
      HttpClient client = clientVertx.createHttpClient();
      HttpClientRequest upload = Await.result(client.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setHost("127.0.0.1").setPort(siyu.httpPort()).setURI("/api/v1/imports")
              .putHeader("Authorization", "Bearer " + TestSiyu.ADMIN_TOKEN)
              .putHeader("Content-Type", "text/csv")));
      upload.setChunked(true);
      Future<HttpClientResponse> response = upload.response();
      // read the body as soon as the response arrives, on the client's event loop, or it is gone
      Future<Buffer> body = response.compose(HttpClientResponse::body);
      upload.write("email,name\n");
      for (int i = 0; i < 500; i++) {
        upload.write("drain" + i + "@x.cn,n" + i + "\n");
      }
      for (int i = 0; i < 200 && siyu.requestsInFlight() == 0; i++) {
        Thread.sleep(25); // until the server is inside the upload handler, waiting for more body
      }
      assertEquals(1, siyu.requestsInFlight());

      Future<Void> stopped = siyu.stop();
      Thread.sleep(500);
      assertFalse(stopped.isComplete(), "the stop waits for the upload in flight");
      for (int i = 500; i < 1000; i++) {
        upload.write("drain" + i + "@x.cn,n" + i + "\n");
      }
      upload.end();
      String text = Await.result(body).toString();
      assertEquals(202, response.result().statusCode(), text);
      Await.result(stopped, Duration.ofSeconds(60));
    } finally {
      clientVertx.close();
    }

    Siyu again = TestSiyu.start(config);
    try {
      Api api = TestSiyu.admin(again);
      JsonObject job = api.awaitImport(api.latestImportId());
      assertEquals("done", job.getString("status"), job.encode());
      assertEquals(1000, job.getInteger("rows_inserted"));
    } finally {
      TestSiyu.stop(again);
    }
  }
}
