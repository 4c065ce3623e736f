package io.siyu.template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.exceptions.VariableNotExistException;

/**
 * The context of one render, collecting the names of variables a lookup did not find. liqp keeps
 * such errors per context and a loop body runs in a child context, so every child is one of these
 * and reports to the same list: a variable missing inside a {@code for} counts too.
 */
final class StrictContext extends TemplateContext {
  private final List<String> misses;

  StrictContext(TemplateParser parser) {
    super(parser, new HashMap<>());
    this.misses = new ArrayList<>();
  }

  private StrictContext(Map<String, Object> variables, StrictContext parent) {
    super(variables, parent);
    this.misses = parent.misses;
  }

  @Override
  public TemplateContext newChildContext(Map<String, Object> variables) {
    return new StrictContext(variables, this);
  }

  @Override
  public void addError(Exception e) {
    if (e instanceof VariableNotExistException missing) {
      misses.add(missing.getVariableName());
    } else {
      super.addError(e);
    }
  }

  List<String> misses() {
    return misses;
  }
}
