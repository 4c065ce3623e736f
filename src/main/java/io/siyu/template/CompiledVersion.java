package io.siyu.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A version with its Liquid parsed, ready to render as often as needed. Versions never change, so
 * one parse serves every render of it.
 */
record CompiledVersion(long id, String key, int version, String kind, List<Variant> variants,
    Map<Variant, Parsed> parsed) {

  /** A variant's parsed subject (null when it has none) and body. */
  record Parsed(LiquidTemplate subject, LiquidTemplate body) {}

  /** Parses every variant; the variants were checked when they were stored, so this does not fail. */
  static CompiledVersion compile(long id, String key, int version, String kind, List<Variant> variants) {
    Map<Variant, Parsed> parsed = new LinkedHashMap<>();
    for (Variant v : variants) {
      parsed.put(v, new Parsed(v.subject() == null ? null : LiquidTemplate.compile(v.subject()),
          LiquidTemplate.compile(v.body())));
    }
    return new CompiledVersion(id, key, version, kind, List.copyOf(variants), Map.copyOf(parsed));
  }
}
