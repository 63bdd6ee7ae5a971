package postgres

import "context"

// SelectJobRows runs a query through sel into job rows and returns how
// many it read (scan_rows_test.go).
func (c *Conn) SelectJobRows(ctx context.Context, query string, args ...any) (int, error) {
	var rows []*jobRow
	err := c.sel(ctx, &rows, query, args...)
	return len(rows), err
}
