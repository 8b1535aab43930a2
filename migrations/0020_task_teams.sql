-- Tasks for a team, and the team that takes new requests (issue 11). A task may now be for a team: its members see
-- it (the tasks table kept team_id from 0019 without a key until teams existed). A council may name one of its
-- teams as the one that takes new requests: the public self-referral form's tasks go to it; with none named they
-- go to the intake role group as before.

ALTER TABLE tasks ADD CONSTRAINT tasks_team
  FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, team_id);
CREATE INDEX tasks_team ON tasks (tenant_id, team_id, status);

ALTER TABLE teams ADD COLUMN takes_new_requests boolean NOT NULL DEFAULT false;
-- At most one team per council takes new requests.
CREATE UNIQUE INDEX teams_takes_new_requests ON teams (tenant_id) WHERE takes_new_requests;

GRANT UPDATE (takes_new_requests) ON teams TO upfront_app;
