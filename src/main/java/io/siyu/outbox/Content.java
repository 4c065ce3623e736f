package io.siyu.outbox;

/**
 * A touch rendered for its channel: {@code subject} (email), {@code html} (email; sanitised) and
 * {@code text} (every channel that takes text, and email's plain-text part). Links in both are
 * already the tracked short links. {@code unsubscribeUrl}: the contact's one-click opt-out from
 * this channel, for marketing touches (null for transactional ones).
 */
public record Content(String subject, String html, String text, int templateVersion, String unsubscribeUrl) {}
