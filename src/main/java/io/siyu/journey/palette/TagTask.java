package io.siyu.journey.palette;

import io.siyu.journey.step.EngineSql;
import io.siyu.tag.TagService;
import java.sql.SQLException;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Add tag / remove tag, by group and name, in the step's own transaction (the tag changes exactly
 * when the step commits). A tag the journey names for the first time is made on Siyu's pool,
 * which commits on its own: making a tag twice, or making one a rolled-back step then does not
 * use, is harmless.
 */
public final class TagTask extends PaletteTask {
  private final TagService tags;
  private final boolean add;

  public TagTask(TagService tags, boolean add) {
    this.tags = tags;
    this.add = add;
  }

  @Override
  public void execute(DelegateExecution execution) throws SQLException {
    String group = input(execution, "tagGroup");
    String name = input(execution, "tag");
    Long tag = TagService.find(EngineSql.connection(), group, name);
    if (tag == null) {
      tag = await(tags.ensure(group, name));
    }
    TagService.change(EngineSql.connection(), contactId(execution), tag, actor(execution), add);
  }
}
