package postgres

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// TokenState is what the database says about a token: whether its user
// exists, the user's current token generation, and whether the token itself
// was revoked.
type TokenState struct {
	UserExists bool  `db:"-"`
	Generation int64 `db:"token_generation"`
	Revoked    bool  `db:"revoked"`
}

var tokenStateTable = newColumnTable([]column[TokenState]{
	col("token_generation", func(s *TokenState) any { return &s.Generation }),
	col("revoked", func(s *TokenState) any { return &s.Revoked }),
})

// TokenState looks up a token's user and revocation in one statement (two
// primary-key lookups).
func (c *Conn) TokenState(ctx context.Context, userID int64, tokenID string) (TokenState, error) {
	st, err := selectOne(ctx, c, tokenStateTable, `SELECT u.token_generation,
		EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.token_id = $2) AS revoked
		FROM users u WHERE u.id = $1`, userID, tokenID)
	if errors.Is(err, sql.ErrNoRows) {
		return TokenState{}, nil
	}
	if err != nil {
		return TokenState{}, err
	}
	st.UserExists = true
	return *st, nil
}

// RevokeToken records one revoked token until it expires, and forgets the
// revocations of tokens that have expired since (they verify no more).
func (c *Conn) RevokeToken(ctx context.Context, userID int64, tokenID string, expiresAt, now time.Time) error {
	if _, err := c.exec(ctx, `DELETE FROM revoked_tokens WHERE expires_at < $1`, now); err != nil {
		return err
	}
	_, err := c.exec(ctx, `INSERT INTO revoked_tokens (token_id, user_id, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (token_id) DO NOTHING`, tokenID, userID, expiresAt)
	return err
}

// NextTokenGeneration moves the user's token generation on, which revokes
// every token issued before, and returns the new generation. Errors:
// NOT_FOUND.
func (c *Conn) NextTokenGeneration(ctx context.Context, userID int64) (int64, error) {
	var gen int64
	err := c.get(ctx, &gen, `UPDATE users SET token_generation = token_generation + 1 WHERE id = $1
		RETURNING token_generation`, userID)
	return gen, notFound(err, "user")
}
