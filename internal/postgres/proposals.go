package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

type proposalRow struct {
	market.Proposal
	HourlyRate sql.NullInt64  `db:"hourly_rate_minor"`
	FixedPrice sql.NullInt64  `db:"fixed_price_minor"`
	Currency   string         `db:"currency"`
	Duration   sql.NullString `db:"estimated_duration"`
}

func (r *proposalRow) proposal() *market.Proposal {
	p := r.Proposal
	p.Terms = terms(r.HourlyRate, r.FixedPrice, r.Currency, r.Duration)
	return &p
}

// terms assembles terms from their columns.
func terms(hourly, fixed sql.NullInt64, currency string, duration sql.NullString) market.Terms {
	t := market.Terms{HourlyRate: moneyPtr(hourly, currency), FixedPrice: moneyPtr(fixed, currency)}
	if duration.Valid {
		d := market.EstimatedDuration(duration.String)
		t.EstimatedDuration = &d
	}
	return t
}

func proposals(rows []*proposalRow) []*market.Proposal {
	out := make([]*market.Proposal, len(rows))
	for i := range rows {
		out[i] = rows[i].proposal()
	}
	return out
}

const proposalCols = `id, job_id, freelancer_id, agency_id, submitted_by, invitation_id, cover_letter, hourly_rate_minor,
	fixed_price_minor, currency, estimated_duration, message_to_client, status, connects_spent, client_viewed_at,
	status_reason_id, status_message, created_at, updated_at`

func duration(d *market.EstimatedDuration) sql.NullString {
	if d == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: string(*d), Valid: true}
}

// CreateProposal inserts a proposal with its answers and attachments.
// Errors: CONFLICT when the freelancer already has a proposal on the job.
func (c *Conn) CreateProposal(ctx context.Context, p *market.Proposal, answers []market.Answer, atts []market.Attachment) (*market.Proposal, error) {
	var r proposalRow
	err := c.get(ctx, &r, `INSERT INTO proposals (job_id, freelancer_id, agency_id, submitted_by, invitation_id, cover_letter,
			hourly_rate_minor, fixed_price_minor, currency, estimated_duration, message_to_client, status, connects_spent,
			created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING `+proposalCols,
		p.JobID, p.FreelancerID, p.AgencyID, p.SubmittedBy, p.InvitationID, p.CoverLetter,
		minorOf(p.Terms.HourlyRate), minorOf(p.Terms.FixedPrice), market.DefaultCurrency, duration(p.Terms.EstimatedDuration),
		p.MessageToClient, market.ProposalSubmitted, p.ConnectsSpent, p.CreatedAt)
	if isUniqueViolation(err, "proposals_job_id_freelancer_id_key") {
		return nil, market.Errorf(market.CodeConflict, "the freelancer already has a proposal on this job")
	}
	if err != nil {
		return nil, err
	}
	if err := c.replaceAnswers(ctx, r.ID, answers); err != nil {
		return nil, err
	}
	if err := c.replaceAttachments(ctx, r.ID, atts); err != nil {
		return nil, err
	}
	return r.proposal(), nil
}

func (c *Conn) replaceAnswers(ctx context.Context, proposalID int64, answers []market.Answer) error {
	if _, err := c.exec(ctx, `DELETE FROM proposal_answers WHERE proposal_id = $1`, proposalID); err != nil {
		return err
	}
	if len(answers) == 0 {
		return nil
	}
	qids := make([]int64, len(answers))
	texts := make([]string, len(answers))
	for i, a := range answers {
		qids[i], texts[i] = a.QuestionID, a.Text
	}
	_, err := c.exec(ctx, `INSERT INTO proposal_answers (proposal_id, question_id, answer)
		SELECT $1, q, a FROM unnest($2::bigint[], $3::text[]) AS t(q, a)`, proposalID, pq.Array(qids), pq.Array(texts))
	return err
}

func (c *Conn) replaceAttachments(ctx context.Context, proposalID int64, atts []market.Attachment) error {
	if _, err := c.exec(ctx, `DELETE FROM proposal_attachments WHERE proposal_id = $1`, proposalID); err != nil {
		return err
	}
	for i, a := range atts {
		if _, err := c.exec(ctx, `INSERT INTO proposal_attachments (proposal_id, position, name, content_type, size_bytes, url)
			VALUES ($1, $2, $3, $4, $5, $6)`, proposalID, i+1, a.Name, a.ContentType, a.Size, a.URL); err != nil {
			return err
		}
	}
	return nil
}

