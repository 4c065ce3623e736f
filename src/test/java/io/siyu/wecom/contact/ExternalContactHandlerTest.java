package io.siyu.wecom.contact;

import static io.siyu.support.Unique.unique;
import static io.siyu.wecom.contact.ContactCallbacks.add;
import static io.siyu.wecom.contact.ContactCallbacks.handle;
import static io.siyu.wecom.contact.ContactCallbacks.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.siyu.support.Api.Reply;
import io.siyu.support.Await;
import io.siyu.support.FakeWecom;
import io.siyu.support.OwnServer;
import io.siyu.support.TestSiyu;
import io.siyu.wecom.api.WecomClient;
import io.siyu.wecom.callback.WecomCallback;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code change_external_contact} handler on a real server and database, with WeCom's API on
 * loopback: every change type's contact, relation and member event, a callback handled twice, the
 * profile from externalcontact/get (and its retries), and callbacks that name an unknown code.
 */
class ExternalContactHandlerTest {
  @RegisterExtension
  static final FakeWecom wecom = new FakeWecom();

  // no shipped journeys: what a journey would send is the welcome test's business
  @RegisterExtension
  static final OwnServer server = new OwnServer(wecom.env(), TestSiyu.noJourneys());

  private static String customer() {
    return "wm" + unique();
  }

  private static JsonObject contactOf(String externalUserId) {
    JsonArray found = server.api().get("/api/v1/contacts?external_userid=" + externalUserId).items();
    assertEquals(1, found.size(), found.encode());
    return found.getJsonObject(0);
  }

