package io.siyu.wecom.tag;

import io.siyu.wecom.api.WecomClient;
import io.siyu.worker.WorkLoop;
import io.siyu.worker.Worker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the tag changes Siyu owes WeCom ({@code wecom_tag_pushes}, written by V25's trigger in
 * the transaction of each tag change) with {@code externalcontact/mark_tag}, as the contact's
 * owner staff member: one call per contact for everything due on it.
 *
 * <p>Rows are claimed with {@code FOR UPDATE SKIP LOCKED} (instances sharing the database take
 * different rows) and leased: a claim that is never recorded is claimed again after
 * {@link TagPushSettings#LEASE_MS}. A result is recorded only for the attempt it belongs to; a tag
 * changed again while its push was in flight goes back to pending with the newer action.
 * {@code mark_tag} adding a tag the customer has, or removing one it lacks, changes nothing, so
 * sending twice is harmless. Transient WeCom errors are retried with a doubling delay, others fail
 * the row with WeCom's answer. A backlog (a segment tagged at once) is sent no faster than
 * {@code SIYU_WECOM_RATE_PER_SECOND} calls a second from each instance. One round at a time, on
 * the context of its {@link WorkLoop}.
 */
public final class TagPushes implements Worker {
  private static final Logger log = LoggerFactory.getLogger(TagPushes.class);
  private static final int BATCH = 50;

  private static final String CLAIM = "WITH due AS (SELECT contact_id, tag_id FROM wecom_tag_pushes "
      + "  WHERE status IN ('pending', 'sending') AND next_attempt_at <= now() "
      + "  ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) "
      + "UPDATE wecom_tag_pushes p SET status = 'sending', attempts = p.attempts + 1, "
      + "  next_attempt_at = now() + $2::bigint * interval '1 millisecond' "
      + "FROM due JOIN contacts c ON c.id = due.contact_id JOIN tags t ON t.id = due.tag_id "
      + "WHERE p.contact_id = due.contact_id AND p.tag_id = due.tag_id "
      + "RETURNING p.contact_id, p.tag_id, p.action, p.revision, p.attempts, c.external_userid, "
      + "  c.owner_staff_id, t.wecom_tag_id";

  /** Results of one round: done, retry (pending again after a doubling delay, or failed past the last attempt) or failed. */
  private static final String RECORD = "UPDATE wecom_tag_pushes p SET "
      + "  status = CASE WHEN p.revision <> r.revision THEN 'pending' WHEN r.outcome = 'done' THEN 'done' "
      + "    WHEN r.outcome = 'retry' AND p.attempts < $7::int THEN 'pending' ELSE 'failed' END, "
      + "  attempts = CASE WHEN p.revision <> r.revision THEN 0 ELSE p.attempts END, "
      + "  next_attempt_at = CASE WHEN p.revision <> r.revision THEN now() "
      + "    WHEN r.outcome = 'retry' THEN now() + least($8::bigint * power(2, p.attempts - 1), $9::bigint) * interval '1 millisecond' "
      + "    ELSE p.next_attempt_at END, "
      + "  last_error = CASE WHEN p.revision <> r.revision THEN NULL ELSE r.error END, "
      + "  sent_at = CASE WHEN r.outcome = 'done' AND p.revision = r.revision THEN now() ELSE p.sent_at END "
      + "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[], $5::text[], $6::text[]) "
      + "  AS r(contact_id, tag_id, revision, attempts, outcome, error) "
      + "WHERE p.contact_id = r.contact_id AND p.tag_id = r.tag_id AND p.status = 'sending' AND p.attempts = r.attempts";

  private final Pool pool;
  private final WecomClient wecom;
  private final TagPushSettings settings;
  private final WorkLoop loop;
  /** A round is under way (on the loop's context). */
  private boolean polling;

  /** {@code wecom}: null when the WeCom API is not configured; then nothing is ever sent. */
  public TagPushes(Vertx vertx, Pool pool, WecomClient wecom, TagPushSettings settings) {
    this.pool = pool;
    this.wecom = wecom != null && wecom.customerContactConfigured() ? wecom : null;
    this.settings = settings;
    this.loop = new WorkLoop(vertx, log).drives(this::poll, () -> !polling);
  }

  @Override
  public String name() {
    return "the WeCom tag pushes";
  }

  /** Starts polling, when WeCom is configured. */
  @Override
  public void start() {
    if (wecom != null) {
      loop.start();
    }
  }

  /** Claims nothing more; completes once the round under way is recorded. */
  @Override
  public Future<Void> stop() {
    return loop.stop();
  }

  private void poll() {
    if (!loop.running() || polling) {
      return;
    }
    polling = true;
    long started = System.nanoTime();
    loop.back(round(), done -> {
      polling = false;
      if (done.failed()) {
        loop.warn("Sending tag changes to WeCom failed", done.cause());
      }
      if (!loop.running()) {
        loop.settled();
      } else if (done.succeeded() && done.result().claimed() == BATCH) {
        // more may be due: go on as soon as this round's calls fit WeCom's rate (SIYU_WECOM_RATE_PER_SECOND)
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        loop.pollIn(done.result().calls() * 1000L / wecom.ratePerSecond() - elapsedMs);
      } else {
        loop.pollAfter(done.failed(), settings.pollMs());
      }
    });
  }

  /** What one round did: rows claimed, mark_tag calls made. */
  record Round(int claimed, int calls) {}

  /** One round: claim, send per contact, record. */
  Future<Round> round() {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(BATCH, TagPushSettings.LEASE_MS)).compose(rows -> {
      Map<Long, List<Claimed>> byContact = new LinkedHashMap<>();
      rows.forEach(r -> byContact.computeIfAbsent(r.getLong("contact_id"), k -> new ArrayList<>()).add(Claimed.of(r)));
      List<Future<List<Result>>> sends = byContact.values().stream().map(this::send).toList();
      return Future.join(sends).map(all -> {
        List<Result> results = new ArrayList<>();
        sends.forEach(f -> results.addAll(f.result()));
        return results;
      }).compose(this::record).map(new Round(rows.size(), byContact.size()));
    });
  }

  private record Claimed(long contactId, long tagId, String action, long revision, int attempts, String externalUserid,
      String owner, String wecomTagId) {
    static Claimed of(Row r) {
      return new Claimed(r.getLong("contact_id"), r.getLong("tag_id"), r.getString("action"), r.getLong("revision"),
          r.getInteger("attempts"), r.getString("external_userid"), r.getString("owner_staff_id"),
          r.getString("wecom_tag_id"));
    }
  }

  private record Result(Claimed push, String outcome, String error) {}

  /** One mark_tag for everything due on one contact; never fails, the outcome is in the results. */
  private Future<List<Result>> send(List<Claimed> claims) {
    Claimed first = claims.get(0);
    String missing = first.externalUserid() == null ? "the contact has no external_userid"
        : first.owner() == null ? "the contact has no owner_staff_id to mark the tag as" : null;
    if (missing != null) {
      return Future.succeededFuture(claims.stream().map(c -> new Result(c, "failed", missing)).toList());
    }
    List<String> add = claims.stream().filter(c -> "add".equals(c.action())).map(Claimed::wecomTagId).toList();
    List<String> remove = claims.stream().filter(c -> "remove".equals(c.action())).map(Claimed::wecomTagId).toList();
    return wecom.markTag(first.owner(), first.externalUserid(), add, remove)
        .map(v -> claims.stream().map(c -> new Result(c, "done", null)).toList())
        .otherwise(err -> {
          boolean retry = !(err instanceof WecomClient.CallFailed f) || f.retryable();
          return claims.stream().map(c -> new Result(c, retry ? "retry" : "failed", err.getMessage())).toList();
        });
  }

  private Future<Void> record(List<Result> results) {
    if (results.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(RECORD).execute(Tuple.of(
            results.stream().map(r -> r.push().contactId()).toArray(Long[]::new),
            results.stream().map(r -> r.push().tagId()).toArray(Long[]::new),
            results.stream().map(r -> r.push().revision()).toArray(Long[]::new),
            results.stream().map(r -> r.push().attempts()).toArray(Integer[]::new),
            results.stream().map(Result::outcome).toArray(String[]::new),
            results.stream().map(Result::error).toArray(String[]::new),
            settings.maxAttempts(), (long) settings.retryMs(), TagPushSettings.MAX_RETRY_MS))
        .mapEmpty();
  }
}
