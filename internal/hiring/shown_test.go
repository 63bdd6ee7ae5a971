package hiring_test

import (
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
)

// TestCheckShown: the R17 checks the GraphQL layer runs on every shown
// text (graph.ShownTextGate) name the field and say what was found.
func TestCheckShown(t *testing.T) {
	t.Parallel()
	if err := hiring.CheckShownText("input.title", "Invoice 2026-000123 reconciliation"); err != nil {
		t.Fatalf("ordinary text refused: %v", err)
	}
	err := hiring.CheckShownText("input.skills.2", "ѕkype johndoe")
	hiringtest.WantCode(t, err, market.CodeContactInfo)
	if e, ok := err.(*market.Error); !ok || e.Field != "input.skills.2" || e.Details["kinds"] == nil {
		t.Fatalf("error: %#v", err)
	}
	if err := hiring.CheckShownLink("input.attachments.0.url", "https://files.example.com/p/1.pdf"); err != nil {
		t.Fatalf("storage link refused: %v", err)
	}
	hiringtest.WantCode(t, hiring.CheckShownLink("input.attachments.0.url", "https://wa.me/15551234567"), market.CodeContactInfo)
}
