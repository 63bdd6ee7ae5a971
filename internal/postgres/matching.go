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

// RankOptions tune RankFreelancers.
type RankOptions struct {
	Limit int
	// ExcludeInvited leaves out freelancers already invited to the job
	// (automatic invitations); otherwise they are ranked and flagged.
	ExcludeInvited bool
}

type candidateRow struct {
	FreelancerID   int64          `db:"freelancer_id"`
	Matched        int            `db:"matched"`
	RateFits       bool           `db:"rate_fits"`
	Availability   string         `db:"availability"`
	AlreadyInvited bool           `db:"already_invited"`
	MatchedSkills  pq.StringArray `db:"matched_skills"`
}

// RankFreelancers returns the best candidates for a job, best first, in one
// statement. The order is market's (market/matching.go): the number of the
// job's skills a profile has, then rate within budget, then availability,
// then user id; a candidate has at least one of the job's skills. The client
// and freelancers who blocked the client are never candidates; with
// ExcludeInvited neither is anyone invited to the job already, otherwise
// they are flagged.
//
// The statement ranks tier by tier, through the GIN index on skills: first
// the profiles with every job skill (skills @> job skills), then those with
// exactly m-1 of the m skills, and so on down to one. Tiers are UNION ALL
// branches under one LIMIT, and PostgreSQL runs an Append's branches in
// order and stops when the LIMIT is met, so a job whose best tier holds
// enough candidates never looks at the rest (BenchmarkRankFreelancers: 1,833
// rows read instead of the 27,000 profiles sharing some skill with the job). A profile with at least k
// of the m skills has one of any m-k+1 of them, so tier k is found through
// "skills && G" for disjoint groups G of m-k+1 job skills, rarest first
// (rarity from the planner's statistics, pg_stats.most_common_elems;
// without statistics, job order), which the GIN index intersects.
// Each tier keeps its best LIMIT+E rows, E bounding the exclusions (the
// client, their blockers, the invited), and the exclusions are tested on
// those rows only.
func (c *Conn) RankFreelancers(ctx context.Context, crit market.MatchCriteria, o RankOptions) ([]*market.Candidate, error) {
	if len(crit.Skills) == 0 || o.Limit <= 0 {
		return nil, nil
	}
	query, args := rankQuery(crit, o)
	var rows []*candidateRow
	if err := c.sel(ctx, &rows, query, args...); err != nil {
		return nil, err
	}
	out := make([]*market.Candidate, len(rows))
	for i, r := range rows {
		a := market.Availability(r.Availability)
		out[i] = &market.Candidate{
			FreelancerID: r.FreelancerID, MatchedSkills: []string(r.MatchedSkills), RateFits: r.RateFits,
			Availability: a, AlreadyInvited: r.AlreadyInvited,
			Score: market.MatchScore(r.Matched, len(crit.Skills), r.RateFits, a),
		}
	}
	return out, nil
}

// ExplainRankFreelancers runs RankFreelancers' statement under EXPLAIN
// (ANALYZE, BUFFERS) and returns the plan, for benchmarks and tuning.
func (c *Conn) ExplainRankFreelancers(ctx context.Context, crit market.MatchCriteria, o RankOptions) (string, error) {
	query, args := rankQuery(crit, o)
	var lines []string
	if err := c.sel(ctx, &lines, "EXPLAIN (ANALYZE, BUFFERS) "+query, args...); err != nil {
		return "", err
	}
	return strings.Join(lines, "\n"), nil
}

