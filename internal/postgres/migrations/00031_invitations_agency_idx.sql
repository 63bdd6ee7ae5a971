-- +goose Up
-- An agency's staff list their own invitations and those through their
-- agencies newest first: each is an index scan merged by id (as for
-- proposals, whose agency index is in migration 00001).
CREATE INDEX invitations_agency_idx ON invitations (agency_id, id DESC) WHERE agency_id IS NOT NULL;

-- +goose Down
DROP INDEX invitations_agency_idx;
