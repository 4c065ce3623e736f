package io.siyu.template;

import liqp.RenderTransformer;
import liqp.TemplateContext;

/**
 * liqp's output builder with the render's {@link RenderBudget} checked at every append: the
 * output of a template, a block, a loop or a {@code capture} can grow no further than the budget
 * allows. Behaves as liqp's default otherwise (every result a String).
 */
final class GuardedOutput implements RenderTransformer {
  static final GuardedOutput INSTANCE = new GuardedOutput();

  private GuardedOutput() {}

  @Override
  public ObjectAppender.Controller newObjectAppender(TemplateContext context, int estimatedNumberOfAppends) {
    RenderBudget budget = StrictContext.budget(context);
    StringBuilder out = new StringBuilder();
    return new ObjectAppender.Controller() {
      @Override
      public void append(Object obj) {
        if (obj instanceof CharSequence text) {
          budget.checkLength(out.length() + text.length());
          out.append(text);
        } else {
          out.append(obj);
          budget.checkLength(out.length());
        }
        budget.checkTime();
      }

      @Override
      public Object getResult() {
        return out.toString();
      }
    };
  }

  @Override
  public Object transformObject(TemplateContext context, Object obj) {
    return String.valueOf(obj);
  }
}
