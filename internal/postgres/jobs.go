package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

type jobRow struct {
	market.Job
	SkillsArr pq.StringArray `db:"skills"`
	HourlyMin sql.NullInt64  `db:"hourly_min_minor"`
	HourlyMax sql.NullInt64  `db:"hourly_max_minor"`
	Budget    sql.NullInt64  `db:"budget_minor"`
	Currency  string         `db:"currency"`
}

func (r *jobRow) job() *market.Job {
	j := r.Job
	j.Skills = []string(r.SkillsArr)
	j.HourlyMin = moneyPtr(r.HourlyMin, r.Currency)
	j.HourlyMax = moneyPtr(r.HourlyMax, r.Currency)
	j.Budget = moneyPtr(r.Budget, r.Currency)
	return &j
}

const jobCols = `id, client_id, title, description, skills, contract_type, hourly_min_minor, hourly_max_minor,
	budget_minor, currency, connects_required, interview_mode, featured, status, close_result, created_at,
	last_activity_at, closed_at`

// CreateJob inserts a job and its screening questions.
func (c *Conn) CreateJob(ctx context.Context, clientID int64, n *market.NewJob, now time.Time) (*market.Job, error) {
	var r jobRow
	err := c.get(ctx, &r, `INSERT INTO jobs (client_id, title, description, skills, contract_type, hourly_min_minor,
			hourly_max_minor, budget_minor, currency, connects_required, interview_mode, featured, created_at, last_activity_at)
		VALUES ($1, $2, $3, coalesce($4, '{}'::text[]), $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
		RETURNING `+jobCols,
		clientID, n.Title, n.Description, pq.Array(n.Skills), n.ContractType, minorOf(n.HourlyMin), minorOf(n.HourlyMax),
		minorOf(n.Budget), market.DefaultCurrency, n.ConnectsRequired, n.InterviewMode, n.Featured, now)
	if err != nil {
		return nil, err
	}
	if len(n.Questions) > 0 {
		_, err = c.exec(ctx, `INSERT INTO job_questions (job_id, position, text)
			SELECT $1, q.ord, q.text FROM unnest($2::text[]) WITH ORDINALITY AS q(text, ord)`, r.ID, pq.Array(n.Questions))
		if err != nil {
			return nil, err
		}
	}
	return r.job(), nil
}

// Job loads a job, locking its row when forUpdate in a transaction. Errors: NOT_FOUND.
func (c *Conn) Job(ctx context.Context, id int64, forUpdate bool) (*market.Job, error) {
	var r jobRow
	if err := c.get(ctx, &r, `SELECT `+jobCols+` FROM jobs WHERE id = $1`+c.lock(forUpdate), id); err != nil {
		return nil, notFound(err, "job")
	}
	return r.job(), nil
}

// JobsByID loads jobs by id.
func (c *Conn) JobsByID(ctx context.Context, ids []int64) ([]*market.Job, error) {
	var rows []jobRow
	if err := c.sel(ctx, &rows, `SELECT `+jobCols+` FROM jobs WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil, err
	}
	out := make([]*market.Job, len(rows))
	for i := range rows {
		out[i] = rows[i].job()
	}
	return out, nil
}

// QuestionsOfJobs loads the screening questions of jobs, in order.
func (c *Conn) QuestionsOfJobs(ctx context.Context, jobIDs []int64) ([]*market.Question, error) {
	var qs []*market.Question
	err := c.sel(ctx, &qs, `SELECT id, job_id, position, text FROM job_questions WHERE job_id = ANY($1) ORDER BY job_id, position`, pq.Array(jobIDs))
	return qs, err
}

// TouchJob records client activity on a job (R2 expiry counts from it).
func (c *Conn) TouchJob(ctx context.Context, jobID int64, now time.Time) error {
	_, err := c.exec(ctx, `UPDATE jobs SET last_activity_at = greatest(last_activity_at, $2) WHERE id = $1`, jobID, now)
	return err
}

// JobForShare loads a job with a share lock: its row cannot change (the job
// cannot close) until the transaction ends, while other transactions that
// only share-lock it go on. Errors: NOT_FOUND.
func (c *Conn) JobForShare(ctx context.Context, id int64) (*market.Job, error) {
	var r jobRow
	if err := c.get(ctx, &r, `SELECT `+jobCols+` FROM jobs WHERE id = $1 FOR SHARE`, id); err != nil {
		return nil, notFound(err, "job")
	}
	return r.job(), nil
}

// QuestionsByID loads screening questions by id.
func (c *Conn) QuestionsByID(ctx context.Context, ids []int64) ([]*market.Question, error) {
	var qs []*market.Question
	err := c.sel(ctx, &qs, `SELECT id, job_id, position, text FROM job_questions WHERE id = ANY($1)`, pq.Array(ids))
	return qs, err
}
