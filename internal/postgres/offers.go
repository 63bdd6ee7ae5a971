package postgres

import (
	"context"
	"database/sql"
	"time"

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
	var rows []*offerRow
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
	var rows []*contractRow
	if err := c.sel(ctx, &rows, `SELECT `+contractCols+` FROM contracts WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil, err
	}
	out := make([]*market.Contract, len(rows))
	for i := range rows {
		out[i] = rows[i].contract()
	}
	return out, nil
}

func offers(rows []*offerRow) []*market.Offer {
	out := make([]*market.Offer, len(rows))
	for i := range rows {
		out[i] = rows[i].offer()
	}
	return out
}

func contracts(rows []*contractRow) []*market.Contract {
	out := make([]*market.Contract, len(rows))
	for i := range rows {
		out[i] = rows[i].contract()
	}
	return out
}

// CreateOffer inserts a pending offer. Errors: INVALID_STATE when the
// proposal already has a pending offer (the partial unique index backs the
// proposal's row lock).
func (c *Conn) CreateOffer(ctx context.Context, o *market.Offer) (*market.Offer, error) {
	var r offerRow
	err := c.get(ctx, &r, `INSERT INTO offers (proposal_id, client_id, hourly_rate_minor, weekly_limit_hours, fixed_price_minor,
			currency, estimated_duration, message, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING `+offerCols,
		o.ProposalID, o.ClientID, minorOf(o.Terms.HourlyRate), o.WeeklyLimitHours, minorOf(o.Terms.FixedPrice),
		market.DefaultCurrency, duration(o.Terms.EstimatedDuration), o.Message, market.OfferPending, o.CreatedAt)
	if isUniqueViolation(err, "offers_one_pending_idx") {
		return nil, market.Errorf(market.CodeInvalidState, "an offer is already pending on this proposal")
	}
	if err != nil {
		return nil, err
	}
	return r.offer(), nil
}

// Offer loads an offer, locking its row when forUpdate in a transaction.
// Errors: NOT_FOUND.
func (c *Conn) Offer(ctx context.Context, id int64, forUpdate bool) (*market.Offer, error) {
	var r offerRow
	if err := c.get(ctx, &r, `SELECT `+offerCols+` FROM offers WHERE id = $1`+c.lock(forUpdate), id); err != nil {
		return nil, notFound(err, "offer")
	}
	return r.offer(), nil
}

// OfferRefs returns an offer's proposal and that proposal's job (neither
// ever changes), so that a use case can lock the job and the proposal before
// the offer. Errors: NOT_FOUND.
func (c *Conn) OfferRefs(ctx context.Context, offerID int64) (proposalID, jobID int64, err error) {
	var r struct {
		ProposalID int64 `db:"proposal_id"`
		JobID      int64 `db:"job_id"`
	}
	err = c.get(ctx, &r, `SELECT o.proposal_id, p.job_id FROM offers o JOIN proposals p ON p.id = o.proposal_id WHERE o.id = $1`, offerID)
	return r.ProposalID, r.JobID, notFound(err, "offer")
}

// UpdateOffer writes back the mutable fields of an offer.
func (c *Conn) UpdateOffer(ctx context.Context, o *market.Offer) error {
	_, err := c.exec(ctx, `UPDATE offers SET status = $2, decline_message = $3, responded_by = $4, responded_at = $5 WHERE id = $1`,
		o.ID, o.Status, o.DeclineMessage, o.RespondedBy, o.RespondedAt)
	return err
}

// OffersOfProposals loads the offers of proposals, newest first per proposal.
func (c *Conn) OffersOfProposals(ctx context.Context, proposalIDs []int64) ([]*market.Offer, error) {
	var rows []*offerRow
	err := c.sel(ctx, &rows, `SELECT `+offerCols+` FROM offers WHERE proposal_id = ANY($1) ORDER BY proposal_id, id DESC`, pq.Array(proposalIDs))
	return offers(rows), err
}

// SetOfferProposalStatus moves a proposal to the status an offer's outcome
// gives it (OFFERED, HIRED, or back to ACTIVE or SUBMITTED). The caller holds
// the proposal's row lock.
func (c *Conn) SetOfferProposalStatus(ctx context.Context, proposalID int64, status market.ProposalStatus, now time.Time) error {
	_, err := c.exec(ctx, `UPDATE proposals SET status = $2, updated_at = $3 WHERE id = $1`, proposalID, status, now)
	return err
}

// ProposalHasRoom reports whether the client has opened a message room on
// the proposal (R13).
func (c *Conn) ProposalHasRoom(ctx context.Context, proposalID int64) (bool, error) {
	var ok bool
	err := c.get(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM rooms WHERE proposal_id = $1)`, proposalID)
	return ok, err
}

// PartiesHaveContract reports whether a contract exists between a client and
// a freelancer, which lifts R17 between them.
func (c *Conn) PartiesHaveContract(ctx context.Context, clientID, freelancerID int64) (bool, error) {
	var ok bool
	err := c.get(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM contracts WHERE client_id = $1 AND freelancer_id = $2)`, clientID, freelancerID)
	return ok, err
}

// CreateContract inserts a contract. Errors: CONFLICT when the offer or the
// proposal already has one.
func (c *Conn) CreateContract(ctx context.Context, k *market.Contract) (*market.Contract, error) {
	var r contractRow
	err := c.get(ctx, &r, `INSERT INTO contracts (offer_id, proposal_id, job_id, client_id, freelancer_id, agency_id, contract_type,
			hourly_rate_minor, weekly_limit_hours, fixed_price_minor, currency, status, started_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING `+contractCols,
		k.OfferID, k.ProposalID, k.JobID, k.ClientID, k.FreelancerID, k.AgencyID, k.ContractType,
		minorOf(k.Terms.HourlyRate), k.WeeklyLimitHours, minorOf(k.Terms.FixedPrice), market.DefaultCurrency, k.Status, k.StartedAt)
	if isUniqueViolation(err, "") {
		return nil, market.Errorf(market.CodeConflict, "this proposal already has a contract")
	}
	if err != nil {
		return nil, err
	}
	return r.contract(), nil
}

// Contract loads a contract, locking its row when forUpdate in a
// transaction. Errors: NOT_FOUND.
func (c *Conn) Contract(ctx context.Context, id int64, forUpdate bool) (*market.Contract, error) {
	var r contractRow
	if err := c.get(ctx, &r, `SELECT `+contractCols+` FROM contracts WHERE id = $1`+c.lock(forUpdate), id); err != nil {
		return nil, notFound(err, "contract")
	}
	return r.contract(), nil
}

// ContractsOfProposals loads the contracts of proposals (at most one each).
func (c *Conn) ContractsOfProposals(ctx context.Context, proposalIDs []int64) ([]*market.Contract, error) {
	var rows []*contractRow
	err := c.sel(ctx, &rows, `SELECT `+contractCols+` FROM contracts WHERE proposal_id = ANY($1)`, pq.Array(proposalIDs))
	return contracts(rows), err
}

// ContractFilter scopes a list of contracts to what a user is party to: as
// client, as the freelancer named on it, or as staff of AgencyIDs.
type ContractFilter struct {
	UserID    int64
	AgencyIDs []int64
}

// ListContracts returns a newest-first page of contracts (Limit+1 rows) and
// the total count.
func (c *Conn) ListContracts(ctx context.Context, f ContractFilter, p market.PageRequest) ([]*market.Contract, int, error) {
	where := `(client_id = $1 OR (freelancer_id = $1 AND ` + stillMember("contracts", "freelancer_id") + `) OR agency_id = ANY($2))`
	agencies := pq.Array(f.AgencyIDs)
	if f.AgencyIDs == nil {
		agencies = pq.Array([]int64{})
	}
	var total int
	if err := c.count(ctx, p, &total, `SELECT count(*) FROM contracts WHERE `+where, f.UserID, agencies); err != nil {
		return nil, 0, err
	}
	var rows []*contractRow
	err := c.sel(ctx, &rows, `SELECT `+contractCols+` FROM contracts WHERE `+where+` AND id < $3 ORDER BY id DESC LIMIT $4`,
		f.UserID, agencies, afterID(p), p.Limit+1)
	return contracts(rows), total, err
}

type bonusRow struct {
	market.Bonus
	AmountMinor int64  `db:"amount_minor"`
	Currency    string `db:"currency"`
}

const bonusCols = `id, contract_id, amount_minor, currency, note, paid_by, paid_at`

func bonuses(rows []*bonusRow) []*market.Bonus {
	out := make([]*market.Bonus, len(rows))
	for i := range rows {
		b := rows[i].Bonus
		b.Amount = market.Money{Minor: rows[i].AmountMinor, Currency: rows[i].Currency}
		out[i] = &b
	}
	return out
}

// CreateBonus inserts a bonus payment.
func (c *Conn) CreateBonus(ctx context.Context, b *market.Bonus) (*market.Bonus, error) {
	var rows []*bonusRow
	err := c.sel(ctx, &rows, `INSERT INTO bonuses (contract_id, amount_minor, currency, note, paid_by, paid_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+bonusCols,
		b.ContractID, b.Amount.Minor, b.Amount.Currency, b.Note, b.PaidBy, b.PaidAt)
	if err != nil {
		return nil, err
	}
	return bonuses(rows)[0], nil
}

// BonusesOfContracts loads the bonuses of contracts, in the order paid.
func (c *Conn) BonusesOfContracts(ctx context.Context, contractIDs []int64) ([]*market.Bonus, error) {
	var rows []*bonusRow
	err := c.sel(ctx, &rows, `SELECT `+bonusCols+` FROM bonuses WHERE contract_id = ANY($1) ORDER BY contract_id, id`, pq.Array(contractIDs))
	return bonuses(rows), err
}

const timeEntryCols = `id, contract_id, user_id, minutes, memo, kind, created_at`

// CreateTimeEntry inserts a time entry.
func (c *Conn) CreateTimeEntry(ctx context.Context, e *market.TimeEntry) (*market.TimeEntry, error) {
	var out market.TimeEntry
	err := c.get(ctx, &out, `INSERT INTO time_entries (contract_id, user_id, minutes, memo, kind, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+timeEntryCols,
		e.ContractID, e.UserID, e.Minutes, e.Memo, e.Kind, e.CreatedAt)
	return &out, err
}

// TimeEntriesOfContracts loads the time entries of contracts, newest first.
func (c *Conn) TimeEntriesOfContracts(ctx context.Context, contractIDs []int64) ([]*market.TimeEntry, error) {
	var es []*market.TimeEntry
	err := c.sel(ctx, &es, `SELECT `+timeEntryCols+` FROM time_entries WHERE contract_id = ANY($1) ORDER BY contract_id, id DESC`, pq.Array(contractIDs))
	return es, err
}
