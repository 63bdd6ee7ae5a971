package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

// TestCanceled: a statement PostgreSQL cancelled because its client went
// away reads as context.Canceled above the store (the error presenter logs
// it as a departed client, not a fault), and keeps the driver's error.
func TestCanceled(t *testing.T) {
	pqCanceled := &pq.Error{Code: "57014", Message: "canceling statement due to user request"}
	err := canceled(pqCanceled)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("canceled(57014) = %v, want errors.Is context.Canceled", err)
	}
	var pe *pq.Error
	if !errors.As(err, &pe) || pe.Code != "57014" {
		t.Errorf("canceled(57014) lost the driver's error: %v", err)
	}
	other := &pq.Error{Code: "23505"}
	if got := canceled(other); got != error(other) {
		t.Errorf("canceled(23505) = %v, want it unchanged", got)
	}
	if canceled(nil) != nil {
		t.Error("canceled(nil) != nil")
	}
}

// TestUnavailable: an unreachable or shutting-down database reads as
// market.ErrUnavailable above the store (the API answers UNAVAILABLE with
// Retry-After), keeping the driver's error; other errors are unchanged.
func TestUnavailable(t *testing.T) {
	for _, err := range []error{
		&pq.Error{Code: "57P01"}, &pq.Error{Code: "08006"}, &pq.Error{Code: "53300"},
		&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, driver.ErrBadConn, io.ErrUnexpectedEOF,
	} {
		if got := unavailable(err); !errors.Is(got, market.ErrUnavailable) || !errors.Is(got, err) {
			t.Errorf("unavailable(%v) = %v", err, got)
		}
	}
	if got := unavailable(sql.ErrNoRows); got != sql.ErrNoRows {
		t.Errorf("unavailable(ErrNoRows) = %v", got)
	}
}
