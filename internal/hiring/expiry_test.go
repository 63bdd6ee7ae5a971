package hiring_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
)

const month = 30 * 24 * time.Hour

// newService returns a service over a fresh demo database, with a proposal
// already submitted by the demo freelancer to the React job.
func newService(t *testing.T) (*hiring.Service, *sqlx.DB, *hiringtest.Clock) {
	t.Helper()
	e := hiringtest.New(t, hiring.Config{ChargeConnectsForInvitations: true})
	e.Seed()
	svc, db, clk, ctx, fr := e.Hiring, e.DB, e.Clock, e.Ctx, e.Demo(hiring.DemoFreelancer)
	pending := market.InvitationPending
	invs, err := svc.Invitations(ctx, fr.ID, hiring.InvitationFilter{Status: &pending}, market.PageRequest{Limit: 10, Count: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs.Items {
		job, err := svc.Job(ctx, inv.JobID)
		if err != nil {
			t.Fatal(err)
		}
		if job.InterviewMode == market.InterviewCoverLetter && job.ContractType == market.ContractHourly {
			if _, err := svc.AcceptInvitation(ctx, fr.ID, hiring.AcceptInput{InvitationID: inv.ID, CoverLetter: "Happy to help."}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return svc, db, clk
}

func count(t *testing.T, db *sqlx.DB, q string) int {
	t.Helper()
	var n int
	if err := db.Get(&n, q); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestR2ExpireIdleJobs: open jobs without client activity for the period
// close as EXPIRED with the consequences of closing, and no refund (R21).
func TestR2ExpireIdleJobs(t *testing.T) {
	svc, db, clk := newService(t)
	ctx := context.Background()
	if n, err := svc.ExpireIdleJobs(ctx, month); err != nil || n != 0 {
		t.Fatalf("R2 nothing is idle yet: %d, %v", n, err)
	}
	clk.Advance(month) // exactly the period: not yet
	if n, err := svc.ExpireIdleJobs(ctx, month); err != nil || n != 0 {
		t.Fatalf("R2 idle for exactly the period is not yet expired: %d, %v", n, err)
	}
	clk.Advance(24 * time.Hour)
	n, err := svc.ExpireIdleJobs(ctx, month)
	if err != nil || n != 4 {
		t.Fatalf("R2 want the 4 demo jobs expired, got %d, %v", n, err)
	}
	if got := count(t, db, `SELECT count(*) FROM jobs WHERE status = 'CLOSED' AND close_result = 'EXPIRED' AND closed_at IS NOT NULL`); got != 4 {
		t.Errorf("R2 expired jobs: %d", got)
	}
	if got := count(t, db, `SELECT count(*) FROM invitations WHERE status = 'EXPIRED'`); got != 3 {
		t.Errorf("R4 the 3 pending invitations expire: %d", got)
	}
	if got := count(t, db, `SELECT count(*) FROM proposals WHERE status = 'ARCHIVED'`); got != 1 {
		t.Errorf("R10 the open proposal is archived: %d", got)
	}
	if got := count(t, db, `SELECT count(*) FROM connects_ledger WHERE kind = 'REFUND'`); got != 0 {
		t.Errorf("R21 expiry refunds nothing: %d refunds", got)
	}
	if n, err := svc.ExpireIdleJobs(ctx, month); err != nil || n != 0 {
		t.Errorf("a second sweep closes nothing: %d, %v", n, err)
	}
	if _, err := svc.ExpireIdleJobs(ctx, 0); err == nil {
		t.Errorf("a zero period is refused")
	}
}

// TestR2ConcurrentSweeps: sweeps running at once on several server
// instances close each idle job exactly once (the job row is locked and its
// idleness checked again under the lock).
func TestR2ConcurrentSweeps(t *testing.T) {
	svc, db, clk := newService(t)
	clk.Advance(month + time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := svc.ExpireIdleJobs(context.Background(), month)
			if err != nil {
				t.Errorf("sweep: %v", err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	if total != 4 {
		t.Errorf("R2 want each of the 4 jobs expired once, got %d closings", total)
	}
	if got := count(t, db, `SELECT count(*) FROM jobs WHERE close_result = 'EXPIRED'`); got != 4 {
		t.Errorf("expired jobs: %d", got)
	}
}

// TestR2ClientActivityResetsTheClock: activity by the client (here viewing a
// proposal) keeps a job open; the others expire.
func TestR2ClientActivityResetsTheClock(t *testing.T) {
	svc, db, clk := newService(t)
	ctx := context.Background()
	client, err := svc.UserByEmail(ctx, hiring.DemoClient)
	if err != nil {
		t.Fatal(err)
	}
	var proposalID int64
	if err := db.Get(&proposalID, `SELECT id FROM proposals`); err != nil {
		t.Fatal(err)
	}
	clk.Advance(20 * 24 * time.Hour)
	if _, err := svc.MarkProposalViewed(ctx, client.ID, proposalID); err != nil {
		t.Fatal(err)
	}
	clk.Advance(11 * 24 * time.Hour)
	if n, err := svc.ExpireIdleJobs(ctx, month); err != nil || n != 3 {
		t.Fatalf("R2 want 3 jobs expired, got %d, %v", n, err)
	}
	if got := count(t, db, `SELECT count(*) FROM jobs j JOIN proposals p ON p.job_id = j.id WHERE j.status = 'OPEN' AND p.status = 'SUBMITTED'`); got != 1 {
		t.Errorf("R2 the job the client acted on stays open with its proposal: %d", got)
	}
}

// TestRunExpirySweep: the background loop sweeps, then stops with its context.
func TestRunExpirySweep(t *testing.T) {
	svc, db, clk := newService(t)
	clk.Advance(month + time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.RunExpirySweep(ctx, 5*time.Millisecond, month, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for count(t, db, `SELECT count(*) FROM jobs WHERE close_result = 'EXPIRED'`) != 4 {
		if time.Now().After(deadline) {
			t.Fatal("the sweep did not expire the idle jobs")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("RunExpirySweep did not stop with its context")
	}
}
