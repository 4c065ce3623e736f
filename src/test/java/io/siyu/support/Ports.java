package io.siyu.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for tests. */
public final class Ports {
  private Ports() {}

  /**
   * A port nothing listens on right now: for a server a test starts on a port it must know
   * beforehand, or for a provider that cannot be reached.
   */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
