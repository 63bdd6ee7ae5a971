package postgres

import (
	"context"
	"database/sql"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

type offerRow struct {
	market.Offer
	HourlyRate sql.NullInt64  `db:"hourly_rate_minor"`
	FixedPrice sql.NullInt64  `db:"fixed_price_minor"`
	Currency   string         `db:"currency"`
	Duration   sql.NullString `db:"estimated_duration"`
}

func (r *offerRow) offer() *market.Offer {
	o := r.Offer
	o.Terms = terms(r.HourlyRate, r.FixedPrice, r.Currency, r.Duration)
	return &o
}

const offerCols = `id, proposal_id, client_id, hourly_rate_minor, weekly_limit_hours, fixed_price_minor, currency,
	estimated_duration, message, status, decline_message, responded_by, created_at, responded_at`

// OffersByID loads offers by id.
func (c *Conn) OffersByID(ctx context.Context, ids []int64) ([]*market.Offer, error) {
	var rows []offerRow
	if err := c.sel(ctx, &rows, `SELECT `+offerCols+` FROM offers WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil, err
	}
	out := make([]*market.Offer, len(rows))
	for i := range rows {
		out[i] = rows[i].offer()
	}
	return out, nil
}

type contractRow struct {
	market.Contract
	HourlyRate sql.NullInt64 `db:"hourly_rate_minor"`
	FixedPrice sql.NullInt64 `db:"fixed_price_minor"`
	Currency   string        `db:"currency"`
}

func (r *contractRow) contract() *market.Contract {
	c := r.Contract
	c.Terms = terms(r.HourlyRate, r.FixedPrice, r.Currency, sql.NullString{})
	return &c
}

const contractCols = `id, offer_id, proposal_id, job_id, client_id, freelancer_id, agency_id, contract_type,
	hourly_rate_minor, weekly_limit_hours, fixed_price_minor, currency, status, started_at, ended_at`

// ContractsByID loads contracts by id.
func (c *Conn) ContractsByID(ctx context.Context, ids []int64) ([]*market.Contract, error) {
	var rows []contractRow
	if err := c.sel(ctx, &rows, `SELECT `+contractCols+` FROM contracts WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil, err
	}
	out := make([]*market.Contract, len(rows))
	for i := range rows {
		out[i] = rows[i].contract()
	}
	return out, nil
}
