-- +goose Up
-- Sign-up (R26). A user is a freelancer while they have a freelancer profile
-- and a client once they signed up as one or posted a job: is_client records
-- the sign-up choice (posting a job counts without it, see users.go).
ALTER TABLE users ADD COLUMN is_client boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE users DROP COLUMN is_client;
