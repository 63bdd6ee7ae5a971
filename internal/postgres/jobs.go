package postgres

import (
	"context"
	"database/sql"
	"strings"
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

// job completes the row's job and returns it (in the row, as invitation
// does).
func (r *jobRow) job() *market.Job {
	j := &r.Job
	j.Skills = []string(r.SkillsArr)
	j.HourlyMin = moneyPtr(r.HourlyMin, r.Currency)
	j.HourlyMax = moneyPtr(r.HourlyMax, r.Currency)
	j.Budget = moneyPtr(r.Budget, r.Currency)
	return j
}

// jobColumns are a job's columns, in the order of jobCols.
var jobColumns = []column[jobRow]{
	col("id", func(r *jobRow) any { return &r.ID }),
	col("client_id", func(r *jobRow) any { return &r.ClientID }),
	col("title", func(r *jobRow) any { return &r.Title }),
	col("description", func(r *jobRow) any { return &r.Description }),
	col("skills", func(r *jobRow) any { return &r.SkillsArr }),
	col("contract_type", func(r *jobRow) any { return &r.ContractType }),
	col("hourly_min_minor", func(r *jobRow) any { return &r.HourlyMin }),
	col("hourly_max_minor", func(r *jobRow) any { return &r.HourlyMax }),
	col("budget_minor", func(r *jobRow) any { return &r.Budget }),
	col("currency", func(r *jobRow) any { return &r.Currency }),
	col("connects_required", func(r *jobRow) any { return &r.ConnectsRequired }),
	col("interview_mode", func(r *jobRow) any { return &r.InterviewMode }),
	col("featured", func(r *jobRow) any { return &r.Featured }),
	col("status", func(r *jobRow) any { return &r.Status }),
	col("close_result", func(r *jobRow) any { return &r.CloseResult }),
	col("created_at", func(r *jobRow) any { return &r.CreatedAt }),
	col("last_activity_at", func(r *jobRow) any { return &r.LastActivityAt }),
	col("closed_at", func(r *jobRow) any { return &r.ClosedAt }),
}

var (
	jobCols  = names(jobColumns)
	jobTable = newColumnTable(jobColumns)
)

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
	var rows []*jobRow
	if err := c.sel(ctx, &rows, `SELECT `+jobCols+` FROM jobs WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
		return nil, err
	}
	out := make([]*market.Job, len(rows))
	for i := range rows {
		out[i] = rows[i].job()
	}
	return out, nil
}

// jobClientRow is a job with its client (ListInvitationsWithJobs).
type jobClientRow struct {
	jobRow
	Client market.User `db:"client"`
}

// jobClientTable scans a job's columns and its client's as
// "client.<column>".
var jobClientTable = newColumnTable(
	embedded("", jobColumns, func(r *jobClientRow) *jobRow { return &r.jobRow }),
	embedded("client.", append(userRowColumns[:len(userRowColumns):len(userRowColumns)], isClientColumn...),
		func(r *jobClientRow) *market.User { return &r.Client }))

// qualify prefixes each column of a comma-separated list with a table
// alias, and names it as prefix+column when prefix is not empty.
func qualify(alias, prefix, cols string) string {
	var b strings.Builder
	for i, col := range strings.Split(cols, ",") {
		col = strings.TrimSpace(col)
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(alias + "." + col)
		if prefix != "" {
			b.WriteString(` AS "` + prefix + col + `"`)
		}
	}
	return b.String()
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

func jobs(rows []*jobRow) []*market.Job {
	out := make([]*market.Job, len(rows))
	for i := range rows {
		out[i] = rows[i].job()
	}
	return out
}

// JobFilter narrows a client's list of jobs.
type JobFilter struct {
	ClientID int64
	Status   *market.JobStatus
}

// ListJobs returns a newest-first page of a client's jobs (Limit+1 rows) and
// the total count.
func (c *Conn) ListJobs(ctx context.Context, f JobFilter, p market.PageRequest) ([]*market.Job, int, error) {
	var status *string
	if f.Status != nil {
		s := string(*f.Status)
		status = &s
	}
	const where = `client_id = $1 AND ($2::text IS NULL OR status = $2)`
	var total int
	if err := c.count(ctx, p, &total, `SELECT count(*) FROM jobs WHERE `+where, f.ClientID, status); err != nil {
		return nil, 0, err
	}
	var rows []*jobRow
	err := c.sel(ctx, &rows, `SELECT `+jobCols+` FROM jobs WHERE `+where+` AND id < $3 ORDER BY id DESC LIMIT $4`,
		f.ClientID, status, afterID(p), p.Limit+1)
	return jobs(rows), total, err
}

// JobHasContract reports whether someone was hired on the job (a contract exists).
func (c *Conn) JobHasContract(ctx context.Context, jobID int64) (bool, error) {
	var ok bool
	err := c.get(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM contracts WHERE job_id = $1)`, jobID)
	return ok, err
}

// CloseJob writes a job's closing: status, result and time.
func (c *Conn) CloseJob(ctx context.Context, j *market.Job) error {
	_, err := c.exec(ctx, `UPDATE jobs SET status = $2, close_result = $3, closed_at = $4 WHERE id = $1`,
		j.ID, j.Status, j.CloseResult, j.ClosedAt)
	return err
}

// ExpirePendingInvitations sets the job's pending invitations (archived or
// not) EXPIRED because the job closed (R4). It returns how many changed.
func (c *Conn) ExpirePendingInvitations(ctx context.Context, jobID int64, now time.Time) (int, error) {
	res, err := c.exec(ctx, `UPDATE invitations SET status = $2, updated_at = $3 WHERE job_id = $1 AND status = $4`,
		jobID, market.InvitationExpired, now, market.InvitationPending)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// IdleJobIDs lists the open jobs whose last client activity is before
// cutoff, oldest activity first (R2). Callers re-check each under its lock.
func (c *Conn) IdleJobIDs(ctx context.Context, cutoff time.Time) ([]int64, error) {
	var ids []int64
	err := c.sel(ctx, &ids, `SELECT id FROM jobs WHERE status = 'OPEN' AND last_activity_at < $1 ORDER BY last_activity_at, id`, cutoff)
	return ids, err
}

// InvitationsOfJobs returns, for each job, one newest-first page of its
// invitations (up to Limit+1 rows, ids below the page's cursor), optionally
// of one status, and each job's total count: two statements for any number
// of jobs.
func (c *Conn) InvitationsOfJobs(ctx context.Context, jobIDs []int64, status *market.InvitationStatus, p market.PageRequest) (map[int64][]*market.Invitation, map[int64]int, error) {
	var st *string
	if status != nil {
		s := string(*status)
		st = &s
	}
	const cond = `job_id = ANY($1) AND ($2::text IS NULL OR status = $2)`
	totals, err := c.countByJob(ctx, `SELECT job_id, count(*) AS n FROM invitations WHERE `+cond+` GROUP BY job_id`, pq.Array(jobIDs), st)
	if err != nil {
		return nil, nil, err
	}
	var rows []*invitationRow
	err = c.sel(ctx, &rows, `SELECT `+invitationCols+` FROM (
			SELECT *, row_number() OVER (PARTITION BY job_id ORDER BY id DESC) AS rn FROM invitations WHERE `+cond+` AND id < $3
		) t WHERE rn <= $4 ORDER BY job_id, id DESC`,
		pq.Array(jobIDs), st, afterID(p), p.Limit+1)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[int64][]*market.Invitation)
	for _, inv := range invitations(rows) {
		out[inv.JobID] = append(out[inv.JobID], inv)
	}
	return out, totals, nil
}
