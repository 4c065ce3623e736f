package io.siyu.journey.palette;

import io.siyu.loyalty.points.PointsRequest;
import io.siyu.loyalty.points.PointsService;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Award points: an earn lot keyed by the step, so a retry never awards twice. */
public final class AwardPoints extends PaletteTask {
  private final PointsService points;

  public AwardPoints(PointsService points) {
    this.points = points;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String reason = input(execution, "reason") == null ? "journey " + journeyKey(execution) : input(execution, "reason");
    PointsRequest request = new PointsRequest(Integer.parseInt(input(execution, "points")), reason, stepKey(execution), null);
    await(points.earn(contactId(execution), request, actor(execution)));
  }
}
