package io.siyu.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.attribute.AttributeDefinition;
import io.siyu.attribute.AttributeType;
import io.siyu.db.SqlParams;
import io.siyu.problem.Problem;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The filter language without a database: what each node compiles to, and what is refused where. */
class ConditionParserTest {
  private static final Map<String, AttributeDefinition> ATTRS = Map.of(
      "level", new AttributeDefinition("level", AttributeType.INTEGER, List.of(), null),
      "city", new AttributeDefinition("city", AttributeType.STRING, List.of(), null),
      "size", new AttributeDefinition("size", AttributeType.ENUM, List.of("S", "M"), null),
      "vip", new AttributeDefinition("vip", AttributeType.BOOLEAN, List.of(), null));

  private record Compiled(String sql, List<Object> binds) {}

  private static Compiled compile(String json) {
    SqlParams p = new SqlParams();
    String sql = ConditionParser.parse(new JsonObject(json), ATTRS).toSql(p);
    return new Compiled(sql, p.values());
  }

  private static String pathOf(String json) {
    Problem p = assertThrows(Problem.class, () -> ConditionParser.parse(new JsonObject(json), ATTRS));
    assertEquals(422, p.status());
    return p.toJson().getJsonArray("errors").getJsonObject(0).getString("field");
  }

  @Test
  void eachLeafCompilesToBoundSql() {
    Compiled c = compile("{\"field\": \"total_spent\", \"op\": \"gte\", \"value\": 500}");
    assertEquals("c.total_spent >= $1::numeric", c.sql());
    assertEquals(List.of(new BigDecimal("500")), c.binds());

    c = compile("{\"attribute\": \"level\", \"op\": \"between\", \"value\": [3, 7]}");
    assertEquals("((c.attributes ->> $1::text)::numeric) BETWEEN $2::numeric AND $3::numeric", c.sql());
    assertEquals(List.of("level", new BigDecimal("3"), new BigDecimal("7")), c.binds());

    c = compile("{\"has_tag\": 12}");
    assertEquals("EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = $1::bigint)", c.sql());
    assertEquals(Set.of(12L), ConditionParser.parse(new JsonObject("{\"not\": {\"has_tag\": 12}}"), ATTRS).tagIds());

    c = compile("{\"birthday\": {\"month\": 2, \"day\": 29}}");
    assertEquals("(c.birth_month = $1::int AND c.birth_day = $2::int)", c.sql());

    c = compile("{\"event\": {\"type\": \"purchase\", \"within_days\": 30}}");
    assertTrue(c.sql().startsWith("EXISTS (SELECT 1 FROM events e"), c.sql());
    c = compile("{\"event\": {\"type\": \"purchase\", \"op\": \"eq\", \"count\": 0}}");
    assertTrue(c.sql().startsWith("NOT EXISTS"), c.sql());
    c = compile("{\"event\": {\"type\": \"purchase\", \"op\": \"gte\", \"count\": 3}}");
    assertTrue(c.sql().endsWith(") >= $2::bigint"), c.sql());

    c = compile("{\"field\": \"last_purchase_at\", \"op\": \"lt\", \"value\": {\"days_ago\": 90}}");
    assertEquals("c.last_purchase_at < (now() - make_interval(days => $1::int))", c.sql());

    c = compile("{\"field\": \"lifecycle_stage\", \"op\": \"in\", \"value\": [\"new\", \"growing\"]}");
    assertEquals("c.lifecycle_stage = ANY($1::text[]::text[])", c.sql());

    c = compile("{\"any\": [{\"consent\": \"sms\"}, {\"not\": {\"attribute\": \"vip\", \"op\": \"eq\", \"value\": true}}]}");
    assertEquals("((c.consent ->> $1::text) = 'true' OR (((c.attributes ->> $2::text)::boolean) = $3::boolean) IS NOT TRUE)",
        c.sql());
  }