func rankQuery(crit market.MatchCriteria, o RankOptions) (string, []any) {
	m := len(crit.Skills)
	// How many of the job's skills a profile has: one cheap "= ANY" test
	// per job skill (at most market.MaxSkills), summed.
	terms := make([]string, m)
	for i := range crit.Skills {
		terms[i] = fmt.Sprintf("(($1::text[])[%d] = ANY(p.skills))::int", i+1)
	}
	matched := strings.Join(terms, " + ")
	avail := make([]string, len(market.AvailabilityOrder))
	for i, a := range market.AvailabilityOrder {
		avail[i] = string(a)
	}
	tiers := make([]string, 0, m)
	for k := m; k >= 1; k-- {
		var filter string
		switch g := m - k + 1; {
		case k == m:
			filter = `p.skills @> $1::text[]` // every skill: exactly tier m
		case k == 1:
			filter = fmt.Sprintf(`p.skills && $1::text[] AND %s = 1`, matched)
		default:
			// A profile with k of the m skills misses at most g-1 = m-k of
			// them, so it has one of every g job skills: one "&&" per
			// disjoint group of g skills, rarest first (leftovers, the
			// commonest, unconstrained). The GIN index answers them all in
			// one scan, ANDed.
			var groups []string
			for j := 0; (j+1)*g <= m; j++ {
				groups = append(groups, fmt.Sprintf(`p.skills && (SELECT r.skills[%d:%d] FROM rare r)`, j*g+1, (j+1)*g))
			}
			filter = fmt.Sprintf(`%s AND %s = %d`, strings.Join(groups, " AND "), matched, k)
		}
		tiers = append(tiers, fmt.Sprintf(`(SELECT p.user_id, p.skills, p.availability, %d AS matched,
				coalesce($4::bigint IS NULL OR p.hourly_rate_minor <= $4, false) AS rate_fits,
				coalesce(array_position($5::text[], p.availability), cardinality($5::text[]) + 1) AS availability_rank
			FROM freelancer_profiles p
			WHERE %s
			ORDER BY rate_fits DESC, availability_rank, p.user_id
			LIMIT $6 + (SELECT e.n FROM excluded e))`, k, filter))
	}
	query := `WITH rare AS MATERIALIZED (
			SELECT array_agg(js.s ORDER BY coalesce(f.freq, 0), js.o) AS skills
			FROM unnest($1::text[]) WITH ORDINALITY AS js(s, o)
			LEFT JOIN (
				SELECT e.s, e.freq FROM pg_stats st,
					unnest(st.most_common_elems::text::text[], st.most_common_elem_freqs) AS e(s, freq)
				WHERE st.schemaname = current_schema() AND st.tablename = 'freelancer_profiles' AND st.attname = 'skills'
			) f ON f.s = js.s
		), excluded AS MATERIALIZED (
			SELECT 1 + (SELECT count(*) FROM client_blocks WHERE client_id = $3)
				+ CASE WHEN $7 THEN (SELECT count(*) FROM invitations WHERE job_id = $2) ELSE 0 END AS n
		)
		SELECT t.user_id AS freelancer_id, t.matched, t.rate_fits, t.availability,
			EXISTS (SELECT 1 FROM invitations i WHERE i.job_id = $2 AND i.freelancer_id = t.user_id) AS already_invited,
			ARRAY(SELECT js.s FROM unnest($1::text[]) WITH ORDINALITY AS js(s, o) WHERE js.s = ANY(t.skills) ORDER BY js.o) AS matched_skills
		FROM (
			SELECT u.* FROM (
				` + strings.Join(tiers, `
				UNION ALL
				`) + `
			) u
			WHERE u.user_id <> $3
				AND NOT EXISTS (SELECT 1 FROM client_blocks b WHERE b.client_id = $3 AND b.freelancer_id = u.user_id)
				AND NOT ($7 AND EXISTS (SELECT 1 FROM invitations i WHERE i.job_id = $2 AND i.freelancer_id = u.user_id))
			LIMIT $6
		) t
		ORDER BY t.matched DESC, t.rate_fits DESC, t.availability_rank, t.user_id`
	return query, []any{pq.Array(crit.Skills), crit.JobID, crit.ClientID, minorOf(crit.MaxRate), pq.Array(avail), o.Limit, o.ExcludeInvited}
}

// CreateAutomaticInvitations inserts AUTOMATIC invitations for candidates of
// a job in one statement, each with its score and matched skills, and
// returns them in the candidates' order. A candidate already invited is
// skipped (the unique (job_id, freelancer_id) index decides), so callers
// holding the job's row lock never add a duplicate.
func (c *Conn) CreateAutomaticInvitations(ctx context.Context, job *market.Job, cands []*market.Candidate, now time.Time) ([]*market.Invitation, error) {
	if len(cands) == 0 {
		return nil, nil
	}
	type item struct {
		FreelancerID  int64    `json:"freelancer_id"`
		Score         float64  `json:"score"`
		MatchedSkills []string `json:"matched_skills"`
	}
	items := make([]item, len(cands))
	for i, cd := range cands {
		items[i] = item{cd.FreelancerID, cd.Score, cd.MatchedSkills}
		if items[i].MatchedSkills == nil {
			items[i].MatchedSkills = []string{}
		}
	}
	data, err := json.Marshal(items)
	if err != nil {
		return nil, err
	}
	var rows []*invitationRow
	err = c.sel(ctx, &rows, `INSERT INTO invitations (job_id, freelancer_id, client_id, origin, match_score, matched_skills, created_at, updated_at)
		SELECT $1, c.freelancer_id, $2, $3, c.score, c.matched_skills, $4, $4
		FROM jsonb_to_recordset($5::jsonb) AS c(freelancer_id bigint, score double precision, matched_skills text[])
		ON CONFLICT (job_id, freelancer_id) DO NOTHING
		RETURNING `+invitationCols,
		job.ID, job.ClientID, market.OriginAutomatic, now, string(data))
	if err != nil {
		return nil, err
	}
	byFreelancer := make(map[int64]*market.Invitation, len(rows))
	for _, inv := range invitations(rows) {
		byFreelancer[inv.FreelancerID] = inv
	}
	out := make([]*market.Invitation, 0, len(rows))
	for _, cd := range cands {
		if inv, ok := byFreelancer[cd.FreelancerID]; ok {
			out = append(out, inv)
		}
	}
	return out, nil
}

// SetJobFeatured writes a job's featured flag.
func (c *Conn) SetJobFeatured(ctx context.Context, jobID int64, featured bool) error {
	_, err := c.exec(ctx, `UPDATE jobs SET featured = $2 WHERE id = $1`, jobID, featured)
	return err
}

