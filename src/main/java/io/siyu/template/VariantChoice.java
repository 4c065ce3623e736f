package io.siyu.template;

import io.siyu.locale.Locales;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which variant of a version serves a channel and locale. The channel comes first, because a
 * variant is shaped for its medium (an SMS is short, an email has a subject): the requested
 * channel's variants if it has any, else the {@code default} ones. Among those, the locale: the
 * requested one, else its language without region ({@code zh} for {@code zh-TW}), else another
 * region of that language, else {@code zh-CN}, else the first by locale tag. No locale asked for
 * means {@code zh-CN}.
 */
final class VariantChoice {
  private VariantChoice() {}

  static Variant choose(List<Variant> variants, String key, String channel, String locale) {
    List<Variant> ofChannel = ofChannel(variants, channel);
    if (ofChannel.isEmpty()) {
      ofChannel = ofChannel(variants, ChannelRules.DEFAULT);
    }
    if (ofChannel.isEmpty()) {
      throw new RenderException("template " + key + " has no " + channel + " variant and no default variant");
    }
    String wanted = locale == null || locale.isBlank() ? Locales.FALLBACK : Locales.canonical(locale);
    if (wanted == null) {
      throw new RenderException("locale " + locale + " is not a locale tag such as zh-CN or en");
    }
    String language = Locales.language(wanted);
    List<Variant> candidates = ofChannel;
    return first(candidates, v -> v.locale().equals(wanted))
        .or(() -> first(candidates, v -> v.locale().equals(language)))
        .or(() -> first(candidates, v -> Locales.language(v.locale()).equals(language)))
        .or(() -> first(candidates, v -> v.locale().equals(Locales.FALLBACK)))
        .orElseGet(() -> candidates.get(0));
  }

  private static List<Variant> ofChannel(List<Variant> variants, String channel) {
    return variants.stream().filter(v -> v.channel().equals(channel)).sorted(Comparator.comparing(Variant::locale)).toList();
  }

  private static Optional<Variant> first(List<Variant> candidates, Predicate<Variant> test) {
    return candidates.stream().filter(test).findFirst();
  }
}