  @Test
  void hostileValuesNeverReachTheSqlText() {
    // "$1" is also a placeholder, so it is checked through the binds only
    String[] hostile = {"'; DROP TABLE contacts; --", "$1", "\\", "100%_", "\" OR 1=1 --"};
    for (String h : hostile) {
      JsonObject f = new JsonObject().put("all", new io.vertx.core.json.JsonArray()
          .add(new JsonObject().put("field", "name").put("op", "eq").put("value", h))
          .add(new JsonObject().put("field", "email").put("op", "contains").put("value", h))
          .add(new JsonObject().put("has_tag", new JsonObject().put("group", h).put("name", h))));
      SqlParams p = new SqlParams();
      String sql = ConditionParser.parse(f, ATTRS).toSql(p);
      assertFalse(!h.equals("$1") && sql.contains(h), sql);
      assertEquals(4, p.size());
      assertEquals(h, p.values().get(0));
    }
    Compiled like = compile("{\"field\": \"name\", \"op\": \"contains\", \"value\": \"100%_\\\\\"}");
    assertEquals("%100\\%\\_\\\\%", like.binds().get(0), "LIKE wildcards typed by a user match themselves");
  }

  @Test
  void badNodesAreNamedByPath() {
    assertEquals("$.all[0].field", pathOf("{\"all\": [{\"field\": \"name; drop\", \"op\": \"eq\", \"value\": 1}]}"));
    assertEquals("$.all[1].field", pathOf("{\"all\": [{\"consent\": \"sms\"}, {\"field\": \"c.id) OR (1=1\", \"op\": \"eq\", \"value\": 1}]}"));
    assertEquals("$.not.attribute", pathOf("{\"not\": {\"attribute\": \"undeclared\", \"op\": \"eq\", \"value\": 1}}"));
    assertEquals("$.op", pathOf("{\"field\": \"purchase_count\", \"op\": \"contains\", \"value\": 1}"));
    assertEquals("$.op", pathOf("{\"field\": \"name\", \"op\": \"between\", \"value\": [1, 2]}"));
    assertEquals("$.value", pathOf("{\"field\": \"name\", \"op\": \"eq\"}"));
    assertEquals("$.value", pathOf("{\"field\": \"name\", \"op\": \"exists\", \"value\": 1}"));
    assertEquals("$.value", pathOf("{\"attribute\": \"level\", \"op\": \"between\", \"value\": [1]}"));
    assertEquals("$.value[1]", pathOf("{\"attribute\": \"level\", \"op\": \"in\", \"value\": [1, 2.5]}"));
    assertEquals("$.value", pathOf("{\"attribute\": \"size\", \"op\": \"eq\", \"value\": \"XL\"}"));
    assertEquals("$.value", pathOf("{\"field\": \"birthday\", \"op\": \"eq\", \"value\": \"2001-02-29\"}"));
    assertEquals("$.extra", pathOf("{\"field\": \"name\", \"op\": \"eq\", \"value\": \"x\", \"extra\": 1}"));
    assertEquals("$.all", pathOf("{\"all\": []}"));
    assertEquals("$", pathOf("{\"all\": [], \"any\": []}"));
    assertEquals("$.nope", pathOf("{\"nope\": 1}"));
    assertEquals("$.birthday.day", pathOf("{\"birthday\": {\"month\": 2, \"day\": 30}}"));
    assertEquals("$.birthday.day", pathOf("{\"birthday\": {\"month\": 4, \"day\": 31}}"));
    assertEquals("$.event.type", pathOf("{\"event\": {\"type\": \"Bad Type\"}}"));
    assertEquals("$.has_tag", pathOf("{\"has_tag\": -3}"));
    assertEquals("$.consent", pathOf("{\"consent\": \"SMS'\"}"));
    assertThrows(Problem.class, () -> ConditionParser.parse("not an object", ATTRS));
  }

  @Test
  void limitsOnDepthSizeAndLength() {
    String deep = "{\"consent\": \"sms\"}";
    for (int i = 0; i < 12; i++) {
      deep = "{\"not\": " + deep + "}";
    }
    assertTrue(pathOf(deep).startsWith("$.not.not"));
    StringBuilder wide = new StringBuilder("{\"any\": [");
    for (int i = 0; i < 6; i++) {
      wide.append(i == 0 ? "" : ",").append("{\"all\": [");
      for (int j = 0; j < 100; j++) {
        wide.append(j == 0 ? "" : ",").append("{\"consent\": \"sms\"}");
      }
      wide.append("]}");
    }
    assertTrue(pathOf(wide.append("]}").toString()).startsWith("$.any[4]"));
    assertEquals("$.value", pathOf("{\"field\": \"name\", \"op\": \"eq\", \"value\": \"" + "x".repeat(1001) + "\"}"));
  }
}
