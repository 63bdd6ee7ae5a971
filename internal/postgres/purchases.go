package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

const purchaseCols = `id, buyer_id, user_id, agency_id, connects, price_minor, currency, idempotency_key, ledger_entry_id, created_at`

// PurchaseByKey finds a buyer's purchase by its idempotency key (nil: none).
func (c *Conn) PurchaseByKey(ctx context.Context, buyerID int64, key string) (*market.ConnectsPurchase, error) {
	var p market.ConnectsPurchase
	err := c.get(ctx, &p, `SELECT `+purchaseCols+` FROM connects_purchases WHERE buyer_id = $1 AND idempotency_key = $2`, buyerID, key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &p, err
}

// CreatePurchase records a purchase: the PURCHASE ledger entry and the
// charge that paid for it. Errors: CONFLICT when the buyer used the key
// already (the caller locks the buyer first, so this is a backstop).
func (c *Conn) CreatePurchase(ctx context.Context, buyerID int64, owner market.ConnectsOwner, pkg market.ConnectsPackage, key string, now time.Time) (*market.ConnectsPurchase, error) {
	e, err := c.AddLedgerEntry(ctx, owner, market.LedgerPurchase, pkg.Connects, nil, fmt.Sprintf("Bought %d Connects for %s", pkg.Connects, pkg.Price), now)
	if err != nil {
		return nil, err
	}
	var p market.ConnectsPurchase
	err = c.get(ctx, &p, `INSERT INTO connects_purchases (buyer_id, user_id, agency_id, connects, price_minor, currency, idempotency_key, ledger_entry_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING `+purchaseCols,
		buyerID, e.UserID, e.AgencyID, pkg.Connects, pkg.Price.Minor, pkg.Price.Currency, key, e.ID, now)
	if isUniqueViolation(err, "connects_purchases_buyer_id_idempotency_key_key") {
		return nil, &market.Error{Code: market.CodeConflict, Message: "this idempotency key was used already", Field: "input.idempotencyKey"}
	}
	return &p, err
}

// PurchasesByID loads purchases by id.
func (c *Conn) PurchasesByID(ctx context.Context, ids []int64) ([]*market.ConnectsPurchase, error) {
	var out []*market.ConnectsPurchase
	err := c.sel(ctx, &out, `SELECT `+purchaseCols+` FROM connects_purchases WHERE id = ANY($1)`, pq.Array(ids))
	return out, err
}

// LedgerEntriesByID loads ledger entries by id.
func (c *Conn) LedgerEntriesByID(ctx context.Context, ids []int64) ([]*market.LedgerEntry, error) {
	var out []*market.LedgerEntry
	err := c.sel(ctx, &out, `SELECT id, user_id, agency_id, kind, amount, proposal_id, note, created_at
		FROM connects_ledger WHERE id = ANY($1)`, pq.Array(ids))
	return out, err
}
