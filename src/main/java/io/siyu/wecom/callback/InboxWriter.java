package io.siyu.wecom.callback;

import io.siyu.web.JcaPerThread;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores decrypted callbacks with group commit: callbacks that arrive while a write is under way
 * wait for it, then go in together — one multi-row INSERT, one commit — and each request is
 * answered when its batch has committed. At a trickle each callback is written at once; under
 * load a commit carries as many as arrived meanwhile, so the disk's flushes, not the requests,
 * set the pace. A batch that fails is written again one row at a time, so one bad row fails only
 * its own request.
 *
 * <p>State lives on one Vert.x context, so it needs no locks.
 */
public final class InboxWriter {
  /** Batches stay well below the protocol's limits and keep one commit's work small. */
  static final int MAX_BATCH = 500;

  /**
   * A message already stored (a WeCom retry, re-encrypted) conflicts on its hash and is skipped:
   * its request is answered like the first, nothing is stored twice.
   */
  private static final String INSERT = "INSERT INTO wecom_callbacks (message_hash, event, change_type, message, fields) "
      + "SELECT h, e, c, m, f::jsonb FROM unnest($1::bytea[], $2::text[], $3::text[], $4::text[], $5::text[]) "
      + "  WITH ORDINALITY AS r (h, e, c, m, f, n) ORDER BY n "
      + "ON CONFLICT (message_hash) DO NOTHING";

  private final Context context;
  private final Pool pool;
  private final Runnable onStored;

  // confined to context
  /** Waiting for the write under way, by message hash (a retry arriving meanwhile joins the first). */
  private final Map<Buffer, Pending> waiting = new LinkedHashMap<>();
  private boolean writing;
  /**
   * The writer's own connection, kept: a callback is answered only once its row is committed, so
   * its write must not wait in the shared pool's queue behind the handlers' work (with handlers
   * busy, that queue made the answers 20 times slower).
   */
  private Future<SqlConnection> connection;

  /** {@code onStored} runs after every commit that stored a new callback (the processor's wake). */
  public InboxWriter(Context context, Pool pool, Runnable onStored) {
    this.context = context;
    this.pool = pool;
    this.onStored = onStored;
  }

  private static final class Pending {
    final String message;
    final WecomCallback parsed;
    final List<Promise<Void>> answers = new ArrayList<>(1);

    Pending(String message, WecomCallback parsed) {
      this.message = message;
      this.parsed = parsed;
    }
  }

  /**
   * Stores the decrypted {@code message} ({@code parsed} is its {@link WecomCallback#parse}); the
   * future completes once it is committed, or was already there.
   */
  public Future<Void> store(String message, WecomCallback parsed) {
    Buffer hash = hash(message);
    Promise<Void> stored = Promise.promise();
    if (io.vertx.core.Vertx.currentContext() == context) {
      enqueue(hash, message, parsed, stored);
    } else {
      context.runOnContext(v -> enqueue(hash, message, parsed, stored));
    }
    return stored.future();
  }

  /** On the context: the first of a quiet moment is written at once, the rest wait for the write under way. */
  private void enqueue(Buffer hash, String message, WecomCallback parsed, Promise<Void> stored) {
    waiting.computeIfAbsent(hash, h -> new Pending(message, parsed)).answers.add(stored);
    write();
  }

  /** The dedup key, made on the event loop for every callback: one digest per thread ({@link JcaPerThread}). */
  static Buffer hash(String message) {
    return Buffer.buffer(SHA256.get().digest(message.getBytes(StandardCharsets.UTF_8)));
  }

  private static final ThreadLocal<MessageDigest> SHA256 = JcaPerThread.of(MessageDigest::getInstance, "SHA-256");

  private void write() {
    if (writing || waiting.isEmpty()) {
      return;
    }
    Map<Buffer, Pending> batch = new LinkedHashMap<>();
    var it = waiting.entrySet().iterator();
    while (it.hasNext() && batch.size() < MAX_BATCH) {
      var e = it.next();
      batch.put(e.getKey(), e.getValue());
      it.remove();
    }
    writing = true;
    insert(batch).onComplete(ar -> {
      writing = false;
      if (ar.succeeded() && ar.result() > 0) {
        onStored.run();
      }
      write();
    });
  }

  /** Writes the batch and answers its requests; completes with the number of new rows. */
  private Future<Integer> insert(Map<Buffer, Pending> batch) {
    return rows(batch)
        .recover(err -> batch.size() == 1 ? Future.failedFuture(err) : oneByOne(batch))
        .andThen(ar -> {
          if (ar.succeeded()) {
            batch.values().forEach(p -> p.answers.forEach(a -> a.tryComplete()));
          } else {
            batch.values().forEach(p -> p.answers.forEach(a -> a.tryFail(ar.cause())));
          }
        })
        .otherwise(0);
  }

  /**
   * After a failed batch: each row in its own statement, one after another (so ids keep the order
   * of arrival), each request answered with its own row's outcome.
   */
  private Future<Integer> oneByOne(Map<Buffer, Pending> batch) {
    Future<Integer> stored = Future.succeededFuture(0);
    for (var e : batch.entrySet()) {
      Pending p = e.getValue();
      stored = stored.compose(n -> rows(Map.of(e.getKey(), p)).transform(ar -> {
        if (ar.failed()) {
          // a failed row is answered here; the caller's tryComplete() then leaves it alone
          p.answers.forEach(a -> a.tryFail(ar.cause()));
          return Future.succeededFuture(n);
        }
        return Future.succeededFuture(n + ar.result());
      }));
    }
    return stored;
  }

  private Future<Integer> rows(Map<Buffer, Pending> batch) {
    int n = batch.size();
    Buffer[] hashes = new Buffer[n];
    String[] events = new String[n];
    String[] changeTypes = new String[n];
    String[] messages = new String[n];
    String[] fields = new String[n];
    int i = 0;
    for (var e : batch.entrySet()) {
      WecomCallback c = e.getValue().parsed;
      hashes[i] = e.getKey();
      events[i] = c.event();
      changeTypes[i] = c.changeType();
      messages[i] = e.getValue().message;
      fields[i] = c.fields().encode();
      i++;
    }
    return connection().compose(conn -> conn.preparedQuery(INSERT)
        .execute(Tuple.tuple().addValue(hashes).addValue(events).addValue(changeTypes).addValue(messages).addValue(fields))
        .map(r -> r.rowCount()));
  }

  /** On this context: the kept connection, taken again from the pool once it has failed or closed. */
  private Future<SqlConnection> connection() {
    if (connection == null || connection.failed()) {
      connection = pool.getConnection().onSuccess(c -> c.closeHandler(v -> context.runOnContext(x -> connection = null)));
    }
    return connection;
  }
}
