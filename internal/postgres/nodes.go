package postgres

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Single rows by id, for node(id). Who may see them is hiring's to decide.

// Notification loads a notification. Errors: NOT_FOUND.
func (c *Conn) Notification(ctx context.Context, id int64) (*market.Notification, error) {
	var n market.Notification
	err := c.get(ctx, &n, `SELECT `+notificationCols+` FROM notifications WHERE id = $1`, id)
	return &n, notFound(err, "notification")
}

// Message loads a message. Errors: NOT_FOUND.
func (c *Conn) Message(ctx context.Context, id int64) (*market.Message, error) {
	var m market.Message
	err := c.get(ctx, &m, `SELECT `+messageCols+` FROM messages WHERE id = $1`, id)
	return &m, notFound(err, "message")
}

// LedgerEntry loads a Connects ledger entry. Errors: NOT_FOUND.
func (c *Conn) LedgerEntry(ctx context.Context, id int64) (*market.LedgerEntry, error) {
	var e market.LedgerEntry
	err := c.get(ctx, &e, `SELECT id, user_id, agency_id, kind, amount, proposal_id, note, created_at
		FROM connects_ledger WHERE id = $1`, id)
	return &e, notFound(err, "Connects ledger entry")
}

// Bonus loads a bonus. Errors: NOT_FOUND.
func (c *Conn) Bonus(ctx context.Context, id int64) (*market.Bonus, error) {
	var rows []*bonusRow
	if err := c.sel(ctx, &rows, `SELECT `+bonusCols+` FROM bonuses WHERE id = $1`, id); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, market.NotFound("bonus")
	}
	return bonuses(rows)[0], nil
}

// TimeEntry loads a time entry. Errors: NOT_FOUND.
func (c *Conn) TimeEntry(ctx context.Context, id int64) (*market.TimeEntry, error) {
	var e market.TimeEntry
	err := c.get(ctx, &e, `SELECT `+timeEntryCols+` FROM time_entries WHERE id = $1`, id)
	return &e, notFound(err, "time entry")
}