// Proposal loads a proposal, locking its row when forUpdate in a
// transaction. Errors: NOT_FOUND.
func (c *Conn) Proposal(ctx context.Context, id int64, forUpdate bool) (*market.Proposal, error) {
	var r proposalRow
	if err := c.get(ctx, &r, `SELECT `+proposalCols+` FROM proposals WHERE id = $1`+c.lock(forUpdate), id); err != nil {
		return nil, notFound(err, "proposal")
	}
	return r.proposal(), nil
}

// ProposalsByID loads proposals by id.
func (c *Conn) ProposalsByID(ctx context.Context, ids []int64) ([]*market.Proposal, error) {
	var rows []*proposalRow
	err := c.sel(ctx, &rows, `SELECT `+proposalCols+` FROM proposals WHERE id = ANY($1)`, pq.Array(ids))
	return proposals(rows), err
}

// AnswersOfProposals loads answers of proposals, in question order.
func (c *Conn) AnswersOfProposals(ctx context.Context, ids []int64) ([]*market.Answer, error) {
	var as []*market.Answer
	err := c.sel(ctx, &as, `SELECT a.proposal_id, a.question_id, a.answer FROM proposal_answers a
		JOIN job_questions q ON q.id = a.question_id WHERE a.proposal_id = ANY($1) ORDER BY a.proposal_id, q.position`, pq.Array(ids))
	return as, err
}

// AttachmentsOfProposals loads attachments of proposals, in order.
func (c *Conn) AttachmentsOfProposals(ctx context.Context, ids []int64) ([]*market.Attachment, error) {
	var as []*market.Attachment
	err := c.sel(ctx, &as, `SELECT id, proposal_id, position, name, content_type, size_bytes, url FROM proposal_attachments
		WHERE proposal_id = ANY($1) ORDER BY proposal_id, position`, pq.Array(ids))
	return as, err
}

// ProposalFilter narrows a list of proposals.
type ProposalFilter struct {
	// Scope: the freelancer's own (and, with Staff, those of the agencies
	// where they are owner or business manager), or a job's.
	FreelancerID int64
	Staff        bool
	JobID        int64
	Statuses     []market.ProposalStatus
}

func (f ProposalFilter) query() *scoped {
	q := &scoped{table: "proposals", cols: proposalCols}
	if f.JobID != 0 {
		q.scopes = []string{"job_id = " + q.arg(f.JobID)}
	} else {
		q.ownOrStaff("freelancer_id", f.FreelancerID, f.Staff)
	}
	if len(f.Statuses) > 0 {
		ss := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			ss[i] = string(s)
		}
		q.conds = append(q.conds, "status = ANY("+q.arg(pq.Array(ss))+")")
	}
	return q
}

// ListProposals returns a newest-first page of proposals (Limit+1 rows),
// and the total count when p.Count.
func (c *Conn) ListProposals(ctx context.Context, f ProposalFilter, p market.PageRequest) ([]*market.Proposal, int, error) {
	var rows []*proposalRow
	total, err := f.query().page(ctx, c, p, &rows)
	return proposals(rows), total, err
}

// UpdateProposal writes back the mutable fields of a proposal: its cover
// letter, terms, status (with reason and message), the client's first view
// and updated_at. Answers and attachments have their own methods.
func (c *Conn) UpdateProposal(ctx context.Context, p *market.Proposal) error {
	_, err := c.exec(ctx, `UPDATE proposals SET cover_letter = $2, hourly_rate_minor = $3, fixed_price_minor = $4,
			estimated_duration = $5, status = $6, client_viewed_at = $7, status_reason_id = $8, status_message = $9, updated_at = $10
		WHERE id = $1`,
		p.ID, p.CoverLetter, minorOf(p.Terms.HourlyRate), minorOf(p.Terms.FixedPrice), duration(p.Terms.EstimatedDuration),
		p.Status, p.ClientViewedAt, p.StatusReasonID, p.StatusMessage, p.UpdatedAt)
	return err
}

// ReplaceProposalAnswers replaces all answers of a proposal.
func (c *Conn) ReplaceProposalAnswers(ctx context.Context, proposalID int64, answers []market.Answer) error {
	return c.replaceAnswers(ctx, proposalID, answers)
}

// ReplaceProposalAttachments replaces all attachments of a proposal.
func (c *Conn) ReplaceProposalAttachments(ctx context.Context, proposalID int64, atts []market.Attachment) error {
	return c.replaceAttachments(ctx, proposalID, atts)
}

