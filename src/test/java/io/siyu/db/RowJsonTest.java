package io.siyu.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.async.Blocking;
import io.siyu.support.TestSiyu;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RowJson against rows PostgreSQL really sends: each kind of column a feature answers with, written
 * as the hand-written mappers wrote it (and so as the API answers today).
 */
class RowJsonTest {
  private static Row row(String select) {
    return Blocking.await(TestSiyu.get().services().pool().query(select).execute()).iterator().next();
  }

  @Test
  void numbersKeepTheirKindAndNumericItsScale() {
    JsonObject j = RowJson.of(row("SELECT 7::int2 AS s, 2::int4 AS i, 3000000000::int8 AS l, "
        + "12.50::numeric(12,2) AS n, 0.10::numeric AS small, 1.5::float8 AS d"));
    assertEquals("{\"s\":7,\"i\":2,\"l\":3000000000,\"n\":12.50,\"small\":0.10,\"d\":1.5}", j.encode());
    assertEquals(Integer.class, j.getValue("s").getClass(), "smallint reads as the Integer row.getInteger gave");
    assertEquals(Long.class, j.getValue("l").getClass());
    assertEquals(new BigDecimal("12.50"), j.getValue("n"));
  }

  @Test
  void textAndBooleansAsTheyAre() {
    JsonObject j = RowJson.of(row("SELECT 'x'::text AS t, 'v'::varchar(3) AS v, true AS yes, false AS no"));
    assertEquals("{\"t\":\"x\",\"v\":\"v\",\"yes\":true,\"no\":false}", j.encode());
  }

  @Test
  void timestampsWithAZoneAreUtcInstantsDatesAndLocalTimestampsTheirIsoText() {
    JsonObject j = RowJson.of(row("SELECT '2026-03-01 08:15:30.25+08'::timestamptz AS at, "
        + "'2026-03-01 00:00:00+00'::timestamptz AS whole, '1990-02-28'::date AS birthday, "
        + "'2026-03-01 08:15:30.5'::timestamp AS local"));
    assertEquals("{\"at\":\"2026-03-01T00:15:30.250Z\",\"whole\":\"2026-03-01T00:00:00Z\","
        + "\"birthday\":\"1990-02-28\",\"local\":\"2026-03-01T08:15:30.500\"}", j.encode());
  }

  @Test
  void jsonIsParsedWhateverItHolds() {
    JsonObject j = RowJson.of(row("SELECT '{\"a\":{\"b\":[1,\"x\"]}}'::jsonb AS o, '[1,2]'::jsonb AS a, "
        + "'\"s\"'::jsonb AS s, '3'::jsonb AS n, 'true'::jsonb AS b, 'null'::jsonb AS jn, '{\"k\":1}'::json AS plain"));
    assertEquals(new JsonObject().put("a", new JsonObject().put("b", new JsonArray().add(1).add("x"))), j.getJsonObject("o"));
    assertEquals(new JsonArray().add(1).add(2), j.getJsonArray("a"));
    assertEquals("{\"o\":{\"a\":{\"b\":[1,\"x\"]}},\"a\":[1,2],\"s\":\"s\",\"n\":3,\"b\":true,\"jn\":null,"
        + "\"plain\":{\"k\":1}}", j.encode());
  }

  @Test
  void nullsAreKeptUnderTheirNames() {
    JsonObject j = RowJson.of(row("SELECT NULL::text AS t, NULL::timestamptz AS at, NULL::jsonb AS doc, "
        + "NULL::numeric AS n, NULL::text[] AS list, NULL::date AS day"));
    assertEquals("{\"t\":null,\"at\":null,\"doc\":null,\"n\":null,\"list\":null,\"day\":null}", j.encode());
    assertTrue(j.containsKey("list"));
  }

  @Test
  void arraysAreJsonArraysOfTheirValues() {
    JsonObject j = RowJson.of(row("SELECT ARRAY['gold','silver']::text[] AS tiers, ARRAY[1,2]::int8[] AS ids, "
        + "'{}'::text[] AS none, ARRAY['2026-01-02 03:04:05+00']::timestamptz[] AS ats"));
    assertEquals("{\"tiers\":[\"gold\",\"silver\"],\"ids\":[1,2],\"none\":[],\"ats\":[\"2026-01-02T03:04:05Z\"]}",
        j.encode());
    assertEquals(new JsonArray(List.of("gold", "silver")), j.getJsonArray("tiers"));
  }

  @Test
  void theColumnsKeepTheOrderOfTheSelectList() {
    JsonObject j = RowJson.of(row("SELECT 3 AS c, 1 AS a, 2 AS b"));
    assertEquals(List.of("c", "a", "b"), List.copyOf(j.fieldNames()));
  }

  @Test
  void exceptLeavesOutTheNamedColumnsAndKeepsTheOrderOfTheRest() {
    JsonObject j = RowJson.except(row("SELECT 'granted' AS verdict, 3 AS c, 1 AS a, 'x' AS tier, 2 AS b"), "verdict", "tier");
    assertEquals("{\"c\":3,\"a\":1,\"b\":2}", j.encode());
  }

  @Test
  void aKindItDoesNotWriteIsRefusedNamingTheColumn() {
    Row r = row("SELECT 1 AS fine, gen_random_uuid() AS token");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RowJson.of(r));
    assertTrue(e.getMessage().contains("token"), e.getMessage());
  }
}
