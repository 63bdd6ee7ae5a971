// Package postgres is hiregraph's storage: migrations, one file per aggregate,
// transactions, and events sent with pg_notify. All SQL lives here.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unicode"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Store is the database.
type Store struct {
	db *sqlx.DB
	// outbox: events go to the event_outbox table (for the NATS relay)
	// instead of pg_notify.
	outbox bool
	stmts  *preparedSet
}

// Pool sizes the connection pool.
type Pool struct {
	// MaxConns caps the open connections (0: DefaultMaxConns).
	MaxConns int
	// MaxIdleConns is how many connections stay open when idle (0: MaxConns,
	// so that a burst never closes connections that the next burst has to
	// open again: a PostgreSQL backend costs a fork and a few milliseconds).
	MaxIdleConns int
}

// DefaultMaxConns is the pool's default size.
const DefaultMaxConns = 40

// Open connects to PostgreSQL with a pool sized by p and checks the
// connection.
func Open(ctx context.Context, dsn string, p Pool) (*sqlx.DB, error) {
	db, err := OpenDB(dsn)
	if err != nil {
		return nil, err
	}
	if p.MaxConns <= 0 {
		p.MaxConns = DefaultMaxConns
	}
	if p.MaxIdleConns <= 0 || p.MaxIdleConns > p.MaxConns {
		p.MaxIdleConns = p.MaxConns
	}
	db.SetMaxOpenConns(p.MaxConns)
	db.SetMaxIdleConns(p.MaxIdleConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return db, nil
}

// OpenDB returns a pool (database/sql's defaults) over dsn, without
// connecting. Its connections send a statement with parameters in one
// round trip (lib/pq's binary_parameters: parse, bind and execute at once,
// instead of a parse round trip and then an execute round trip, which
// PostgreSQL also counts as two transactions). Every parameter the store
// sends is a string, number, time or array, which go as text either way.
func OpenDB(dsn string) (*sqlx.DB, error) {
	cfg, err := pq.NewConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.BinaryParameters = true
	conn, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, err
	}
	return sqlx.NewDb(sql.OpenDB(conn), "postgres"), nil
}

// New returns a Store over db.
func New(db *sqlx.DB) *Store { return &Store{db: db, stmts: newPreparedSet(db.DB)} }

// DB returns the underlying pool.
func (s *Store) DB() *sqlx.DB { return s.db }

// Conn runs queries, on the pool or inside a transaction.
type Conn struct {
	q      sqlx.ExtContext
	tx     bool
	outbox bool
	stmts  *preparedSet // on the pool: the prepared statements (prepared.go)
}

// Read returns a Conn on the pool, for reads outside a transaction.
func (s *Store) Read() *Conn { return &Conn{q: s.db, outbox: s.outbox, stmts: s.stmts} }

// Transact runs fn in one transaction: committed if fn returns nil, rolled
// back if it returns an error or panics. Events sent with Notify inside fn are
// delivered by PostgreSQL at commit only. A transaction that PostgreSQL
// aborted as a deadlock victim is run again (fn must not keep state across
// attempts), a few times at most.
func (s *Store) Transact(ctx context.Context, fn func(*Conn) error) error {
	const attempts = 3
	for i := 1; ; i++ {
		err := s.transactOnce(ctx, fn)
		if i == attempts || !isRetryable(err) {
			return err
		}
	}
}

func isRetryable(err error) bool {
	var pe *pq.Error
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

func (s *Store) transactOnce(ctx context.Context, fn func(*Conn) error) (err error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return &OpError{Op: "begin", Err: unavailable(err)}
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(&Conn{q: tx, tx: true, outbox: s.outbox}); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return &OpError{Op: "commit", Err: unavailable(err)}
	}
	return nil
}

