package io.siyu.loyalty.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.siyu.support.OwnServer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFM ranks the base again only when a purchase or a deletion can have moved it, and rescores
 * only the movers when the boundaries stayed. After every run the stored scores are compared
 * with quintiles computed from scratch. A server of its own, so the base is exactly these members.
 */
class RfmDeltaTest {
  @RegisterExtension
  static final OwnServer server = new OwnServer(Map.of());

  static final Members members = new Members(server);

  /** Answers the run's RFM part, after checking which pass it took and that every score is right. */
  private static JsonObject rfm(String pass, long base) throws Exception {
    JsonObject rfm = members.recompute().getJsonObject("rfm");
    assertEquals(pass, rfm.getString("pass"), rfm.encode());
    assertEquals(base, rfm.getLong("base"), rfm.encode());
    assertEquals(0, members.rfmOff(), "scores as computed from scratch");
    return rfm;
  }

  private static String rfmClass(long contact) {
    return server.api().get("/api/v1/contacts/" + contact).json().getJsonObject("rfm").getString("class");
  }

  @Test
  void theBaseIsRankedAgainOnlyWhenSomethingMoved() throws Exception {
    // recency days, purchases, total spent: one member per quintile
    int[][] plan = {{1, 5, 1000}, {10, 1, 900}, {20, 4, 100}, {30, 2, 800}, {40, 3, 60}};
    long[] ids = new long[plan.length];
    for (int i = 0; i < plan.length; i++) {
      ids[i] = members.contact();
      for (int p = 0; p < plan[i][1]; p++) {
        members.purchase(ids[i], new BigDecimal(plan[i][2]).divide(new BigDecimal(plan[i][1]), 2, RoundingMode.UNNECESSARY)
            .toPlainString(), plan[i][0]);
      }
    }
    assertEquals(5, rfm("full", 5).getLong("rescored"));
    assertEquals(0, rfm("none", 5).getLong("rescored"));

    // a write that is not a purchase moves nothing
    assertEquals(200, server.api().patch("/api/v1/contacts/" + ids[2], new JsonObject().put("name", "王芳")).status());
    rfm("none", 5);

    // the best member buys once more: still the newest, most frequent and biggest, so the
    // boundaries stay and only that member is scored again
    members.purchase(ids[0], "1.00", 0);
    assertEquals(1, rfm("movers", 5).getLong("rescored"));
    assertEquals("重要价值", rfmClass(ids[0]));

    // a first purchase joins the base and moves the boundaries
    long newcomer = members.contact();
    members.purchase(newcomer, "50.00", 5);
    rfm("full", 6);

    // a scored member leaves by deletion, which leaves no mover behind
    assertEquals(204, server.api().delete("/api/v1/contacts/" + ids[1]).status());
    rfm("full", 5);
    rfm("none", 5);
  }
}
