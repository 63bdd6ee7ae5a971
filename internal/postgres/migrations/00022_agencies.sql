-- +goose Up
-- Agencies their owners run (R27). Exactly one owner: at most one is enforced
-- here, at least one by the use cases (the owner can neither leave nor be
-- removed; ownership moves in one transaction).
CREATE UNIQUE INDEX agency_members_one_owner_idx ON agency_members (agency_id) WHERE role = 'OWNER';

CREATE TABLE agency_invitations (
    id           bigserial PRIMARY KEY,
    agency_id    bigint NOT NULL REFERENCES agencies(id),
    user_id      bigint NOT NULL REFERENCES users(id),
    role         text NOT NULL CHECK (role IN ('BUSINESS_MANAGER', 'MEMBER')),
    invited_by   bigint NOT NULL REFERENCES users(id),
    status       text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    responded_at timestamptz,
    CHECK ((status = 'PENDING') = (responded_at IS NULL))
);
-- One pending invitation per person and agency.
CREATE UNIQUE INDEX agency_invitations_pending_idx ON agency_invitations (agency_id, user_id) WHERE status = 'PENDING';
CREATE INDEX agency_invitations_user_idx ON agency_invitations (user_id, id DESC);

-- +goose Down
DROP TABLE agency_invitations;
DROP INDEX agency_members_one_owner_idx;