// get, sel and exec run every statement of the store. An error comes back
// wrapped with the name of the store operation that ran it ("postgres:
// create invitation: pq: …"), so that a log line says what failed; the
// error inside (sql.ErrNoRows, *pq.Error, context.Canceled) stays
// matchable with errors.Is and errors.As.
func (c *Conn) get(ctx context.Context, dest any, query string, args ...any) error {
	countStatement(ctx)
	return wrap(unavailable(canceled(sqlx.GetContext(ctx, c.q, dest, query, args...))))
}

// count runs a list's count query into total when the page request asks
// for it (p.Count), and leaves total at 0 otherwise.
func (c *Conn) count(ctx context.Context, p market.PageRequest, total *int, query string, args ...any) error {
	if !p.Count {
		return nil
	}
	return c.get(ctx, total, query, args...)
}

func (c *Conn) sel(ctx context.Context, dest any, query string, args ...any) error {
	return c.selectAny(ctx, false, dest, query, args)
}

// selPrepared is sel for a statement of the hot read path whose text is
// the same for every caller: it runs prepared (prepared.go) when its rows
// have a column table.
func (c *Conn) selPrepared(ctx context.Context, dest any, query string, args ...any) error {
	return c.selectAny(ctx, true, dest, query, args)
}

func (c *Conn) selectAny(ctx context.Context, prepared bool, dest any, query string, args []any) error {
	switch d := dest.(type) { // the hot read path's rows (scan.go)
	case *[]*invitationRow:
		return selectRows(ctx, c, prepared, invitationTable, d, query, args)
	case *[]*jobRow:
		return selectRows(ctx, c, prepared, jobTable, d, query, args)
	case *[]*jobClientRow:
		return selectRows(ctx, c, prepared, jobClientTable, d, query, args)
	case *[]*invitationJobRow:
		return selectRows(ctx, c, prepared, invitationJobTable, d, query, args)
	case *[]*market.User:
		return selectRows(ctx, c, prepared, userTable, d, query, args)
	case *[]*market.Room:
		return selectRows(ctx, c, prepared, roomTable, d, query, args)
	case *[]*market.RoomMember:
		return selectRows(ctx, c, prepared, roomMemberTable, d, query, args)
	case *[]*market.Message:
		return selectRows(ctx, c, prepared, messageTable, d, query, args)
	}
	countStatement(ctx)
	return wrap(unavailable(canceled(sqlx.SelectContext(ctx, c.q, dest, query, args...))))
}

func (c *Conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	countStatement(ctx)
	res, err := c.q.ExecContext(ctx, query, args...)
	return res, wrap(unavailable(canceled(err)))
}

// OpError is a store error with the operation that met it.
type OpError struct {
	Op  string // the store method in words: "create invitation"
	Err error
}

func (e *OpError) Error() string { return "postgres: " + e.Op + ": " + e.Err.Error() }
func (e *OpError) Unwrap() error { return e.Err }

// wrap names the operation of a failed statement: the outermost exported
// method of this package on the call stack (what the caller asked the store
// to do), found from the stack rather than written at each of the store's
// hundred call sites, so that a method added later is covered too.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*OpError](err); ok {
		return err
	}
	return &OpError{Op: operation(), Err: err}
}

const pkgPrefix = "github.com/hiregraph/hiregraph/internal/postgres."

// operation returns the store method that is running, in words.
func operation() string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	op := ""
	for {
		f, more := frames.Next()
		name, inPkg := strings.CutPrefix(f.Function, pkgPrefix)
		if !inPkg {
			if op != "" {
				break
			}
		} else if m := exportedMethod(name); m != "" {
			op = m
		}
		if !more {
			break
		}
	}
	if op == "" {
		return "query"
	}
	return words(op)
}

// exportedMethod returns Name for "(*Conn).Name" or "(*Conn).Name.func1",
// and "" for anything unexported.
func exportedMethod(fn string) string {
	_, m, ok := strings.Cut(fn, ").")
	if !ok {
		return ""
	}
	m, _, _ = strings.Cut(m, ".")
	if m == "" || m[0] < 'A' || m[0] > 'Z' {
		return ""
	}
	return m
}

