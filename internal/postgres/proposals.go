package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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

func proposals(rows []proposalRow) []*market.Proposal {
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
	var rows []proposalRow
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
	// Scope: the freelancer's own (and, with AgencyIDs, their staff agencies'), or a job's.
	FreelancerID int64
	AgencyIDs    []int64
	JobID        int64
	Statuses     []market.ProposalStatus
}

func (f ProposalFilter) where() (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	switch {
	case f.JobID != 0:
		conds = append(conds, "job_id = "+arg(f.JobID))
	case len(f.AgencyIDs) > 0:
		conds = append(conds, fmt.Sprintf("(freelancer_id = %s OR agency_id = ANY(%s))", arg(f.FreelancerID), arg(pq.Array(f.AgencyIDs))))
	default:
		conds = append(conds, "freelancer_id = "+arg(f.FreelancerID))
	}
	if len(f.Statuses) > 0 {
		ss := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			ss[i] = string(s)
		}
		conds = append(conds, "status = ANY("+arg(pq.Array(ss))+")")
	}
	return strings.Join(conds, " AND "), args
}

// ListProposals returns a newest-first page of proposals (Limit+1 rows) and
// the total count.
func (c *Conn) ListProposals(ctx context.Context, f ProposalFilter, p market.PageRequest) ([]*market.Proposal, int, error) {
	where, args := f.where()
	var total int
	if err := c.get(ctx, &total, `SELECT count(*) FROM proposals WHERE `+where, args...); err != nil {
		return nil, 0, err
	}
	args = append(args, afterID(p), p.Limit+1)
	var rows []proposalRow
	err := c.sel(ctx, &rows, fmt.Sprintf(`SELECT %s FROM proposals WHERE %s AND id < $%d ORDER BY id DESC LIMIT $%d`,
		proposalCols, where, len(args)-1, len(args)), args...)
	return proposals(rows), total, err
}
