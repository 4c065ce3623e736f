package io.siyu;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * place that wires them), the shared base (problems, web, db, env, async, locale) knows no feature,
 * and every dependency points down the package picture drawn in docs/ARCHITECTURE.md.
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

  /**
   * The picture in docs/ARCHITECTURE.md is the rule: each of its rows names packages, and a class
   * may use only packages of rows below its own. So the picture cannot drift from the code.
   */
  @Test
  void everyDependencyPointsDownThePicture() throws IOException {
    Map<String, Integer> row = pictureRows();
    Set<String> unplaced = new TreeSet<>();
    Set<String> upward = new TreeSet<>();
    for (JavaClass c : MAIN) {
      String from = relative(c.getPackageName());
      if (!row.containsKey(from)) {
        unplaced.add(from);
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass().getBaseComponentType();
        String to = relative(target.getPackageName());
        if (target.getPackageName().startsWith("io.siyu.") && !to.equals(from)
            && row.getOrDefault(to, -1) <= row.get(from)) {
          upward.add(topLevel(c) + " -> " + topLevel(target));
        }
      }
    }
    assertEquals(Set.of(), unplaced, "packages missing from the picture in docs/ARCHITECTURE.md");
    assertEquals(Set.of(), upward, "dependencies on a package in the same row of the picture or above");
  }

  /** Package (relative to io.siyu) to its row in the picture, counted from the top. */
  private static Map<String, Integer> pictureRows() throws IOException {
    String doc = Files.readString(Path.of("docs/ARCHITECTURE.md"));
    int section = doc.indexOf("## Packages and the directions they may depend");
    int open = doc.indexOf("```\n", section) + 4;
    String picture = doc.substring(open, doc.indexOf("```", open));
    Map<String, Integer> rows = new HashMap<>();
    int n = 0;
    for (String line : picture.split("\n")) {
      if (line.isBlank() || line.contains("═")) {
        continue;
      }
      for (String name : line.split("—")[0].trim().split("\\s+")) {
        assertTrue(name.matches("[a-z][a-z.]*"), "not a package name in the picture: " + name);
        rows.put(name, n);
      }
      n++;
    }
    assertTrue(rows.size() > 10, "the picture was not found in docs/ARCHITECTURE.md");
    return rows;
  }

  private static String relative(String packageName) {
    return packageName.startsWith("io.siyu.") ? packageName.substring("io.siyu.".length()) : packageName;
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
