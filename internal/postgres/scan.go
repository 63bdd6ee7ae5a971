package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// A columnTable lists the columns of a row type that the hot read path
// selects (invitations, jobs and their clients), each with the address of
// the field it is scanned into, so that its rows are scanned without
// reflection: sqlx matches the columns to fields by name on every
// statement and allocates each row and each field address through reflect
// (a tenth of the invitations page's CPU). sqlx still scans every other
// statement, and TestColumnTables checks that each table agrees with the
// type's db tags, which is what sqlx reads.
type columnTable[T any] struct {
	names []string
	addrs []func(*T) any
	index map[string]int
}

// column is one column of a row type and the address of its field.
type column[T any] struct {
	name string
	addr func(*T) any
}

func col[T any](name string, addr func(*T) any) column[T] { return column[T]{name, addr} }

// newColumnTable makes a table of the columns, in order.
func newColumnTable[T any](cols ...[]column[T]) *columnTable[T] {
	t := &columnTable[T]{index: map[string]int{}}
	for _, group := range cols {
		for _, c := range group {
			if _, dup := t.index[c.name]; dup {
				panic("postgres: column " + c.name + " twice in a column table")
			}
			t.index[c.name] = len(t.names)
			t.names = append(t.names, c.name)
			t.addrs = append(t.addrs, c.addr)
		}
	}
	return t
}

// embedded reuses the columns of an inner row type, named prefix+column,
// for the inner value that inner returns.
func embedded[T, U any](prefix string, cols []column[U], inner func(*T) *U) []column[T] {
	out := make([]column[T], len(cols))
	for i, c := range cols {
		addr := c.addr
		out[i] = column[T]{prefix + c.name, func(r *T) any { return addr(inner(r)) }}
	}
	return out
}

// columns returns the table's columns, in order.
func (t *columnTable[T]) columns() []column[T] {
	out := make([]column[T], len(t.names))
	for i := range t.names {
		out[i] = column[T]{t.names[i], t.addrs[i]}
	}
	return out
}

// names is the columns as a select list: "id, job_id, …".
func names[T any](cols []column[T]) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return strings.Join(out, ", ")
}

// selectRows runs a query, prepared if asked (prepared.go), and scans its
// rows through the table. Every column the query returns must be in the
// table (as with sqlx, which refuses a column it cannot place).
func selectRows[T any](ctx context.Context, c *Conn, prepared bool, t *columnTable[T], dest *[]*T, query string, args []any) error {
	countStatement(ctx)
	return wrap(unavailable(canceled(scanRows(ctx, c, prepared, t, dest, query, args))))
}

// selectOne runs a one-row query of the hot read path through the table,
// prepared outside transactions (its text must be the same for every
// caller). Errors: sql.ErrNoRows.
func selectOne[T any](ctx context.Context, c *Conn, t *columnTable[T], query string, args ...any) (*T, error) {
	var rows []*T
	if err := selectRows(ctx, c, true, t, &rows, query, args); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, wrap(sql.ErrNoRows)
	}
	return rows[0], nil
}

func scanRows[T any](ctx context.Context, c *Conn, prepared bool, t *columnTable[T], dest *[]*T, query string, args []any) error {
	var rows *sql.Rows
	var err error
	if prepared {
		rows, err = c.query(ctx, query, args...)
	} else {
		rows, err = c.q.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	addrs := make([]func(*T) any, len(cols))
	for i, name := range cols {
		j, ok := t.index[name]
		if !ok {
			return fmt.Errorf("missing destination name %s in %T", name, dest)
		}
		addrs[i] = t.addrs[j]
	}
	fields := make([]any, len(cols))
	for rows.Next() {
		r := new(T)
		for i, addr := range addrs {
			fields[i] = addr(r)
		}
		if err := rows.Scan(fields...); err != nil {
			return err
		}
		*dest = append(*dest, r)
	}
	return rows.Err()
}
