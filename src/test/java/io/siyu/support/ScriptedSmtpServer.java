package io.siyu.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * An SMTP server on loopback that answers the envelope with a scripted reply, for the failures a
 * real test server will not give on demand: greylisting (451), unknown mailbox (550), a server
 * that turns everyone away at the greeting (421).
 */
public final class ScriptedSmtpServer implements Fake {
  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final String greeting;
  private final String rcptReply;

  /** Greets with {@code greeting} (e.g. {@code 220 fake}) and answers every RCPT TO with {@code rcptReply}. */
  public ScriptedSmtpServer(String greeting, String rcptReply) {
    this.greeting = greeting;
    this.rcptReply = rcptReply;
    this.server = Await.result(vertx.createNetServer().connectHandler(this::converse).listen(0, "127.0.0.1"));
  }

  public int port() {
    return server.actualPort();
  }

  private void converse(NetSocket socket) {
    socket.write(greeting + "\r\n");
    RecordParser lines = RecordParser.newDelimited("\r\n", line -> socket.write(reply(line.toString()) + "\r\n"));
    socket.handler(lines);
  }

  private String reply(String line) {
    String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
    return switch (command) {
      case "EHLO", "HELO" -> "250 fake.smtp.test";
      case "RCPT" -> rcptReply;
      case "QUIT" -> "221 bye";
      default -> "250 ok";
    };
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
