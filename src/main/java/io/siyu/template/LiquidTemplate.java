package io.siyu.template;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liqp.Template;
import liqp.TemplateParser;
import liqp.exceptions.LiquidException;
import liqp.parser.v4.NodeVisitor;

/**
 * One parsed piece of Liquid (a body or a subject), safe to render from several threads at once.
 *
 * <p>Missing variables: liqp's strict mode would refuse {@code {{ contact.name | default: "朋友" }}}
 * when the name is missing, since it checks the lookup before any filter runs; its lax mode renders
 * every missing variable as nothing, which is how half-rendered messages happen. So rendering runs
 * in strict mode with misses collected instead of thrown ({@link StrictContext}), and a miss fails
 * the render unless the variable is {@linkplain OptionalVariables optional}: every use of it in the
 * template is the subject of a {@code default} filter.
 */
final class LiquidTemplate {
  private static final TemplateParser PARSER = new TemplateParser.Builder()
      .withStrictVariables(true)
      .withErrorMode(TemplateParser.ErrorMode.WARN) // misses are reported to the context, not thrown
      .withMaxIterations(10_000) // a template may loop, but not forever
      .withMaxSizeRenderedString(1_000_000)
      .build();

  private final Template template;
  private final Set<String> optional;

  private LiquidTemplate(Template template, Set<String> optional) {
    this.template = template;
    this.optional = optional;
  }

  /** Parses {@code source}; a syntax error or an unknown filter is an IllegalArgumentException saying where. */
  static LiquidTemplate compile(String source) {
    try {
      Template t = PARSER.parse(source);
      // liqp builds the nodes (and finds unknown filters) only when rendering: build them once now
      new NodeVisitor(PARSER.insertions, PARSER.filters, PARSER.liquidStyleInclude).visit(t.getParseTree());
      return new LiquidTemplate(t, OptionalVariables.of(t.getParseTree()));
    } catch (LiquidException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Liquid syntax error: " + e.getMessage(), e);
    }
  }

  /** The rendered text; a variable missing without a default, or a runaway loop, is a RenderException. */
  String render(Map<String, Object> variables) {
    StrictContext context = new StrictContext(PARSER);
    Object out;
    try {
      out = template.renderToObjectUnguarded(variables, context, true);
    } catch (RuntimeException e) {
      throw new RenderException("Liquid: " + e.getMessage());
    }
    Set<String> missing = new LinkedHashSet<>(context.misses());
    missing.removeAll(optional);
    if (!missing.isEmpty()) {
      throw new RenderException(String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " not defined");
    }
    return out == null ? "" : String.valueOf(out);
  }

  /** Liquid reads plain maps and lists; a JsonObject would be taken apart by liqp's Jackson as a bean. */
  static Map<String, Object> variables(JsonObject json) {
    Map<String, Object> map = new LinkedHashMap<>();
    json.forEach(e -> map.put(e.getKey(), plain(e.getValue())));
    return map;
  }

  private static Object plain(Object v) {
    if (v instanceof JsonObject o) {
      return variables(o);
    }
    if (v instanceof JsonArray a) {
      List<Object> list = new ArrayList<>();
      a.forEach(x -> list.add(plain(x)));
      return list;
    }
    return v;
  }
}
