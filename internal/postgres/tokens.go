package postgres

import (
	"context"
	"database/sql"
	"errors"
)

// TokenGeneration returns the user's current token generation; ok is false
// when the user does not exist.
func (c *Conn) TokenGeneration(ctx context.Context, userID int64) (gen int64, ok bool, err error) {
	err = c.get(ctx, &gen, `SELECT token_generation FROM users WHERE id = $1`, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return gen, err == nil, err
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
