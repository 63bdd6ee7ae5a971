package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// The store's own tests: each exported method against a fresh, migrated
// database (hiringtest.New → postgrestest), with the world around it built by
// the fixtures. TestEveryStoreMethodIsTested keeps the list complete.

// rd returns the store's connection outside a transaction.
func rd(e *hiringtest.Env) *postgres.Conn { return e.Store.Read() }

// ids returns the ids of xs.
func ids[T any](xs []T, id func(T) int64) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func sameIDs(t *testing.T, what string, got, want []int64) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Fatalf("%s: ids %v, want %v", what, got, want)
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestOpenMigrateTransact(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	t.Run("Open", func(t *testing.T) {
		db, err := postgres.Open(e.Ctx, e.DSN, postgres.Pool{MaxConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if got := db.Stats().MaxOpenConnections; got != 4 {
			t.Errorf("MaxOpenConnections = %d, want 4", got)
		}
		// OpenDB's pool sends statements in one round trip: parameters of
		// every kind the store uses still work.
		raw, err := postgres.OpenDB(e.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var got string
		if err := raw.Get(&got, `SELECT $1::text || $2::bigint || array_length($3::bigint[], 1)`, "x", int64(7), pq.Array([]int64{1, 2})); err != nil || got != "x72" {
			t.Fatalf("OpenDB: %q, %v", got, err)
		}
		// Every statement of the store counts, outside a test's counter too.
		before := postgres.Statements()
		if _, err := e.Store.Read().UserByEmail(e.Ctx, "nobody@example.test"); !market.IsCode(err, market.CodeNotFound) {
			t.Fatal(err)
		}
		if postgres.Statements() <= before {
			t.Error("Statements did not move")
		}
		if _, err := postgres.Open(e.Ctx, "host=127.0.0.1 port=1 user=nobody dbname=none sslmode=disable connect_timeout=2", postgres.Pool{}); err == nil {
			t.Fatal("Open of a server that is not there succeeded")
		}
	})
	t.Run("Migrate is idempotent", func(t *testing.T) {
		if err := postgres.Migrate(e.Ctx, e.DB.DB); err != nil {
			t.Fatalf("Migrate on a migrated database: %v", err)
		}
		files, err := fs.Glob(postgres.Migrations(), "*.sql")
		if err != nil || len(files) == 0 || files[0] != "00001_init.sql" {
			t.Fatalf("Migrations: %v, %v", files, err)
		}
		var applied int
		if err := e.DB.Get(&applied, `SELECT count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`); err != nil || applied != len(files) {
			t.Fatalf("%d migrations applied, %d embedded (%v)", applied, len(files), err)
		}
	})
	t.Run("DB", func(t *testing.T) {
		if e.Store.DB() != e.DB {
			t.Fatal("DB() is not the pool New was given")
		}
	})
	t.Run("Transact rolls back on error and panic", func(t *testing.T) {
		boom := errors.New("boom")
		err := e.Store.Transact(e.Ctx, func(c *postgres.Conn) error {
			if _, err := c.CreateUser(e.Ctx, "rolled@back.test", "R", "x", e.Clock.Now()); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the panic was swallowed")
				}
			}()
			_ = e.Store.Transact(e.Ctx, func(c *postgres.Conn) error {
				if _, err := c.CreateUser(e.Ctx, "panicked@back.test", "P", "x", e.Clock.Now()); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		if n := e.Count(`SELECT count(*) FROM users WHERE email IN ('rolled@back.test', 'panicked@back.test')`); n != 0 {
			t.Fatalf("%d users survived a rolled-back transaction", n)
		}
	})
	t.Run("WithStatementCounter", func(t *testing.T) {
		var n atomic.Int64
		ctx := postgres.WithStatementCounter(e.Ctx, &n)
		if _, err := rd(e).UserExists(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := rd(e).UsersByID(ctx, []int64{1, 2}); err != nil {
			t.Fatal(err)
		}
		if n.Load() != 2 {
			t.Fatalf("counted %d statements, want 2", n.Load())
		}
	})
}

// TestErrorsNameTheOperation: a store error says which operation failed,
// and what is inside stays matchable.
func TestErrorsNameTheOperation(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client := e.MustCreateClient()

	// A foreign key violation: a job of a user who does not exist.
	_, err := rd(e).CreateJob(e.Ctx, 1<<40, &market.NewJob{Title: "t", Description: "d", Skills: []string{"go"},
		ContractType: market.ContractFixed, Budget: new(market.USD(100)), InterviewMode: market.InterviewCoverLetter}, e.Clock.Now())
	if err == nil || !strings.HasPrefix(err.Error(), "postgres: create job: ") {
		t.Fatalf("err = %v, want it to start with %q", err, "postgres: create job: ")
	}
	var pe *pq.Error
	if !errors.As(err, &pe) || pe.Code != "23503" {
		t.Fatalf("the *pq.Error inside is not reachable with errors.As: %v", err)
	}
	var op *postgres.OpError
	if !errors.As(err, &op) || op.Op != "create job" {
		t.Fatalf("OpError = %+v", op)
	}

	// A cancelled context: errors.Is still sees it.
	ctx, cancel := context.WithCancel(e.Ctx)
	cancel()
	_, err = rd(e).UsersByID(ctx, []int64{client.ID})
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "postgres: users by id: ") {
		t.Fatalf("err = %v", err)
	}

	// sql.ErrNoRows behind NOT_FOUND stays a NOT_FOUND.
	_, err = rd(e).Job(e.Ctx, 1<<40, false)
	hiringtest.WantCode(t, err, market.CodeNotFound)
	if errors.Is(err, sql.ErrNoRows) {
		t.Fatal("NOT_FOUND should be a market error, not the raw sql.ErrNoRows")
	}

	// Inside a transaction: the store method, not Transact, is named.
	err = e.Store.Transact(e.Ctx, func(c *postgres.Conn) error {
		_, err := c.CreateUser(e.Ctx, client.Email, "again", "x", e.Clock.Now())
		return err
	})
	hiringtest.WantCode(t, err, market.CodeConflict)
}
