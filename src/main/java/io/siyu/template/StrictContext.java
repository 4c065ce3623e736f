package io.siyu.template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.exceptions.VariableNotExistException;

/**
 * The context of one render, collecting the names of variables a lookup did not find and holding
 * the render's {@link RenderBudget}. liqp keeps such errors per context and a loop body runs in a
 * child context, so every child is one of these and reports to the same list and budget: a variable
 * missing inside a {@code for} counts too, and every loop iteration looks at the clock.
 */
final class StrictContext extends TemplateContext {
  private final List<String> misses;
  private final RenderBudget budget;

  StrictContext(TemplateParser parser, RenderBudget budget) {
    super(parser, new HashMap<>());
    this.misses = new ArrayList<>();
    this.budget = budget;
  }

  private StrictContext(Map<String, Object> variables, StrictContext parent) {
    super(variables, parent);
    this.misses = parent.misses;
    this.budget = parent.budget;
  }

  /** The budget of the render {@code context} belongs to. */
  static RenderBudget budget(TemplateContext context) {
    if (context instanceof StrictContext strict) {
      return strict.budget;
    }
    // every context of a render is made by LiquidTemplate or newChildContext below
    throw new IllegalStateException("a Liquid render outside LiquidTemplate");
  }

  @Override
  public TemplateContext newChildContext(Map<String, Object> variables) {
    return new StrictContext(variables, this);
  }

  @Override
  public void checkForMaxIterations(int iterations) {
    super.checkForMaxIterations(iterations);
    budget.checkTime();
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
