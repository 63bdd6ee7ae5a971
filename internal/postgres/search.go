package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

// search runs a ranked full-text search over table's stored tsvector column
// "search" (GIN-indexed, migration 00024): the matching ids, best first
// (ts_rank, then id), Limit+1 of them after the request's position, and the
// total. extra are conditions every row must meet; idCol names the id.
func (c *Conn) search(ctx context.Context, table, idCol string, extra []string, r market.SearchRequest) ([]market.SearchHit, int, error) {
	conds := append([]string{}, extra...)
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	rank := "0::real"
	if r.Query != "" {
		q := "websearch_to_tsquery('english', " + arg(r.Query) + ")"
		conds = append(conds, "search @@ "+q)
		rank = "ts_rank(search, " + q + ")"
	}
	if len(r.Skills) > 0 {
		conds = append(conds, "skills @> "+arg(pq.Array(r.Skills))+"::text[]")
	}
	if r.ContractType != nil {
		conds = append(conds, "contract_type = "+arg(string(*r.ContractType)))
	}
	where := "true"
	if len(conds) > 0 {
		where = strings.Join(conds, " AND ")
	}
	var total int
	if err := c.get(ctx, &total, `SELECT count(*) FROM `+table+` WHERE `+where, args...); err != nil {
		return nil, 0, err
	}
	after := ""
	if r.After != nil {
		after = fmt.Sprintf(" WHERE (rank, id) < (%s::real, %s)", arg(r.After.Rank), arg(r.After.ID))
	}
	var hits []market.SearchHit
	err := c.sel(ctx, &hits, `SELECT id, rank FROM (SELECT `+idCol+` AS id, `+rank+` AS rank FROM `+table+` WHERE `+where+`) t`+
		after+` ORDER BY rank DESC, id DESC LIMIT `+arg(r.Limit+1), args...)
	return hits, total, err
}

// SearchJobs ranks open jobs for a search (R29).
func (c *Conn) SearchJobs(ctx context.Context, r market.SearchRequest) ([]market.SearchHit, int, error) {
	return c.search(ctx, "jobs", "id", []string{"status = 'OPEN'"}, r)
}

// SearchProfiles ranks freelancer profiles for a search (R29); ids are the
// freelancers' user ids.
func (c *Conn) SearchProfiles(ctx context.Context, r market.SearchRequest) ([]market.SearchHit, int, error) {
	r.ContractType = nil
	return c.search(ctx, "freelancer_profiles", "user_id", nil, r)
}

// PendingInvitationID returns the id of the freelancer's pending
// invitation to the job (0: none).
func (c *Conn) PendingInvitationID(ctx context.Context, jobID, freelancerID int64) (int64, error) {
	var ids []int64
	err := c.sel(ctx, &ids, `SELECT id FROM invitations WHERE job_id = $1 AND freelancer_id = $2 AND status = 'PENDING'`, jobID, freelancerID)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

// HasProposal reports whether the freelancer has a proposal on the job.
func (c *Conn) HasProposal(ctx context.Context, jobID, freelancerID int64) (bool, error) {
	var ok bool
	err := c.get(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM proposals WHERE job_id = $1 AND freelancer_id = $2)`, jobID, freelancerID)
	return ok, err
}

// GeneratedJob is a made-up open job for load data.
type GeneratedJob struct {
	Title          string              `json:"title"`
	Description    string              `json:"description"`
	Skills         []string            `json:"skills"`
	ContractType   market.ContractType `json:"contract_type"`
	HourlyMinMinor int64               `json:"hourly_min,omitempty"`
	HourlyMaxMinor int64               `json:"hourly_max,omitempty"`
	BudgetMinor    int64               `json:"budget,omitempty"`
	Connects       int                 `json:"connects"`
}

// InsertJobs inserts generated open jobs of one client, one statement per
// batch of rows, then refreshes the planner's statistics.
func (c *Conn) InsertJobs(ctx context.Context, clientID int64, js []GeneratedJob, now time.Time) error {
	const batch = 10000
	for start := 0; start < len(js); start += batch {
		data, err := json.Marshal(js[start:min(start+batch, len(js))])
		if err != nil {
			return err
		}
		if _, err := c.exec(ctx, `INSERT INTO jobs (client_id, title, description, skills, contract_type, hourly_min_minor,
				hourly_max_minor, budget_minor, currency, connects_required, interview_mode, created_at, last_activity_at)
			SELECT $2, title, description, coalesce(skills, '{}'), contract_type, nullif(hourly_min, 0), nullif(hourly_max, 0), nullif(budget, 0),
				$3, connects, 'COVER_LETTER', $4, $4
			FROM jsonb_to_recordset($1::jsonb) AS s(title text, description text, skills text[], contract_type text,
				hourly_min bigint, hourly_max bigint, budget bigint, connects int)`,
			string(data), clientID, market.DefaultCurrency, now); err != nil {
			return err
		}
	}
	_, err := c.exec(ctx, `ANALYZE jobs`)
	return err
}
