package io.siyu.channel.email;

import io.siyu.env.Env;

/**
 * One email: an HTML body with its plain-text alternative (both rendered by the caller), and the
 * unsubscribe link that mail clients show next to the sender (RFC 2369 / RFC 8058 one-click).
 *
 * @param unsubscribeUrl an http(s) URL that unsubscribes on a POST; null for transactional mail
 */
public record EmailMessage(String to, String subject, String html, String text, String unsubscribeUrl) {
  public EmailMessage {
    if (to == null || !to.matches("[^@\\s<>,;]+@[^@\\s<>,;]+")) {
      throw new IllegalArgumentException("an email goes to one address, got '" + to + "'");
    }
    if (subject == null || subject.isBlank() || subject.contains("\r") || subject.contains("\n")) {
      throw new IllegalArgumentException("an email needs a subject of one line");
    }
    if (html == null || html.isBlank() || text == null || text.isBlank()) {
      throw new IllegalArgumentException("an email needs both an HTML body and its plain-text alternative");
    }
    if (unsubscribeUrl != null && !Env.isHttpUrl(unsubscribeUrl)) {
      throw new IllegalArgumentException("the unsubscribe link must be an http(s) URL, got '" + unsubscribeUrl + "'");
    }
  }
}