  private static JsonObject wecomSide(long contactId) {
    Reply r = server.api().get("/api/v1/contacts/" + contactId + "/wecom");
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  private static JsonObject follow(long contactId, String staff) {
    return wecomSide(contactId).getJsonArray("follows").stream().map(o -> (JsonObject) o)
        .filter(f -> f.getString("staff_userid").equals(staff)).findFirst().orElse(null);
  }

  private static JsonObject event(WecomCallback callback) {
    Reply r = server.api().get("/api/v1/events/wecom:" + callback.id());
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  private static List<JsonObject> events(long contactId) {
    return server.api().get("/api/v1/contacts/" + contactId + "/events").items().stream().map(o -> (JsonObject) o).toList();
  }

  private static int profileFetches(String externalUserId) {
    return (int) wecom.requests(WecomClient.EXTERNALCONTACT_GET).stream()
        .filter(r -> externalUserId.equals(r.query().get("external_userid"))).count();
  }

  @Test
  void anAddCreatesTheContactTheRelationAndTheEventAndCompletesTheProfile() {
    String customer = customer();
    wecom.directory().customer(customer, "韩梅梅", 2, "un-" + customer, "zhangsan", "老客户");
    WecomCallback added = add("zhangsan", customer, "poster-unknown", "WELCOME-CODE-1");
    handle(server.siyu(), added);

    JsonObject contact = contactOf(customer);
    assertEquals("zhangsan", contact.getString("owner_staff_id"));
    assertEquals("wecom", contact.getString("source"), "a state no channel code has is no source");
    assertEquals("韩梅梅", contact.getString("name"));
    assertEquals("female", contact.getString("gender"));
    assertEquals("un-" + customer, contact.getString("unionid"));

    JsonObject side = wecomSide(contact.getLong("id"));
    assertEquals("https://wework.qpic.cn/" + customer, side.getJsonObject("profile").getString("avatar"));
    JsonObject follow = follow(contact.getLong("id"), "zhangsan");
    assertEquals("active", follow.getString("status"));
    assertEquals("poster-unknown", follow.getString("state"));
    assertNull(follow.getLong("channel_code_id"));
    assertEquals("老客户", follow.getString("remark"));
    assertEquals("门店 A", follow.getString("description"));
    assertEquals(1, follow.getInteger("add_way"));
    assertNotNull(follow.getString("added_at"));

    JsonObject event = event(added);
    assertEquals("wecom.contact_added", event.getString("type"));
    assertEquals(contact.getLong("id"), event.getLong("contact_id"));
    JsonObject props = event.getJsonObject("properties");
    assertEquals("zhangsan", props.getString("staff"));
    assertEquals("poster-unknown", props.getString("state"));
    assertFalse(props.containsKey("channel_code_id"), props.encode());
    assertEquals("WELCOME-CODE-1", props.getString("welcome_code"));
    assertEquals(added.receivedAt().toString(), props.getString("welcome_code_at"));
    assertTrue(props.getBoolean("new_relation"));
  }

  @Test
  void theSameCallbackTwiceIsHandledOnce() {
    String customer = customer();
    wecom.directory().customer(customer, "李雷", 1, null, "lisi", null);
    WecomCallback added = add("lisi", customer, null, null);
    handle(server.siyu(), added);
    handle(server.siyu(), added);

    long contact = contactOf(customer).getLong("id");
    assertEquals(1, events(contact).size(), events(contact).toString());
    assertEquals(1, wecomSide(contact).getJsonArray("follows").size());
    assertEquals(1, profileFetches(customer), "a completed callback does nothing again, not even the profile");

    // the same callback twice at once (a retry racing a slow first try): one of them does it
    String racing = customer();
    WecomCallback raced = add("lisi", racing, null, null);
    var handler = server.siyu().services().externalContacts();
    Await.result(io.vertx.core.Future.all(handler.handle(raced), handler.handle(raced)));
    long racingContact = contactOf(racing).getLong("id");
    assertEquals(1, events(racingContact).size());
    assertEquals(1, wecomSide(racingContact).getJsonArray("follows").size());

    // a replayed add after the customer left does not bring the relation back
    WecomCallback lost = of("del_follow_user", "lisi", customer);
    handle(server.siyu(), lost);
    handle(server.siyu(), added);
    assertEquals("deleted", follow(contact, "lisi").getString("status"));
    assertEquals(2, events(contact).size());
  }

  @Test
  void aHalfAddIsAHalfRelationUntilTheStaffMemberAccepts() {
    String customer = customer();
    WecomCallback half = ContactCallbacks.callback("add_half_external_contact",
        Map.of("UserID", "wangwu", "ExternalUserID", customer, "State", "s-half", "WelcomeCode", "W-HALF"));
    handle(server.siyu(), half);
    long contact = contactOf(customer).getLong("id");
    JsonObject relation = follow(contact, "wangwu");
    assertEquals("half", relation.getString("status"));
    JsonObject event = event(half);
    assertEquals("wecom.contact_half_added", event.getString("type"));
    assertEquals("W-HALF", event.getJsonObject("properties").getString("welcome_code"));

    WecomCallback accepted = add("wangwu", customer, "s-half", null);
    handle(server.siyu(), accepted);
    JsonObject now = follow(contact, "wangwu");
    assertEquals("active", now.getString("status"));
    assertEquals(relation.getString("added_at"), now.getString("added_at"), "the relation began with the half add");
    assertFalse(event(accepted).getJsonObject("properties").getBoolean("new_relation"));
  }

  @Test
  void anEditRefreshesTheProfileAndIsAnEvent() {
    String customer = customer();
    wecom.directory().customer(customer, "小明", 1, null, "zhaoliu", "first remark");
    handle(server.siyu(), add("zhaoliu", customer, null, null));
    long contact = contactOf(customer).getLong("id");

    wecom.directory().customer(customer, "小明明", 1, null, "zhaoliu", "VIP 客户");
    WecomCallback edited = of("edit_external_contact", "zhaoliu", customer);
    handle(server.siyu(), edited);
    assertEquals("wecom.contact_edited", event(edited).getString("type"));
    assertEquals("VIP 客户", follow(contact, "zhaoliu").getString("remark"));
    assertEquals("小明明", wecomSide(contact).getJsonObject("profile").getString("name"));
    assertEquals("小明", contactOf(customer).getString("name"), "the name Siyu had first is kept");
    assertEquals(2, profileFetches(customer));
  }

  @Test
  void theStaffDeletingTheCustomerEndsTheRelationAndHandsTheContactToAnotherStaffMember() {
    String customer = customer();
    handle(server.siyu(), add("owner1", customer, null, null));
    handle(server.siyu(), add("second1", customer, null, null));
    long contact = contactOf(customer).getLong("id");
    assertEquals("owner1", contactOf(customer).getString("owner_staff_id"));

    WecomCallback deleted = ContactCallbacks.callback("del_external_contact",
        Map.of("UserID", "owner1", "ExternalUserID", customer, "Source", "DELETE_BY_TRANSFER"));
    handle(server.siyu(), deleted);
    JsonObject relation = follow(contact, "owner1");
    assertEquals("deleted", relation.getString("status"));
    assertEquals("staff", relation.getString("deleted_by"));
    assertEquals("DELETE_BY_TRANSFER", relation.getString("delete_source"));
    assertEquals("second1", contactOf(customer).getString("owner_staff_id"));
    JsonObject event = event(deleted);
    assertEquals("wecom.contact_deleted", event.getString("type"));
    assertEquals("owner1", event.getJsonObject("properties").getString("staff"));
    assertEquals("DELETE_BY_TRANSFER", event.getJsonObject("properties").getString("source"));
    assertTrue(event.getJsonObject("properties").getLong("lasted_seconds") >= 0);
  }

  @Test
  void theCustomerDeletingTheStaffMemberIsAChurnAlertWithHowLongTheRelationLasted() {
    String customer = customer();
    WecomCallback added = add("sunqi", customer, null, null);
    handle(server.siyu(), added);
    long contact = contactOf(customer).getLong("id");

    WecomCallback lost = of("del_follow_user", "sunqi", customer);
    handle(server.siyu(), lost);
    JsonObject relation = follow(contact, "sunqi");
    assertEquals("deleted", relation.getString("status"));
    assertEquals("customer", relation.getString("deleted_by"));
    JsonObject props = event(lost).getJsonObject("properties");
    assertEquals("wecom.contact_lost", event(lost).getString("type"));
    assertEquals("sunqi", props.getString("staff"));
    assertEquals(relation.getString("added_at"), props.getString("added_at"));
    assertEquals(Instant.parse(event(lost).getString("occurred_at")).getEpochSecond()
        - Instant.parse(relation.getString("added_at")).getEpochSecond(), props.getLong("lasted_seconds"));
    assertEquals(0L, props.getLong("lasted_days"));

    // the same customer leaving again (a relation Siyu already saw end) is no second loss
    WecomCallback again = of("del_follow_user", "sunqi", customer);
    handle(server.siyu(), again);
    assertFalse(event(again).getJsonObject("properties").containsKey("lasted_seconds"));
  }

  @Test
  void aFailedHandOverIsRecordedOnTheRelationAndIsAnEvent() {
    String customer = customer();
    WecomCallback failed = ContactCallbacks.callback("transfer_fail",
        Map.of("UserID", "taker", "ExternalUserID", customer, "FailReason", "customer_refused"));
    handle(server.siyu(), failed);
    long contact = contactOf(customer).getLong("id");
    JsonObject relation = follow(contact, "taker");
    assertEquals("transfer_failed", relation.getString("status"));
    assertEquals("customer_refused", relation.getString("transfer_fail_reason"));
    assertNotNull(relation.getString("transfer_failed_at"));
    JsonObject event = event(failed);
    assertEquals("wecom.transfer_failed", event.getString("type"));
    assertEquals("customer_refused", event.getJsonObject("properties").getString("fail_reason"));
  }

  @Test
  void aBusyWecomIsAskedAgainForTheProfile() {
    String customer = customer();
    wecom.directory().customer(customer, "重试", 1, null, "retry1", null);
    wecom.answerNext(1, -1, "system busy");
    handle(server.siyu(), add("retry1", customer, null, null));
    assertEquals(2, profileFetches(customer));
    assertEquals("重试", contactOf(customer).getString("name"));
  }

  @Test
  void aWecomThatStaysDownFailsTheCallbackAfterItsEventAndTheRetryCompletesIt() {
    String customer = customer();
    wecom.directory().customer(customer, "稍后", 1, null, "later1", null);
    wecom.answerNext(3, -1, "system busy");
    WecomCallback added = add("later1", customer, null, null);
    assertThrows(IllegalStateException.class, () -> handle(server.siyu(), added));
    long contact = contactOf(customer).getLong("id");
    assertNull(contactOf(customer).getString("name"));
    assertEquals("wecom.contact_added", event(added).getString("type"), "the event does not wait for the profile");

    handle(server.siyu(), added); // the inbox's retry
    assertEquals("稍后", contactOf(customer).getString("name"));
    assertEquals(1, events(contact).size());
  }

  @Test
  void unknownChangeTypesAreLeftAloneAndCallbacksWithoutTheCustomerFail() {
    WecomCallback future = ContactCallbacks.callback("some_new_change", Map.of("UserID", "x", "ExternalUserID", "y"));
    handle(server.siyu(), future);
    assertEquals(0, server.api().get("/api/v1/contacts?external_userid=y").items().size());

    WecomCallback broken = ContactCallbacks.callback("add_external_contact", Map.of("UserID", "x"));
    Throwable error = Await.result(server.siyu().services().externalContacts().handle(broken)
        .<Throwable>map(v -> null).otherwise(e -> e));
    assertTrue(error instanceof IllegalArgumentException && error.getMessage().contains("ExternalUserID"),
        String.valueOf(error));
  }

  @Test
  void aBatchOfSeveralCustomersIsHandledTogether() {
    String staff = "batch-" + customer().substring(2, 10);
    List<String> customers = List.of(customer(), customer(), customer(), customer());
    customers.forEach(c -> wecom.directory().customer(c, "客户" + c.substring(2, 6), 1, null, staff, null));
    List<WecomCallback> batch = customers.stream().map(c -> add(staff, c, null, "W-" + c)).toList();

    List<Throwable> outcomes = ContactCallbacks.handleAll(server.siyu(), batch);
    assertEquals(java.util.Arrays.asList(null, null, null, null), outcomes);
    for (int i = 0; i < customers.size(); i++) {
      JsonObject contact = contactOf(customers.get(i));
      assertEquals(staff, contact.getString("owner_staff_id"));
      assertEquals("客户" + customers.get(i).substring(2, 6), contact.getString("name"), "each one's profile was read");
      assertEquals("active", follow(contact.getLong("id"), staff).getString("status"));
      JsonObject event = event(batch.get(i));
      assertEquals("wecom.contact_added", event.getString("type"));
      assertEquals(contact.getLong("id"), event.getLong("contact_id"));
      assertEquals("W-" + customers.get(i), event.getJsonObject("properties").getString("welcome_code"));
      assertEquals(1, events(contact.getLong("id")).size());
    }
  }

  @Test
  void changesOfOneCustomerInOneBatchApplyInTheOrderTheyArrived() {
    String customer = customer();
    String other = customer();
    WecomCallback added = add("order1", customer, null, null);
    WecomCallback elsewhere = add("order1", other, null, null);
    WecomCallback lost = of("del_follow_user", "order1", customer);
    WecomCallback secondStaff = add("order2", customer, null, null);

    List<Throwable> outcomes = ContactCallbacks.handleAll(server.siyu(), List.of(added, elsewhere, secondStaff, lost));
    assertEquals(java.util.Arrays.asList(null, null, null, null), outcomes);
    long contact = contactOf(customer).getLong("id");
    assertEquals("deleted", follow(contact, "order1").getString("status"), "the delete came after the add");
    assertEquals("customer", follow(contact, "order1").getString("deleted_by"));
    assertEquals("active", follow(contact, "order2").getString("status"));
    assertEquals("order2", contactOf(customer).getString("owner_staff_id"), "handed to order2 when order1 was lost");
    assertTrue(event(added).getJsonObject("properties").getBoolean("new_relation"));
    JsonObject churn = event(lost);
    assertEquals("wecom.contact_lost", churn.getString("type"));
    assertTrue(churn.getJsonObject("properties").containsKey("lasted_seconds"), "it ended the relation the add began");
    assertEquals(List.of(event(added).getLong("seq"), event(secondStaff).getLong("seq"), churn.getLong("seq")),
        events(contact).stream().map(e -> e.getLong("seq")).sorted().toList(), "the events in the same order");
    assertEquals("active", follow(contactOf(other).getLong("id"), "order1").getString("status"));
  }

  @Test
  void aPoisonCallbackInABatchFailsAloneAndTheOthersGoThrough() {
    String first = customer();
    String last = customer();
    // no ExternalUserID: refused when read
    WecomCallback unnamed = ContactCallbacks.callback("add_external_contact", Map.of("UserID", "poison1"));
    // PostgreSQL text cannot hold NUL: this one fails the batch's shared transaction, and alone (the
    // State: a NUL in the ExternalUserID is refused when read, as no external id may hold a control character)
    WecomCallback template = add("poison1", customer(), null, null);
    WecomCallback nul = new WecomCallback(template.id(), template.event(), template.changeType(),
        template.fields().copy().put("State", "st\u0000poison"), template.receivedAt());
    List<WecomCallback> batch = List.of(add("poison1", first, null, null), unnamed, nul, add("poison1", last, null, null));

    List<Throwable> outcomes = ContactCallbacks.handleAll(server.siyu(), batch);
    assertNull(outcomes.get(0));
    assertTrue(outcomes.get(1) instanceof IllegalArgumentException, String.valueOf(outcomes.get(1)));
    assertNotNull(outcomes.get(2), "the NUL callback failed");
    assertNull(outcomes.get(3));
    for (String c : List.of(first, last)) {
      long contact = contactOf(c).getLong("id");
      assertEquals("active", follow(contact, "poison1").getString("status"));
      assertEquals(1, events(contact).size());
    }
    assertEquals(404, server.api().get("/api/v1/events/wecom:" + nul.id()).status());
  }

  @Test
  void aBatchHandledAgainChangesNothing() {
    String customer = customer();
    String other = customer();
    wecom.directory().customer(customer, "重放", 1, null, "replay1", null);
    wecom.directory().customer(other, "重放二", 1, null, "replay1", null);
    List<WecomCallback> batch = List.of(add("replay1", customer, null, null), add("replay1", other, null, null),
        of("del_external_contact", "replay1", customer));
    ContactCallbacks.handleAll(server.siyu(), batch);
    long contact = contactOf(customer).getLong("id");
    JsonObject before = wecomSide(contact);
    List<JsonObject> eventsBefore = events(contact);

    // the same batch again (the inbox's replay), and its add alone after the delete
    assertEquals(java.util.Arrays.asList(null, null, null), ContactCallbacks.handleAll(server.siyu(), batch));
    ContactCallbacks.handleAll(server.siyu(), List.of(batch.get(0)));
    assertEquals("deleted", follow(contact, "replay1").getString("status"), "the replayed add did not reopen it");
    assertEquals(before.getJsonArray("follows"), wecomSide(contact).getJsonArray("follows"));
    assertEquals(eventsBefore, events(contact));
    assertEquals(1, events(contactOf(other).getLong("id")).size());
    assertEquals(1, profileFetches(customer), "a completed callback does nothing again, not even the profile");
    assertEquals(1, profileFetches(other));
  }
}
