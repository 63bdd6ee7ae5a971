package hiring_test

import (
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
)

// TestGenerateInvitations: load data for the invitations page: n/100 jobs
// of the demo client, each inviting the demo freelancer and 99 generated
// freelancers (the demo data has 300).
func TestGenerateInvitations(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	if _, err := e.Hiring.GenerateInvitations(e.Ctx, 200); err == nil {
		t.Fatal("GenerateInvitations without the demo data succeeded")
	}
	e.Seed()
	if _, err := e.Hiring.GenerateInvitations(e.Ctx, 99); !market.IsCode(err, market.CodeValidationFailed) {
		t.Fatalf("99 invitations: %v, want VALIDATION_FAILED", err)
	}
	n, err := e.Hiring.GenerateInvitations(e.Ctx, 250)
	if err != nil || n != 200 {
		t.Fatalf("GenerateInvitations(250) = %d, %v; want 200 (two jobs of 100)", n, err)
	}
	fr, err := e.Hiring.UserByEmail(e.Ctx, hiring.DemoFreelancer)
	if err != nil {
		t.Fatal(err)
	}
	var mine, distinct int
	if err := e.DB.Get(&mine, `SELECT count(*) FROM invitations i JOIN jobs j ON j.id = i.job_id
		WHERE i.freelancer_id = $1 AND j.title LIKE 'Load test job %'`, fr.ID); err != nil || mine != 2 {
		t.Fatalf("the demo freelancer has %d generated invitations (%v), want 2", mine, err)
	}
	if err := e.DB.Get(&distinct, `SELECT count(DISTINCT (job_id, freelancer_id)) FROM invitations i JOIN jobs j ON j.id = i.job_id
		WHERE j.title LIKE 'Load test job %'`); err != nil || distinct != 200 {
		t.Fatalf("%d distinct invitations (%v), want 200", distinct, err)
	}
}
