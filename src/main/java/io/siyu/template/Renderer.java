package io.siyu.template;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jsoup.nodes.Element;

/**
 * Renders one version for one channel: picks the variant ({@link VariantChoice}), runs its Liquid,
 * sanitises HTML and derives the text (or the HTML from text), rewrites links, and checks the
 * channel's limits ({@link ChannelRules}, {@link MessageLimits}). Pure computation under one
 * {@link RenderBudget}: run it off the event loop.
 */
final class Renderer {
  private Renderer() {}

  static Rendered render(CompiledVersion version, String channel, String locale, Map<String, Object> variables,
      UnaryOperator<String> linkRewriter, MessageLimits limits) {
    ChannelRules rules = ChannelRules.of(channel);
    if (rules == null) {
      throw new RenderException("channel " + channel + " is not one of " + ChannelRules.channels());
    }
    RenderBudget budget = limits.budget(channel);
    Variant variant = VariantChoice.choose(version.variants(), version.key(), channel, locale);
    CompiledVersion.Parsed parsed = version.parsed().get(variant);
    UnaryOperator<String> rewriter = linkRewriter == null ? UnaryOperator.identity() : linkRewriter;
    Set<String> links = new LinkedHashSet<>();
    String body = parsed.body().render(variables, budget);
    String html = null;
    String text;
    if (variant.format() == Variant.Format.HTML) {
      Element clean = SafeHtml.clean(body, rewriter, links);
      text = HtmlText.toText(clean);
      html = rules.takesHtml() ? clean.html() : null;
    } else {
      text = TextLinks.rewrite(body.strip(), rewriter, links);
      html = rules.takesHtml() ? HtmlText.toHtml(text) : null;
    }
    String subject = subject(rules, variant, parsed, variables, budget);
    budget.checkTime();
    if (text.isBlank()) {
      throw new RenderException("variant " + variant.label() + " rendered an empty message");
    }
    MessageLimits.Limit limit = limits.of(channel);
    limit.check(channel + " text", text);
    if (html != null) {
      limit.check(channel + " HTML", html);
    }
    ChannelRules.check(channel + " subject", subject, rules.maxSubject());
    return new Rendered(version.key(), version.version(), version.kind(), variant.channel(), variant.locale(), subject,
        html, text, List.copyOf(links));
  }

  /** The subject for channels that take one; one is required there. */
  private static String subject(ChannelRules rules, Variant variant, CompiledVersion.Parsed parsed,
      Map<String, Object> variables, RenderBudget budget) {
    if (!rules.takesSubject()) {
      return null;
    }
    String subject = parsed.subject() == null ? "" : parsed.subject().render(variables, budget).strip();
    if (subject.isEmpty()) {
      throw new RenderException("variant " + variant.label() + " has no subject, which " + rules.channel() + " needs");
    }
    return subject;
  }
}
