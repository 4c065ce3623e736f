package io.siyu.apidocs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Contract;
import io.siyu.support.TestSiyu;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The contract names exactly the routes Siyu mounts: a route added without its contract, or a
 * contract operation whose route went away, fails here. Routes are read from the running server's
 * router (sub-routers walked, {@code :param} written {@code {param}}), operations from openapi.yaml.
 */
class ContractParityTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  @Test
  void everyMountedRouteIsInTheContractAndEveryOperationIsMounted() {
    Set<String> mounted = new TreeSet<>();
    walk(TestSiyu.get().router(), "", mounted);
    Set<String> contract = operations(ContractYaml.load());
    assertTrue(mounted.size() > 100, "the router walk found too few routes: " + mounted);

    Set<String> undocumented = new TreeSet<>(mounted);
    undocumented.removeAll(contract);
    Set<String> notMounted = new TreeSet<>(contract);
    notMounted.removeAll(mounted);
    assertEquals(Set.of(), undocumented, "routes mounted but missing from src/main/resources/openapi.yaml");
    assertEquals(Set.of(), notMounted, "operations in src/main/resources/openapi.yaml that no route serves");
  }

  @Test
  void everyOperationHasAnIdRolesAndAnAnswer() {
    JsonObject paths = ContractYaml.load().getJsonObject("paths");
    Set<String> ids = new TreeSet<>();
    Set<String> roles = Set.of("admin", "operator", "manager", "integration");
    paths.forEach(p -> ((JsonObject) p.getValue()).forEach(m -> {
      if (!METHODS.contains(m.getKey())) {
        return;
      }
      JsonObject op = (JsonObject) m.getValue();
      String name = m.getKey().toUpperCase() + " " + p.getKey();
      assertTrue(ids.add(op.getString("operationId", name)), "operationId missing or repeated: " + name);
      assertTrue(op.containsKey("x-roles"), name + " names no x-roles");
      op.getJsonArray("x-roles").forEach(r -> assertTrue(roles.contains(r), name + ": no role " + r));
      boolean open = op.containsKey("security") && op.getJsonArray("security").isEmpty();
      assertEquals(open, op.getJsonArray("x-roles").isEmpty(), name + ": public exactly when no role is named");
      // sign-in is the one way into /api without credentials
      boolean signIn = "POST /api/v1/sessions".equals(name);
      assertEquals(open, !p.getKey().startsWith("/api/") || signIn, name + ": credentials guard /api and nothing else");
      assertTrue(!op.getJsonObject("responses").isEmpty(), name + " has no responses");
    }));
  }

  @Test
  void vertxOpenApiReadsTheContract() {
    assertTrue(Contract.get().openApi().operations().size() > 100);
  }

  /** {@code METHOD /path} of every route with a method, under {@code prefix}. */
  static void walk(Router router, String prefix, Set<String> into) {
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (route.getSubRouter() != null) {
        walk(route.getSubRouter(), prefix + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path), into);
      } else if (route.methods() != null && !route.methods().isEmpty()) {
        assertTrue(path != null, "a route without a plain path: " + route);
        for (HttpMethod m : route.methods()) {
          into.add(m.name() + " " + prefix + path.replaceAll(":([A-Za-z0-9_]+)", "{$1}"));
        }
      }
    }
  }

  static Set<String> operations(JsonObject contract) {
    Set<String> ops = new TreeSet<>();
    contract.getJsonObject("paths").forEach(p -> ((JsonObject) p.getValue()).fieldNames().stream()
        .filter(METHODS::contains).forEach(m -> ops.add(m.toUpperCase() + " " + p.getKey())));
    return ops;
  }
}
