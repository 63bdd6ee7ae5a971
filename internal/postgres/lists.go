package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/hiregraph/hiregraph/internal/market"
)

// staffAgenciesOf is the subquery of the agencies where the user ($n) is
// owner or business manager: their staff see the agency's invitations and
// proposals.
const staffAgenciesOf = `SELECT agency_id FROM agency_members WHERE user_id = %s AND role IN ('OWNER', 'BUSINESS_MANAGER')`

// scoped is a newest-first list query over one table: one WHERE clause per
// scope (their rows must not overlap), and the conditions every scope shares.
type scoped struct {
	table, cols string
	scopes      []string
	conds       []string
	args        []any
	join        listJoin // optional
	// moreCols, when set, adds columns to the page's select list (not the
	// count's), binding what they need with arg.
	moreCols func() string
}

// listJoin adds columns from other tables to each row of a page, the page
// being named p: cols is their select list, from the joins.
type listJoin struct{ cols, from string }

func (q *scoped) arg(v any) string {
	q.args = append(q.args, v)
	return fmt.Sprintf("$%d", len(q.args))
}

// ownOrStaff scopes the list to the user's own rows (userCol) and, when
// staff, to the rows of the agencies where they are staff (with
// agency_id indexed, each scope is an index scan, and the viewer's roles
// are read inside the same statement).
func (q *scoped) ownOrStaff(userCol string, userID int64, staff bool) {
	u := q.arg(userID)
	// The user's own rows of an agency count only while they are still a
	// member of it (market.FreelancerSide).
	q.scopes = append(q.scopes, userCol+" = "+u+" AND "+stillMember(q.table, userCol))
	if staff {
		q.scopes = append(q.scopes, fmt.Sprintf("agency_id IN ("+staffAgenciesOf+") AND %s <> %s", u, userCol, u))
	}
}

func (q *scoped) where(scope string) string {
	return strings.Join(append([]string{scope}, q.conds...), " AND ")
}

// page runs the query: Limit+1 rows older than the page's cursor, and the
// count when the page request asks for it. Each scope is its own branch
// with its own ORDER BY and LIMIT, so that PostgreSQL merges index scans.
func (q *scoped) page(ctx context.Context, c *Conn, p market.PageRequest, dest any) (int, error) {
	var total int
	if p.Count {
		counts := make([]string, len(q.scopes))
		for i, s := range q.scopes {
			counts[i] = fmt.Sprintf("(SELECT count(*) FROM %s WHERE %s)", q.table, q.where(s))
		}
		if err := c.get(ctx, &total, "SELECT "+strings.Join(counts, " + "), q.args...); err != nil {
			return 0, err
		}
	}
	cols := q.cols
	if q.moreCols != nil {
		cols += q.moreCols()
	}
	after, limit := q.arg(afterID(p)), q.arg(p.Limit+1)
	branches := make([]string, len(q.scopes))
	for i, s := range q.scopes {
		branches[i] = fmt.Sprintf("SELECT %s FROM %s WHERE %s AND id < %s ORDER BY id DESC LIMIT %s", cols, q.table, q.where(s), after, limit)
	}
	query := branches[0]
	if len(branches) > 1 {
		query = "(" + strings.Join(branches, ") UNION ALL (") + ") ORDER BY id DESC LIMIT " + limit
	}
	if q.join.from != "" {
		query = "SELECT p.*, " + q.join.cols + " FROM (" + query + ") p " + q.join.from + " ORDER BY p.id DESC"
	}
	// Every value is bound, so the text is the same for every viewer: the
	// statement runs prepared where its rows have a column table.
	return total, c.selPrepared(ctx, dest, query, q.args...)
}
