package postgres

import (
	"context"
	"errors"
	"testing"

	"github.com/lib/pq"
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
