package io.siyu;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/ARCHITECTURE.md, on the compiled main classes: no package depends
 * on itself through others, no class does either, features never reach into {@code app} (the one
 * place that wires them), and the shared base (problems, web, db, env, async) knows no feature.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.siyu");
  private static final String[] BASE = {"io.siyu.problem..", "io.siyu.web..", "io.siyu.db..", "io.siyu.env..",
      "io.siyu.async..", "io.siyu.locale.."};

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("io.siyu.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void onlyTheApplicationWiresFeatures() {
    noClasses().that().resideOutsideOfPackage("io.siyu.app..").should().dependOnClassesThat()
        .resideInAPackage("io.siyu.app..").check(MAIN);
  }

  @Test
  void theBaseKnowsNoFeature() {
    noClasses().that().resideInAnyPackage(BASE).should().dependOnClassesThat(
        resideInAPackage("io.siyu..").and(not(resideInAnyPackage(BASE)))).check(MAIN);
  }

  /** Classes (nested ones counted with the class they sit in) depend on each other in one direction too. */
  @Test
  void classesAreFreeOfCycles() {
    Map<String, Set<String>> uses = new TreeMap<>();
    for (JavaClass c : MAIN) {
      Set<String> out = uses.computeIfAbsent(topLevel(c), k -> new TreeSet<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass().getBaseComponentType();
        if (target.getPackageName().startsWith("io.siyu") && !topLevel(target).equals(topLevel(c))) {
          out.add(topLevel(target));
        }
      }
    }
    assertEquals(List.of(), cycles(uses), "classes that depend on each other in a circle");
  }

  private static String topLevel(JavaClass c) {
    return c.getName().replaceAll("\\$.*", "");
  }

  /** Tarjan's strongly connected components of more than one class. */
  private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, onStack, out);
      }
    }
    return out;
  }

  private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, onStack, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        out.add(component);
      }
    }
  }
}
