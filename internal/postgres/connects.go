package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

func ownerCond(o market.ConnectsOwner) (string, int64) {
	if o.AgencyID != 0 {
		return "agency_id", o.AgencyID
	}
	return "user_id", o.UserID
}

// LockConnects locks the owner's row (the user or the agency) so that the
// balance read next cannot change until the transaction ends (R20).
func (c *Conn) LockConnects(ctx context.Context, o market.ConnectsOwner) error {
	table, id := "users", o.UserID
	if o.AgencyID != 0 {
		table, id = "agencies", o.AgencyID
	}
	var got int64
	err := c.get(ctx, &got, `SELECT id FROM `+table+` WHERE id = $1 FOR NO KEY UPDATE`, id)
	return notFound(err, "connects owner")
}

// ConnectsBalance is the sum of the owner's ledger.
func (c *Conn) ConnectsBalance(ctx context.Context, o market.ConnectsOwner) (int, error) {
	col, id := ownerCond(o)
	var n int
	err := c.get(ctx, &n, `SELECT coalesce(sum(amount), 0) FROM connects_ledger WHERE `+col+` = $1`, id)
	return n, err
}

// ConnectsBalances sums the ledgers of many users at once.
func (c *Conn) ConnectsBalances(ctx context.Context, userIDs []int64) (map[int64]int, error) {
	var rows []*struct {
		UserID int64 `db:"user_id"`
		Sum    int   `db:"sum"`
	}
	if err := c.sel(ctx, &rows, `SELECT user_id, sum(amount) AS sum FROM connects_ledger WHERE user_id = ANY($1) GROUP BY user_id`, pq.Array(userIDs)); err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.Sum
	}
	return out, nil
}

// AddLedgerEntry appends to the owner's ledger. Errors: CONFLICT when the
// proposal already has an entry of that kind (charged or refunded once).
func (c *Conn) AddLedgerEntry(ctx context.Context, o market.ConnectsOwner, kind market.LedgerKind, amount int, proposalID *int64, note string, now time.Time) (*market.LedgerEntry, error) {
	var user, agency *int64
	if o.AgencyID != 0 {
		agency = &o.AgencyID
	} else {
		user = &o.UserID
	}
	var e market.LedgerEntry
	err := c.get(ctx, &e, `INSERT INTO connects_ledger (user_id, agency_id, kind, amount, proposal_id, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, user_id, agency_id, kind, amount, proposal_id, note, created_at`,
		user, agency, kind, amount, proposalID, note, now)
	if isUniqueViolation(err, "connects_ledger_once_idx") {
		return nil, market.Errorf(market.CodeConflict, "proposal %d already has a %s entry", *proposalID, kind)
	}
	return &e, err
}

// Ledger returns a newest-first page of the owner's ledger (Limit+1 rows) and the total count.
func (c *Conn) Ledger(ctx context.Context, o market.ConnectsOwner, p market.PageRequest) ([]*market.LedgerEntry, int, error) {
	col, id := ownerCond(o)
	var total int
	if err := c.count(ctx, p, &total, `SELECT count(*) FROM connects_ledger WHERE `+col+` = $1`, id); err != nil {
		return nil, 0, err
	}
	var es []*market.LedgerEntry
	err := c.sel(ctx, &es, fmt.Sprintf(`SELECT id, user_id, agency_id, kind, amount, proposal_id, note, created_at
		FROM connects_ledger WHERE %s = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, col), id, afterID(p), p.Limit+1)
	return es, total, err
}
