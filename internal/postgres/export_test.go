package postgres

import "context"

// SelectJobRows runs a query through sel into job rows and returns how
// many it read (scan_rows_test.go).
func (c *Conn) SelectJobRows(ctx context.Context, query string, args ...any) (int, error) {
	var rows []*jobRow
	err := c.sel(ctx, &rows, query, args...)
	return len(rows), err
}

// PreparedTexts is how many statement texts the store keeps prepared.
func (s *Store) PreparedTexts() int { return s.stmts.len() }

// Prepared reports whether query runs prepared (preparing it if there is
// room).
func (s *Store) Prepared(ctx context.Context, query string) (bool, error) {
	st, err := s.stmts.get(ctx, query)
	return st != nil, err
}

// MaxPrepared is the bound on prepared texts.
const MaxPrepared = maxStatements
