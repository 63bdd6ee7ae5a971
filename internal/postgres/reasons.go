package postgres

import (
	"context"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

const reasonCols = `id, kind, code, label, requires_message, position, active`

// Reasons lists the active reasons of a kind, in display order.
func (c *Conn) Reasons(ctx context.Context, kind market.ReasonKind) ([]*market.Reason, error) {
	var rs []*market.Reason
	err := c.sel(ctx, &rs, `SELECT `+reasonCols+` FROM reasons WHERE kind = $1 AND active ORDER BY position, id`, kind)
	return rs, err
}

// Reason loads a reason. Errors: NOT_FOUND.
func (c *Conn) Reason(ctx context.Context, id int64) (*market.Reason, error) {
	var r market.Reason
	err := c.get(ctx, &r, `SELECT `+reasonCols+` FROM reasons WHERE id = $1`, id)
	return &r, notFound(err, "reason")
}

// ReasonsByID loads reasons by id.
func (c *Conn) ReasonsByID(ctx context.Context, ids []int64) ([]*market.Reason, error) {
	var rs []*market.Reason
	err := c.sel(ctx, &rs, `SELECT `+reasonCols+` FROM reasons WHERE id = ANY($1)`, pq.Array(ids))
	return rs, err
}

// UpsertReason inserts or updates a reason by (kind, code).
func (c *Conn) UpsertReason(ctx context.Context, r market.Reason) error {
	_, err := c.exec(ctx, `INSERT INTO reasons (kind, code, label, requires_message, position, active)
		VALUES ($1, $2, $3, $4, $5, true)
		ON CONFLICT (kind, code) DO UPDATE SET label = EXCLUDED.label,
			requires_message = EXCLUDED.requires_message, position = EXCLUDED.position, active = true`,
		r.Kind, r.Code, r.Label, r.RequiresMessage, r.Position)
	return err
}
