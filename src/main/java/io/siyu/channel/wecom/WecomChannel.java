package io.siyu.channel.wecom;

import io.siyu.channel.ProviderChannel;
import io.siyu.outbox.Delivery;
import io.siyu.outbox.Touch;
import io.siyu.wecom.api.CustomerMessage;
import io.siyu.wecom.api.StaffNotification;
import io.siyu.wecom.api.WecomClient;
import io.siyu.wecom.api.WecomContent;
import io.siyu.wecom.api.WelcomeMessage;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * {@code wecom}: a rendered touch through the WeCom server API, with the client the application
 * shares among its WeCom features (one access token cache, one pace for every call to WeCom). A touch whose data carries the
 * {@code welcome_code} of a WeCom add (and {@code welcome_code_at}, when Siyu received it) is the
 * welcome message; {@code "to": "staff"} notifies the contact's owner staff member; anything else
 * is a customer message from the owner staff member to the contact (their external user id).
 */
public final class WecomChannel extends ProviderChannel<WecomClient> {
  /** {@code client}: null when WeCom is not configured (every touch then fails, naming the variable). */
  public WecomChannel(WecomClient client) {
    super("SIYU_WECOM_CORP_ID");
    this.client = client;
  }

  @Override
  public String name() {
    return "wecom";
  }

  @Override
  protected Future<Delivery> send(WecomClient client, Touch touch) {
    String text = touch.content().text();
    String welcomeCode = touch.payload().getString("welcome_code");
    if (welcomeCode != null) {
      String at = touch.payload().getString("welcome_code_at");
      return client.sendWelcome(new WelcomeMessage(welcomeCode, at == null ? Instant.now() : Instant.parse(at),
          WecomContent.text(text)), touch.touchKey());
    }
    String owner = touch.recipient().ownerStaffId();
    if ("staff".equals(touch.payload().getString("to"))) {
      return client.notifyStaff(new StaffNotification(List.of(owner), text), touch.touchKey());
    }
    return client.sendToCustomers(new CustomerMessage(owner, List.of(touch.recipient().externalUserid()),
        WecomContent.text(text)), touch.touchKey());
  }
}
