package io.siyu.wecom.tag;

import io.siyu.tag.TagService;
import io.siyu.wecom.api.WecomClient;
import io.siyu.wecom.callback.CallbackHandler;
import io.siyu.wecom.callback.WecomCallback;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code change_external_tag}: WeCom's corp tags mirrored into Siyu's tag groups and tags. The
 * callback names only the tag or group ({@code Id}, {@code TagType} {@code tag} or
 * {@code tag_group}); so a create or update reads it from {@code get_corp_tag_list} and upserts
 * name and order, a shuffle reads the group again (every group when {@code Id} is empty) for the
 * new order, and a delete deletes the mirror.
 *
 * <p>Without the WeCom API only deletes can be applied: a create, update or shuffle is
 * acknowledged and skipped (the tag's name is not in the callback). Tags of rule groups (a
 * {@code StrategyId}) live in another WeCom API and are not mirrored. Everything is idempotent:
 * upserts by WeCom's ids, deletes that find nothing the second time.
 */
public final class CorpTagCallbacks implements CallbackHandler {
  private static final Logger log = LoggerFactory.getLogger(CorpTagCallbacks.class);
  static final String EVENT = "change_external_tag";

  private final CorpTagMirror mirror;
  private final WecomClient wecom;

  /** {@code wecom}: null when the WeCom API is not configured. */
  public CorpTagCallbacks(Pool pool, TagService tags, WecomClient wecom) {
    this.mirror = new CorpTagMirror(pool, tags);
    this.wecom = wecom != null && wecom.customerContactConfigured() ? wecom : null;
  }

  @Override
  public String event() {
    return EVENT;
  }

  @Override
  public Future<Void> handle(WecomCallback callback) {
    String change = callback.changeType();
    String id = blankToNull(callback.field("Id"));
    String type = callback.field("TagType");
    boolean group = "tag_group".equals(type);
    if (!"shuffle".equals(change) && (id == null || !(group || "tag".equals(type)))) {
      return Future.failedFuture(new IllegalArgumentException(EVENT + " " + change + " needs an Id and a TagType "
          + "of tag or tag_group, got Id " + id + ", TagType " + type));
    }
    if ("delete".equals(change)) {
      return group ? mirror.deleteGroup(id) : mirror.deleteTag(id);
    }
    if (!"create".equals(change) && !"update".equals(change) && !"shuffle".equals(change)) {
      return Future.failedFuture(new IllegalArgumentException(EVENT + " with ChangeType " + change
          + " (expected create, update, delete or shuffle)"));
    }
    if (blankToNull(callback.field("StrategyId")) != null) {
      log.debug("Callback {}: {} of a rule-group tag, not mirrored", callback.id(), change);
      return Future.succeededFuture();
    }
    if (wecom == null) {
      log.info("Callback {}: corp tag {} {} not mirrored: the WeCom API is not configured (SIYU_WECOM_SECRET)",
          callback.id(), id, change);
      return Future.succeededFuture();
    }
    if ("shuffle".equals(change)) {
      // Id names the group whose tags moved; none means the groups themselves moved
      return id == null ? fetch(List.of(), List.of(), CorpTagMirror.Scope.ALL)
          : fetch(List.of(), List.of(id), CorpTagMirror.Scope.group(id));
    }
    return group ? fetch(List.of(), List.of(id), CorpTagMirror.Scope.group(id))
        : fetch(List.of(id), List.of(), CorpTagMirror.Scope.tags(id));
  }

  private Future<Void> fetch(List<String> tagIds, List<String> groupIds, CorpTagMirror.Scope scope) {
    return wecom.corpTags(tagIds, groupIds).compose(answer -> mirror.apply(CorpTag.groups(answer), scope));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
