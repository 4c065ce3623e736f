package io.siyu.journey.palette;

import io.siyu.contact.ContactService;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Set attribute / set lifecycle stage: a PATCH of the contact, validated like one from the API
 * (an attribute must be declared and its value of the declared type). Setting a value twice is
 * harmless, so no key is needed.
 */
public final class ContactUpdate extends PaletteTask {
  private final ContactService contacts;
  private final boolean stage;

  public ContactUpdate(ContactService contacts, boolean stage) {
    this.contacts = contacts;
    this.stage = stage;
  }

  @Override
  public void execute(DelegateExecution execution) {
    JsonObject patch = stage
        ? new JsonObject().put("lifecycle_stage", input(execution, "stage"))
        : new JsonObject().put("attributes", new JsonObject().put(input(execution, "attribute"), value(input(execution, "value"))));
    await(contacts.patch(contactId(execution), patch));
  }

  /** "42", "true", "1.5" are typed values; anything else is text. */
  static Object value(String text) {
    try {
      Object v = Json.decodeValue(text);
      return v instanceof String || v == null ? text : v;
    } catch (DecodeException e) {
      return text;
    }
  }
}