// InvitationStatsOf computes the invitation statistics of users (R9) in one
// statement: per user, the invitations received (all but those the client
// withdrew within window of sending), those accepted or declined, and the
// median time from receipt to that response (percentile_cont). Users
// without invitations get zero statistics.
func (c *Conn) InvitationStatsOf(ctx context.Context, userIDs []int64, window time.Duration) ([]*market.InvitationStats, error) {
	var rows []*struct {
		UserID    int64    `db:"user_id"`
		Received  int      `db:"received"`
		Responded int      `db:"responded"`
		Median    *float64 `db:"median_seconds"`
	}
	err := c.sel(ctx, &rows, `SELECT freelancer_id AS user_id,
			count(*) AS received,
			count(*) FILTER (WHERE status IN ($3, $4) AND responded_at IS NOT NULL) AS responded,
			percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM responded_at - created_at)::double precision)
				FILTER (WHERE status IN ($3, $4) AND responded_at IS NOT NULL) AS median_seconds
		FROM invitations
		WHERE freelancer_id = ANY($1)
			AND NOT (status = $5 AND withdrawn_at IS NOT NULL AND withdrawn_at - created_at <= make_interval(secs => $2))
		GROUP BY freelancer_id`,
		pq.Array(userIDs), window.Seconds(), market.InvitationAccepted, market.InvitationDeclined, market.InvitationWithdrawn)
	if err != nil {
		return nil, err
	}
	byUser := make(map[int64]*market.InvitationStats, len(rows))
	for _, r := range rows {
		byUser[r.UserID] = &market.InvitationStats{UserID: r.UserID, Received: r.Received, Responded: r.Responded, MedianResponseSeconds: r.Median}
	}
	out := make([]*market.InvitationStats, len(userIDs))
	for i, id := range userIDs {
		if s, ok := byUser[id]; ok {
			out[i] = s
		} else {
			out[i] = &market.InvitationStats{UserID: id}
		}
	}
	return out, nil
}

// LockProfile returns the user's freelancer profile with its row locked for
// update, creating an empty one first if they have none, so that concurrent
// edits of one profile serialize (the first edit included). Inside a
// transaction only.
func (c *Conn) LockProfile(ctx context.Context, userID int64, now time.Time) (*market.FreelancerProfile, error) {
	empty := market.NewProfile(userID)
	if _, err := c.exec(ctx, `INSERT INTO freelancer_profiles (user_id, availability, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO NOTHING`, userID, empty.Availability, now); err != nil {
		return nil, notFound(err, "user")
	}
	var r profileRow
	if err := c.get(ctx, &r, `SELECT `+profileCols+` FROM freelancer_profiles WHERE user_id = $1 FOR UPDATE`, userID); err != nil {
		return nil, notFound(err, "profile")
	}
	return r.profile(), nil
}

// GeneratedFreelancer is a made-up freelancer for demo and load data.
type GeneratedFreelancer struct {
	Email        string              `json:"email"`
	Name         string              `json:"name"`
	Title        string              `json:"title"`
	Overview     string              `json:"overview"`
	Skills       []string            `json:"skills"`
	RateMinor    int64               `json:"rate"`
	Availability market.Availability `json:"availability"`
}

// InsertFreelancers inserts users with freelancer profiles in bulk: one
// statement per batch of rows, all users sharing one password hash.
// Errors: CONFLICT when an email is taken.
func (c *Conn) InsertFreelancers(ctx context.Context, fs []GeneratedFreelancer, passwordHash string, now time.Time) error {
	const batch = 10000
	for start := 0; start < len(fs); start += batch {
		data, err := json.Marshal(fs[start:min(start+batch, len(fs))])
		if err != nil {
			return err
		}
		_, err = c.exec(ctx, `WITH src AS (
				SELECT * FROM jsonb_to_recordset($1::jsonb)
					AS s(email text, name text, title text, overview text, skills text[], rate bigint, availability text)
			), u AS (
				INSERT INTO users (email, name, password_hash, created_at)
				SELECT email, name, $2, $3 FROM src
				RETURNING id, email
			)
			INSERT INTO freelancer_profiles (user_id, title, overview, skills, hourly_rate_minor, currency, availability, updated_at)
			SELECT u.id, s.title, s.overview, s.skills, s.rate, $4, s.availability, $3
			FROM u JOIN src s ON s.email = u.email`,
			string(data), passwordHash, now, market.DefaultCurrency)
		if isUniqueViolation(err, "users_email_key") {
			return market.Errorf(market.CodeConflict, "a generated freelancer's email is taken")
		}
		if err != nil {
			return err
		}
	}
	// Fresh statistics for the planner and for the ranking's skill rarity.
	_, err := c.exec(ctx, `ANALYZE freelancer_profiles`)
	return err
}

// CountUsersByEmailDomain counts the users whose email ends with @domain.
func (c *Conn) CountUsersByEmailDomain(ctx context.Context, domain string) (int, error) {
	var n int
	err := c.get(ctx, &n, `SELECT count(*) FROM users WHERE lower(email) LIKE '%@' || lower($1)`, domain)
	return n, err
}