// ProposalsOfJob loads every proposal of a job in id order, locking their
// rows when forUpdate in a transaction (the job's row is locked first).
func (c *Conn) ProposalsOfJob(ctx context.Context, jobID int64, forUpdate bool) ([]*market.Proposal, error) {
	var rows []*proposalRow
	err := c.sel(ctx, &rows, `SELECT `+proposalCols+` FROM proposals WHERE job_id = $1 ORDER BY id`+c.lock(forUpdate), jobID)
	return proposals(rows), err
}

// ArchiveProposals sets proposals ARCHIVED (their job closed).
func (c *Conn) ArchiveProposals(ctx context.Context, ids []int64, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := c.exec(ctx, `UPDATE proposals SET status = $2, status_reason_id = NULL, status_message = '', updated_at = $3
		WHERE id = ANY($1)`, pq.Array(ids), market.ProposalArchived, now)
	return err
}

// ExpirePendingOffers ends the pending offers on proposals with status
// (WITHDRAWN when the proposal was withdrawn or declined, EXPIRED when its
// job closed), recording when in responded_at (responded_by stays empty: no
// one responded). It returns how many offers changed.
func (c *Conn) ExpirePendingOffers(ctx context.Context, proposalIDs []int64, status market.OfferStatus, now time.Time) (int, error) {
	if len(proposalIDs) == 0 {
		return 0, nil
	}
	res, err := c.exec(ctx, `UPDATE offers SET status = $2, responded_at = $3 WHERE proposal_id = ANY($1) AND status = $4`,
		pq.Array(proposalIDs), status, now, market.OfferPending)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// RefundProposalConnects appends a REFUND entry of amount Connects for a
// proposal to the owner's ledger, unless the proposal already has one. It
// reports whether the entry was written. The unique index
// connects_ledger_once_idx backs the check: of two racing refunds, the
// second fails with CONFLICT (callers lock the job first, so none race).
func (c *Conn) RefundProposalConnects(ctx context.Context, o market.ConnectsOwner, proposalID int64, amount int, note string, now time.Time) (bool, error) {
	var user, agency *int64
	if o.AgencyID != 0 {
		agency = &o.AgencyID
	} else {
		user = &o.UserID
	}
	var ids []int64
	err := c.sel(ctx, &ids, `INSERT INTO connects_ledger (user_id, agency_id, kind, amount, proposal_id, note, created_at)
		SELECT $1, $2, $3, $4, $5, $6, $7
		WHERE NOT EXISTS (SELECT 1 FROM connects_ledger WHERE proposal_id = $5 AND kind = $3)
		RETURNING id`,
		user, agency, market.LedgerRefund, amount, proposalID, note, now)
	if isUniqueViolation(err, "connects_ledger_once_idx") {
		return false, market.Errorf(market.CodeConflict, "proposal %d was refunded concurrently", proposalID)
	}
	return len(ids) == 1, err
}

// ProposalsOfJobs returns, for each job, one newest-first page of its
// proposals (up to Limit+1 rows, ids below the page's cursor), filtered by
// status, and each job's total count: two statements for any number of jobs.
func (c *Conn) ProposalsOfJobs(ctx context.Context, jobIDs []int64, statuses []market.ProposalStatus, p market.PageRequest) (map[int64][]*market.Proposal, map[int64]int, error) {
	ss := make([]string, len(statuses))
	for i, s := range statuses {
		ss[i] = string(s)
	}
	cond := `job_id = ANY($1) AND (cardinality($2::text[]) = 0 OR status = ANY($2))`
	totals, err := c.countByJob(ctx, `SELECT job_id, count(*) AS n FROM proposals WHERE `+cond+` GROUP BY job_id`, pq.Array(jobIDs), pq.Array(ss))
	if err != nil {
		return nil, nil, err
	}
	var rows []*proposalRow
	err = c.sel(ctx, &rows, `SELECT `+proposalCols+` FROM (
			SELECT *, row_number() OVER (PARTITION BY job_id ORDER BY id DESC) AS rn FROM proposals WHERE `+cond+` AND id < $3
		) t WHERE rn <= $4 ORDER BY job_id, id DESC`,
		pq.Array(jobIDs), pq.Array(ss), afterID(p), p.Limit+1)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[int64][]*market.Proposal)
	for _, pr := range proposals(rows) {
		out[pr.JobID] = append(out[pr.JobID], pr)
	}
	return out, totals, nil
}

// countByJob runs a "SELECT job_id, count(*) AS n ... GROUP BY job_id" query.
func (c *Conn) countByJob(ctx context.Context, query string, args ...any) (map[int64]int, error) {
	var rows []*struct {
		JobID int64 `db:"job_id"`
		N     int   `db:"n"`
	}
	if err := c.sel(ctx, &rows, query, args...); err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.JobID] = r.N
	}
	return out, nil
}
