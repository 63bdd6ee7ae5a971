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
}

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
	q.scopes = append(q.scopes, userCol+" = "+u)
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
	after, limit := q.arg(afterID(p)), q.arg(p.Limit+1)
	branches := make([]string, len(q.scopes))
	for i, s := range q.scopes {
		branches[i] = fmt.Sprintf("SELECT %s FROM %s WHERE %s AND id < %s ORDER BY id DESC LIMIT %s", q.cols, q.table, q.where(s), after, limit)
	}
	query := branches[0]
	if len(branches) > 1 {
		query = "(" + strings.Join(branches, ") UNION ALL (") + ") ORDER BY id DESC LIMIT " + limit
	}
	return total, c.sel(ctx, dest, query, q.args...)
}
