package hiring_test

import (
	"strings"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
)

// TestEveryUseCaseIsTested fails when an exported method of the Service (a
// use case) or an exported function of the package is called by none of the
// package's tests: a use case added without its test is caught here.
func TestEveryUseCaseIsTested(t *testing.T) {
	untested, exported := hiringtest.Untested(t, ".", "coverage_test.go", "Service")
	if exported < 40 {
		t.Fatalf("found only %d use cases: is the parse broken?", exported)
	}
	if len(untested) > 0 {
		t.Errorf("%d of the %d use cases of package hiring have no test calling them: %s",
			len(untested), exported, strings.Join(untested, ", "))
	}
}
