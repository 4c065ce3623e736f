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
import liqp.nodes.LNode;
import liqp.org.antlr.v4.runtime.ParserRuleContext;
import liqp.parser.v4.NodeVisitor;
import liquid.parser.v4.LiquidParser;

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
  /** Loop iterations in one render, all loops together: a template may loop, but not forever. */
  private static final TemplateParser PARSER = guarded(new TemplateParser.Builder()
      .withStrictVariables(true)
      .withErrorMode(TemplateParser.ErrorMode.WARN) // misses are reported to the context, not thrown
      .withMaxIterations(RenderBudget.MAX_ITEMS)
      .withRenderTransformer(GuardedOutput.INSTANCE)) // sizes and time are the RenderBudget's
      .build();

  private final Template template;
  private final Set<String> optional;

  private LiquidTemplate(Template template, Set<String> optional) {
    this.template = template;
    this.optional = optional;
  }

  private static TemplateParser.Builder guarded(TemplateParser.Builder builder) {
    GuardedFilters.all().forEach(builder::withFilter);
    return builder;
  }

  /**
   * Parses {@code source}; a syntax error, an unknown filter or an {@code include} is an
   * IllegalArgumentException saying where.
   */
  static LiquidTemplate compile(String source) {
    try {
      Template t = PARSER.parse(source);
      // liqp builds the nodes (and finds unknown filters) only when rendering: build them once now
      new NoIncludes().visit(t.getParseTree());
      return new LiquidTemplate(t, OptionalVariables.of(t.getParseTree()));
    } catch (LiquidException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Liquid syntax error: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new IllegalArgumentException("Liquid: tags nested too deeply");
    }
  }

  /**
   * liqp's node builder, refusing {@code include} and {@code include_relative} however they are
   * written: they read files from the server's disk ({@code {% include '/etc/hostname' %}}), and
   * any reader can preview. Every render builds its nodes after this check, from the same source.
   */
  private static final class NoIncludes extends NodeVisitor {
    private static final Set<String> FILE_TAGS = Set.of("include", "include_relative");

    NoIncludes() {
      super(PARSER.insertions, PARSER.filters, PARSER.liquidStyleInclude);
    }

    private static void refuseFileTag(String name, ParserRuleContext ctx) {
      if (FILE_TAGS.contains(name)) {
        throw new LiquidException(name + " reads files and is not available in templates", ctx);
      }
    }

    @Override
    public LNode visitInclude_tag(LiquidParser.Include_tagContext ctx) {
      refuseFileTag("include", ctx);
      return null;
    }

    @Override
    public LNode visitInclude_relative_tag(LiquidParser.Include_relative_tagContext ctx) {
      refuseFileTag("include_relative", ctx);
      return null;
    }

    @Override
    public LNode visitSimple_tag(LiquidParser.Simple_tagContext ctx) {
      refuseFileTag(ctx.SimpleTagId().getText(), ctx);
      return super.visitSimple_tag(ctx);
    }

    @Override
    public LNode visitOther_tag(LiquidParser.Other_tagContext ctx) {
      refuseFileTag(ctx.BlockId().getText(), ctx);
      return super.visitOther_tag(ctx);
    }
  }

  /**
   * The rendered text. A variable missing without a default, a runaway loop, or going past
   * {@code budget} (a text too large, too much time) is a RenderException.
   */
  String render(Map<String, Object> variables, RenderBudget budget) {
    StrictContext context = new StrictContext(PARSER, budget);
    Object out;
    try {
      out = template.renderToObjectUnguarded(variables, context, true);
    } catch (RuntimeException e) {
      RenderException limit = overBudget(e);
      throw limit != null ? limit : new RenderException("Liquid: " + e.getMessage());
    }
    Set<String> missing = new LinkedHashSet<>(context.misses());
    missing.removeAll(optional);
    if (!missing.isEmpty()) {
      throw new RenderException(String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " not defined");
    }
    return out == null ? "" : String.valueOf(out);
  }

  /**
   * Renders with no variables at all, to find a template that goes past {@code budget} whatever the
   * data: the doubling of a fixed string, a loop over a long range. Anything else a render without
   * data runs into (a missing variable, a filter given nothing) is no fault of the template here.
   */
  void tryWithoutData(RenderBudget budget) {
    try {
      template.renderToObjectUnguarded(new LinkedHashMap<>(), new StrictContext(PARSER, budget), true);
    } catch (RuntimeException e) {
      RenderException limit = overBudget(e);
      if (limit != null) {
        throw limit;
      }
    }
  }

  /** The size or time limit behind {@code e}, which liqp may have wrapped (a filter's line, say); or null. */
  private static RenderException overBudget(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RenderException r && r.overLimit()) {
        return r;
      }
    }
    return null;
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
