package io.siyu.journey.palette;

import io.siyu.tag.TagService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Add tag / remove tag: by group and name, the tag made on first use so a journey file can name new tags. */
public final class TagTask extends PaletteTask {
  private final TagService tags;
  private final boolean add;

  public TagTask(TagService tags, boolean add) {
    this.tags = tags;
    this.add = add;
  }

  @Override
  public void execute(DelegateExecution execution) {
    long contact = contactId(execution);
    long tag = await(tags.ensure(input(execution, "tagGroup"), input(execution, "tag")));
    if (add) {
      await(tags.tagContact(contact, new JsonObject().put("tag_ids", new JsonArray().add(tag)), actor(execution)));
    } else {
      await(tags.untagIfTagged(contact, tag, actor(execution)));
    }
  }
}
