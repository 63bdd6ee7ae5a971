package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// migrationsFS holds the SQL migrations, embedded so that the binary carries
// its schema with it.
//
//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the embedded migration files (for hashing test templates).
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		panic(err) // the embedded directory always exists
	}
	return sub
}

// Migrate applies every pending migration to db.
func Migrate(ctx context.Context, db *sql.DB) error {
	// Out of order: migrations are numbered by area, so a database may
	// already have a higher number when a lower one arrives.
	p, err := goose.NewProvider(goose.DialectPostgres, db, Migrations(), goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
