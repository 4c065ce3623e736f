-- Tables that work like queues: their rows are written, taken and deleted (or moved on) within
-- seconds, thousands a minute while journeys run. PostgreSQL's default waits for dead rows to
-- reach a fifth of the table before vacuuming it; meanwhile every index scan on these tables
-- (the dispatcher's claim, the engine's job acquisition and foreign-key checks on executions)
-- wades through the dead entries, and their cost grows with the backlog. Vacuum them after a
-- fixed number of dead rows instead, without the cost-based pauses.
ALTER TABLE touches SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
  autovacuum_vacuum_cost_delay = 0);
ALTER TABLE journey_inbox SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
  autovacuum_vacuum_cost_delay = 0);
ALTER TABLE act_ru_execution SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
  autovacuum_vacuum_cost_delay = 0);
ALTER TABLE act_ru_job SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
  autovacuum_vacuum_cost_delay = 0);
ALTER TABLE act_ru_variable SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
  autovacuum_vacuum_cost_delay = 0);
ALTER TABLE act_ru_event_subscr SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
  autovacuum_vacuum_cost_delay = 0);
