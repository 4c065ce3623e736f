package io.siyu.bench;

import static io.siyu.bench.Out.log;

import io.siyu.bench.Rounds.Side;
import io.siyu.wecom.callback.WecomCallback;
import io.siyu.wecom.callback.WecomCrypt;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The WeCom ingest scenario's load: N unique {@code change_external_contact /
 * add_external_contact} callbacks, encrypted and signed with the server's keys, framed as HTTP
 * requests; the same callbacks as inbox rows for the references; and C keep-alive connections
 * sending requests back to back, each as soon as the last was answered.
 */
final class WecomLoad {
  static final String CORP_ID = "ww-bench-corp";
  static final String TOKEN = "bench-token";

  /** One answered side: its time and each request's latency. */
  record Side(double seconds, long[] latenciesNanos, String detail) {
    double rate() {
      return latenciesNanos.length / seconds;
    }

    double p99Ms() {
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      return sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
    }

    double medianMs() {
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2] / 1e6;
    }
  }

  /** A callback as the inbox stores it: decrypted, hashed, its fields as JSON. */
  record Row(byte[] hash, String event, String changeType, String message, String fields) {}

  private WecomLoad() {}

  /** C keep-alive connections sending the requests back to back; each answer must be 200 "success". */
  static Side http(int port, int concurrency, List<byte[]> requests, String who) throws Exception {
    long[] latencies = new long[requests.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < concurrency; c++) {
      Thread t = new Thread(() -> {
        try (Socket s = new Socket("127.0.0.1", port)) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          InputStream in = new BufferedInputStream(s.getInputStream());
          for (int i = next.getAndIncrement(); i < requests.size() && failure.get() == null; i = next.getAndIncrement()) {
            long start = System.nanoTime();
            out.write(requests.get(i));
            out.flush();
            String answer = readResponse(in);
            latencies[i] = System.nanoTime() - start;
            if (!answer.equals("200 success")) {
              throw new IllegalStateException(who + " answered " + answer);
            }
          }
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (failure.get() != null) {
      throw failure.get();
    }
    Side side = new Side(seconds, latencies, "");
    if (!who.equals("Siyu")) {
      log("  %s: %,.0f/s, median %.1f ms, p99 %.1f ms", who, side.rate(), side.medianMs(), side.p99Ms());
    }
    return side;
  }

  /** "status body" of one HTTP/1.1 response with a Content-Length. */
  static String readResponse(InputStream in) throws IOException {
    String status = line(in);
    int length = -1;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(h.substring(15).trim());
      }
    }
    if (length < 0) {
      throw new IOException("no Content-Length in the answer " + status);
    }
    byte[] body = in.readNBytes(length);
    return status.split(" ")[1] + " " + new String(body, StandardCharsets.UTF_8);
  }

  static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  /** N unique callbacks about new external contacts {@code users + i}, encrypted, signed now and framed as HTTP requests. */
  static List<byte[]> requests(WecomCrypt crypt, String users, int n) {
    long ts = System.currentTimeMillis() / 1000;
    List<byte[]> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String encrypted = crypt.encrypt(message(users + i, ts));
      String nonce = Integer.toString(1_000_000 + i);
      byte[] body = ("<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypted
          + "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>").getBytes(StandardCharsets.UTF_8);
      byte[] head = ("POST /webhooks/wecom?msg_signature=" + crypt.signature(Long.toString(ts), nonce, encrypted)
          + "&timestamp=" + ts + "&nonce=" + nonce + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] request = Arrays.copyOf(head, head.length + body.length);
      System.arraycopy(body, 0, request, head.length, body.length);
      requests.add(request);
    }
    return requests;
  }

  /** The same callbacks as rows of the inbox, decrypted and parsed already: what the INSERT side stores. */
  static List<Row> rows(String users, int n) throws Exception {
    long ts = System.currentTimeMillis() / 1000;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String plain = message(users + i, ts);
      WecomCallback parsed = WecomCallback.parse(plain);
      rows.add(new Row(sha.digest(plain.getBytes(StandardCharsets.UTF_8)), parsed.event(), parsed.changeType(), plain,
          parsed.fields().encode()));
    }
    return rows;
  }

  /** A new external contact, as WeCom's customer contact callback announces it. */
  static String message(String externalUserId, long ts) {
    return "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        + "<CreateTime>" + ts + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        + "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>"
        + "<UserID><![CDATA[staff" + Math.floorMod(externalUserId.hashCode(), 50) + "]]></UserID>"
        + "<ExternalUserID><![CDATA[" + externalUserId + "]]></ExternalUserID>"
        + "<State><![CDATA[bench]]></State><WelcomeCode><![CDATA[WELCOME-" + externalUserId + "]]></WelcomeCode></xml>";
  }
}
