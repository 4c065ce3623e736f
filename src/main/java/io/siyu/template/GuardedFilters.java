package io.siyu.template;

import java.util.List;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.filters.Filter;

/**
 * liqp's own filters, each wrapped to check the render's {@link RenderBudget}: the time before it
 * runs, and what it made after. {@code append}, {@code prepend}, {@code replace}, {@code join},
 * {@code concat}... can each at most double what they are given, so a template that repeats one of
 * them stops at the first result over the budget — a few times the channel's limit, never the
 * gigabyte that 27 doublings make.
 */
final class GuardedFilters {
  private GuardedFilters() {}

  /** Every filter of liqp's default flavour, guarded; registered under the same names, they replace liqp's. */
  static List<Filter> all() {
    return TemplateParser.DEFAULT_FLAVOR.getFilters().values().stream().map(GuardedFilters::guarded).toList();
  }

  private static Filter guarded(Filter filter) {
    return new Filter(filter.getName()) {
      @Override
      public Object apply(Object value, TemplateContext context, Object... params) {
        RenderBudget budget = StrictContext.budget(context);
        budget.checkTime();
        Object result = filter.apply(value, context, params);
        budget.checkValue(result);
        return result;
      }
    };
  }
}
