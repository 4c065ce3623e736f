package io.siyu.journey.check;

import java.beans.FeatureDescriptor;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.camunda.bpm.engine.impl.el.JuelExpressionManager;
import org.camunda.bpm.engine.impl.el.ReadOnlyMapELResolver;
import org.camunda.bpm.engine.impl.el.VariableContextElResolver;
import org.camunda.bpm.engine.impl.el.VariableScopeElResolver;
import org.camunda.bpm.impl.juel.jakarta.el.CompositeELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.ELContext;
import org.camunda.bpm.impl.juel.jakarta.el.ELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.FunctionMapper;
import org.camunda.bpm.impl.juel.jakarta.el.ListELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.MapELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.MethodNotFoundException;
import org.camunda.bpm.impl.juel.jakarta.el.PropertyNotFoundException;
import org.camunda.bpm.impl.juel.jakarta.el.PropertyNotWritableException;

/**
 * The engine's expression manager with reflection taken out, the second wall behind
 * {@link JourneyAllowList}: even an expression that reached the engine some other way can read
 * variables, beans and the entries of maps and lists, and call only the methods listed here (the
 * condition language's string tests, {@code contains} on a collection, and the calls Siyu's own
 * generated expressions make, such as the send window's timer). Camunda's default resolves any
 * bean property and invokes any public method through a {@code BeanELResolver}, which is how
 * {@code execution.getClass().forName(...)} reaches the JVM; here that resolver is not in the
 * chain, and no functions ({@code now()}, {@code currentUser()}...) are registered.
 */
public final class SafeExpressionManager extends JuelExpressionManager {
  /** One method an expression may call on an object of {@code type}, with how to call it (no reflection). */
  public record AllowedCall<T>(Class<T> type, String method, int arity, BiFunction<T, Object[], Object> call) {
    Object invoke(Object base, Object[] params) {
      return call.apply(type.cast(base), params);
    }
  }

  private final List<AllowedCall<?>> calls;

  public SafeExpressionManager(Map<Object, Object> beans, List<AllowedCall<?>> siyuCalls) {
    super(beans);
    this.calls = List.copyOf(concat(languageCalls(), siyuCalls));
  }

  /** The calls of the condition language ({@link FlowCondition#METHODS}). */
  private static List<AllowedCall<?>> languageCalls() {
    return List.of(
        new AllowedCall<>(String.class, "startsWith", 1, (s, p) -> s.startsWith(String.valueOf(p[0]))),
        new AllowedCall<>(String.class, "endsWith", 1, (s, p) -> s.endsWith(String.valueOf(p[0]))),
        new AllowedCall<>(String.class, "contains", 1, (s, p) -> s.contains(String.valueOf(p[0]))),
        new AllowedCall<>(Collection.class, "contains", 1, (c, p) -> c.contains(p[0])));
  }

  private static List<AllowedCall<?>> concat(List<AllowedCall<?>> a, List<AllowedCall<?>> b) {
    List<AllowedCall<?>> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Override
  public void addFunction(String name, Method function) {
    // the engine registers now(), dateTime(), currentUser()...: journeys call no functions
  }

  @Override
  protected FunctionMapper createFunctionMapper() {
    return new FunctionMapper() {
      @Override
      public Method resolveFunction(String prefix, String localName) {
        return null;
      }
    };
  }

  @Override
  protected ELResolver createElResolver() {
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new VariableScopeElResolver());
    resolver.add(new VariableContextElResolver());
    if (beans != null) {
      resolver.add(new ReadOnlyMapELResolver(beans));
    }
    resolver.add(new ListELResolver(true));
    resolver.add(new MapELResolver(true));
    resolver.add(new Calls(calls));
    resolver.add(new Refusal());
    return resolver;
  }

  /** Calls one of the allowed methods directly; anything else is left to {@link Refusal}. */
  private static final class Calls extends Refusal {
    private final List<AllowedCall<?>> calls;

    Calls(List<AllowedCall<?>> calls) {
      this.calls = calls;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
      return null;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
      int arity = params == null ? 0 : params.length;
      for (AllowedCall<?> call : calls) {
        if (call.type().isInstance(base) && call.method().equals(method) && call.arity() == arity) {
          context.setPropertyResolved(true);
          return call.invoke(base, params);
        }
      }
      return null;
    }
  }

  /** The end of the chain: reading a property of any other object, or calling any other method, is refused. */
  private static class Refusal extends ELResolver {
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
      if (base != null) {
        throw new PropertyNotFoundException("reading " + property + " of a " + base.getClass().getSimpleName()
            + " is not allowed in journeys");
      }
      return null;
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
      throw new MethodNotFoundException("calling " + method + " on " + (base == null ? "nothing"
          : "a " + base.getClass().getSimpleName()) + " is not allowed in journeys");
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
      return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
      throw new PropertyNotWritableException("expressions in journeys cannot write " + property);
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
      return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
      return Collections.emptyIterator();
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
      return null;
    }
  }
}
