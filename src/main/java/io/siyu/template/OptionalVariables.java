package io.siyu.template;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import liqp.org.antlr.v4.runtime.tree.ParseTree;
import liquid.parser.v4.LiquidParser.AssignmentContext;
import liquid.parser.v4.LiquidParser.FilterContext;
import liqp.org.antlr.v4.runtime.ParserRuleContext;
import liquid.parser.v4.LiquidParser.LookupContext;
import liquid.parser.v4.LiquidParser.OutputContext;

/**
 * The variables a template may render without: those whose every use is the subject of a
 * {@code default} filter, in an output ({@code {{ contact.name | default: "朋友" }}}) or an assign
 * ({@code {% assign n = contact.nickname | default: "" %}}). A variable also used anywhere else (on
 * its own, in a condition, a loop, as a filter's argument) is required. Read from liqp's parse tree,
 * once per parsed template; names are spelled as liqp reports missing variables ({@code a.b[0]}).
 */
final class OptionalVariables {
  private final Set<String> defaulted = new HashSet<>();
  private final Set<String> required = new HashSet<>();

  private OptionalVariables() {}

  static Set<String> of(ParseTree root) {
    OptionalVariables found = new OptionalVariables();
    found.walk(root);
    found.defaulted.removeAll(found.required);
    return Set.copyOf(found.defaulted);
  }

  private void walk(ParseTree node) {
    if (node instanceof OutputContext output) {
      filtered(output.expr() != null ? output.expr() : output.term(), output.filter());
      return;
    }
    if (node instanceof AssignmentContext assign) {
      filtered(assign.expr(), assign.filter());
      return;
    }
    if (node instanceof LookupContext lookup) {
      required.add(lookup.getText());
    }
    for (int i = 0; i < node.getChildCount(); i++) {
      walk(node.getChild(i));
    }
  }

  /** An expression followed by filters: a lone variable with a default is optional here. */
  private void filtered(ParserRuleContext subject, List<FilterContext> filters) {
    LookupContext lone = lone(subject);
    if (lone != null && filters.stream().anyMatch(f -> "default".equals(f.Id().getText()))) {
      defaulted.add(lone.getText());
    } else if (subject != null) {
      walk(subject);
    }
    filters.forEach(this::walk);
  }

  /** The lookup {@code subject} consists of, or null when it is more than a variable. */
  private static LookupContext lone(ParseTree subject) {
    ParseTree node = subject;
    while (node != null && !(node instanceof LookupContext)) {
      if (node.getChildCount() != 1) {
        return null;
      }
      node = node.getChild(0);
    }
    return (LookupContext) node;
  }
}
