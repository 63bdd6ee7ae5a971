-- +goose Up
-- Token revocation. A token carries its user's token generation at issue
-- time: moving the generation on revokes every token of the user at once
-- (sign out everywhere, a password change). A single token is revoked by
-- its id (sign out); the row is needed only until the token would have
-- expired anyway.
ALTER TABLE users ADD COLUMN token_generation bigint NOT NULL DEFAULT 0;

CREATE TABLE revoked_tokens (
    token_id   text PRIMARY KEY,
    user_id    bigint NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX revoked_tokens_expires_idx ON revoked_tokens (expires_at);

-- +goose Down
DROP TABLE revoked_tokens;
ALTER TABLE users DROP COLUMN token_generation;