// words turns CreateInvitation into "create invitation" (and JobsByID into
// "jobs by id").
func words(name string) string {
	var b strings.Builder
	runes := []rune(name)
	for i, r := range runes {
		if unicode.IsUpper(r) {
			prevLower := i > 0 && !unicode.IsUpper(runes[i-1])
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1]) && i > 0 && unicode.IsUpper(runes[i-1])
			if i > 0 && (prevLower || nextLower) {
				b.WriteByte(' ')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// canceled marks PostgreSQL cancelling a statement because its client went
// away (query_canceled, which is what a context cancelled mid-query looks
// like through lib/pq) as context.Canceled, so that callers above the store
// tell a departed client from a fault with errors.Is alone.
func canceled(err error) error {
	var pe *pq.Error
	if errors.As(err, &pe) && pe.Code == "57014" && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: %w", context.Canceled, err)
	}
	return err
}

// unavailable marks an error of a database that cannot be reached or is
// not accepting work (IsUnavailable) as market.ErrUnavailable, so that the
// API answers UNAVAILABLE with Retry-After rather than INTERNAL.
func unavailable(err error) error {
	if IsUnavailable(err) && !errors.Is(err, market.ErrUnavailable) {
		return fmt.Errorf("%w: %w", market.ErrUnavailable, err)
	}
	return err
}

// Ping checks that the database answers. Errors: market.ErrUnavailable.
func (s *Store) Ping(ctx context.Context) error { return unavailable(s.db.PingContext(ctx)) }

// IsUnavailable reports whether err means the database cannot be reached
// or is not accepting work right now (refused or broken connections, a
// server shutting down or starting up, too many connections): a fault to
// retry later, not a bug.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57P01", "57P02", "57P03", "53300": // admin/crash shutdown, cannot connect now, too many connections
			return true
		}
		return pe.Code.Class() == "08" // connection exception
	}
	var ne net.Error
	var op *net.OpError
	return errors.Is(err, driver.ErrBadConn) || errors.As(err, &op) || errors.As(err, &ne) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

type counterKey struct{}

// statements counts every SQL statement the store runs in this process, for
// the hiregraph_db_statements_total metric. One atomic add per statement.
var statements atomic.Int64

// Statements is how many SQL statements the store has run in this process.
func Statements() int64 { return statements.Load() }

// WithStatementCounter returns a context in which every SQL statement the
// store runs adds one to n: how tests show that a list query costs a fixed
// number of statements whatever its length.
func WithStatementCounter(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, counterKey{}, n)
}

func countStatement(ctx context.Context) {
	statements.Add(1)
	if n, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}

// lock returns " FOR UPDATE" inside a transaction when asked to lock.
func (c *Conn) lock(forUpdate bool) string {
	if forUpdate && c.tx {
		return " FOR UPDATE"
	}
	return ""
}

// notFound maps sql.ErrNoRows to a NOT_FOUND error for what.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return market.NotFound(what)
	}
	return err
}

// isUniqueViolation reports whether err is a unique_violation on constraint
// (any constraint when constraint is empty).
func isUniqueViolation(err error, constraint string) bool {
	var pe *pq.Error
	if errors.As(err, &pe) && pe.Code == "23505" {
		return constraint == "" || pe.Constraint == constraint
	}
	return false
}

func moneyPtr(minor sql.NullInt64, currency string) *market.Money {
	if !minor.Valid {
		return nil
	}
	return &market.Money{Minor: minor.Int64, Currency: currency}
}

func minorOf(m *market.Money) sql.NullInt64 {
	if m == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: m.Minor, Valid: true}
}

// afterID turns a page's cursor into a bound: 0 means from the newest.
func afterID(p market.PageRequest) int64 {
	if p.AfterID <= 0 {
		return 1<<63 - 1
	}
	return p.AfterID
}
