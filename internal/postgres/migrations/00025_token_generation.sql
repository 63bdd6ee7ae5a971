-- +goose Up
-- A password change revokes the user's other tokens (R26): every token
-- carries the user's token generation at issue time, and moving it on
-- revokes all older tokens at once. (Issue 11's token revocation adds the
-- same column in its own migration; IF NOT EXISTS lets both apply.)
ALTER TABLE users ADD COLUMN IF NOT EXISTS token_generation bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN IF EXISTS token_generation;
