package postgres_test

import (
	"strings"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
)

// TestEveryStoreMethodIsTested fails when an exported function or method of
// this package is called by none of its tests: a store method added without
// a test against the real database is caught here (the package's source is
// read with go/ast, the test files searched for a call).
func TestEveryStoreMethodIsTested(t *testing.T) {
	untested, exported := hiringtest.Untested(t, ".", "coverage_test.go")
	if exported < 50 {
		t.Fatalf("found only %d exported functions: is the parse broken?", exported)
	}
	if len(untested) > 0 {
		t.Errorf("%d of the %d exported functions of package postgres have no test calling them: %s",
			len(untested), exported, strings.Join(untested, ", "))
	}
}
