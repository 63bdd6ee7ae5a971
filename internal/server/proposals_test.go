package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/server"
)

// Tests of the client's side of jobs and proposals, proposal edits,
// withdrawal, job closing and the R2 sweep (issue 3, acceptance 3 and 4).

const proposalFields = `id status coverLetter clientViewedAt contentEditableUntil contentEditable termsEditable
  statusMessage statusReason { code } updatedAt connectsSpent
  terms { hourlyRate { amount } fixedPrice { amount } estimatedDuration }
  answers { answer } attachments { name }`

type proposalNode struct {
	ID                   string
	Status               string
	CoverLetter          string
	ClientViewedAt       *string
	ContentEditableUntil string
	ContentEditable      bool
	TermsEditable        bool
	StatusMessage        string
	StatusReason         *struct{ Code string }
	UpdatedAt            string
	ConnectsSpent        int
	Terms                struct {
		HourlyRate        *struct{ Amount string }
		FixedPrice        *struct{ Amount string }
		EstimatedDuration *string
	}
	Answers     []struct{ Answer string }
	Attachments []struct{ Name string }
}

var (
	updateMutation   = `mutation($in: UpdateProposalInput!) { updateProposal(input: $in) { proposal { ` + proposalFields + ` } } }`
	viewMutation     = `mutation($id: ID!) { markProposalViewed(input: {proposalId: $id}) { proposal { ` + proposalFields + ` } } }`
	withdrawMutation = `mutation($in: WithdrawProposalInput!) { withdrawProposal(input: $in) { proposal { ` + proposalFields + ` } } }`
	declinePMutation = `mutation($in: DeclineProposalInput!) { declineProposal(input: $in) { proposal { ` + proposalFields + ` } } }`
	proposalQuery    = `query($id: ID!) { proposal(id: $id) { ` + proposalFields + ` } }`
)

const closeMutation = `mutation($j: ID!, $r: JobCloseResult!) {
  closeJob(input: {jobId: $j, result: $r}) { connectsRefunded job { id status closeResult closedAt } }
}`

type closeResult struct {
	CloseJob struct {
		ConnectsRefunded int
		Job              struct {
			ID, Status  string
			CloseResult *string
			ClosedAt    *string
		}
	}
}

// submit accepts the viewer's pending invitation to the job whose title
// contains title, and returns the proposal.
func (a *app) submit(token, title string, extra map[string]any) proposalNode {
	a.t.Helper()
	inv := a.invitations(token, map[string]any{"status": "PENDING"}).byTitle(a.t, title)
	in := map[string]any{"invitationId": inv.ID}
	if inv.Job.InterviewMode == "COVER_LETTER" {
		in["coverLetter"] = "I have shipped this kind of work many times."
	} else {
		var answers []map[string]any
		for _, q := range inv.Job.Questions {
			answers = append(answers, map[string]any{"questionId": q.ID, "answer": "Airflow, with idempotent upserts."})
		}
		in["answers"] = answers
	}
	for k, v := range extra {
		in[k] = v
	}
	var d struct {
		AcceptInvitation struct{ Proposal struct{ ID string } }
	}
	a.ok(token, acceptMutation, map[string]any{"in": in}, &d)
	return a.proposal(token, d.AcceptInvitation.Proposal.ID)
}

func (a *app) proposal(token, id string) proposalNode {
	a.t.Helper()
	var d struct{ Proposal proposalNode }
	a.ok(token, proposalQuery, map[string]any{"id": id}, &d)
	return d.Proposal
}

func (a *app) update(token string, in map[string]any) proposalNode {
	a.t.Helper()
	var d struct {
		UpdateProposal struct{ Proposal proposalNode }
	}
	a.ok(token, updateMutation, map[string]any{"in": in}, &d)
	return d.UpdateProposal.Proposal
}

// listReason returns the id of the reason with code from a reason list query
// (withdrawalReasons, proposalDeclineReasons).
func (a *app) listReason(token, list, code string) string {
	a.t.Helper()
	var d map[string][]struct{ ID, Code string }
	a.ok(token, `{ `+list+` { id code label requiresMessage } }`, nil, &d)
	for _, r := range d[list] {
		if r.Code == code {
			return r.ID
		}
	}
	a.t.Fatalf("no %s reason %s", list, code)
	return ""
}

func (a *app) balance(token string) int {
	a.t.Helper()
	var v struct{ Viewer struct{ ConnectsBalance int } }
	a.ok(token, `{ viewer { connectsBalance } }`, nil, &v)
	return v.Viewer.ConnectsBalance
}

// postJob posts a fixed-price job as the client and returns its id.
func (a *app) postJob(token, title string, connects int) string {
	a.t.Helper()
	var d struct {
		PostJob struct{ Job struct{ ID string } }
	}
	a.ok(token, `mutation($in: PostJobInput!) { postJob(input: $in) { job { id } } }`, map[string]any{"in": map[string]any{
		"title": title, "description": "Work to do", "contractType": "FIXED",
		"budget": map[string]any{"amount": "300.00"}, "connectsRequired": connects,
	}}, &d)
	return d.PostJob.Job.ID
}

func (a *app) invite(token, jobID, freelancerID string, agencyID *string) {
	a.t.Helper()
	a.ok(token, `mutation($j: ID!, $f: ID!, $a: ID) { inviteFreelancer(input: {jobId: $j, freelancerId: $f, agencyId: $a}) { invitation { id } } }`,
		map[string]any{"j": jobID, "f": freelancerID, "a": agencyID}, nil)
}

// jobIDByTitle finds one of the client's jobs.
func (a *app) jobIDByTitle(token, title string) string {
	a.t.Helper()
	var d struct {
		Jobs struct {
			Edges []struct{ Node struct{ ID, Title string } }
		}
	}
	a.ok(token, `{ jobs(first: 100) { edges { node { id title } } } }`, nil, &d)
	for _, e := range d.Jobs.Edges {
		if strings.Contains(e.Node.Title, title) {
			return e.Node.ID
		}
	}
	a.t.Fatalf("no job titled %q", title)
	return ""
}

// hiringState adds to a.state() what this area's mutations change: the
// proposals, jobs and offers rows, and every notification.
func (a *app) hiringState() string {
	a.t.Helper()
	var s string
	err := a.DB.Get(&s, `SELECT concat_ws(' | ',
		(SELECT string_agg(concat_ws(',', id, status, cover_letter, hourly_rate_minor, fixed_price_minor, estimated_duration,
			client_viewed_at, status_reason_id, status_message, updated_at), ';' ORDER BY id) FROM proposals),
		(SELECT string_agg(concat_ws(',', proposal_id, answer), ';' ORDER BY proposal_id, question_id) FROM proposal_answers),
		(SELECT string_agg(concat_ws(',', proposal_id, name, url), ';' ORDER BY id) FROM proposal_attachments),
		(SELECT string_agg(concat_ws(',', id, status, close_result, closed_at, last_activity_at), ';' ORDER BY id) FROM jobs),
		(SELECT string_agg(concat_ws(',', id, status, responded_at), ';' ORDER BY id) FROM offers),
		(SELECT string_agg(concat_ws(',', id, user_id, kind), ';' ORDER BY id) FROM notifications))`)
	if err != nil {
		a.t.Fatal(err)
	}
	return a.state() + " || " + s
}

// unchanged runs a request that must fail with code, and checks that the
// error mentions each of want (in its message or as its field) and that the
// database did not change.
func (a *app) unchanged(name, code, token, query string, vars map[string]any, want ...string) *response {
	a.t.Helper()
	before := a.hiringState()
	r := a.fails(code, token, query, vars)
	for _, w := range want {
		if !strings.Contains(r.Errors[0].Message, w) && r.Errors[0].Extensions["field"] != w {
			a.t.Errorf("%s: error %q (field %v) does not mention %q", name, r.Errors[0].Message, r.Errors[0].Extensions["field"], w)
		}
	}
	if after := a.hiringState(); after != before {
		a.t.Errorf("%s: the database changed:\n before %s\n after  %s", name, before, after)
	}
	return r
}

// TestR11EditWindowSixHours: the content of a proposal is editable at
// 5h59m after submission and refused with EDIT_WINDOW_CLOSED at 6h01m, while
// the terms stay editable (R12). Acceptance 3.
func TestR11EditWindowSixHours(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	p := a.submit(fr, "React dashboard", nil)
	if !p.ContentEditable || !p.TermsEditable || p.Status != "SUBMITTED" {
		t.Fatalf("a new proposal is editable: %+v", p)
	}

	a.Clock.Advance(5*time.Hour + 59*time.Minute)
	got := a.update(fr, map[string]any{"proposalId": p.ID, "coverLetter": "  Edited at 5h59m: three fleet dashboards shipped.  ",
		"attachments": []map[string]any{{"name": "case-study.pdf", "contentType": "application/pdf", "size": 2048, "url": "https://files.hiregraph.test/c.pdf"}}})
	if got.CoverLetter != "Edited at 5h59m: three fleet dashboards shipped." || len(got.Attachments) != 1 || got.Attachments[0].Name != "case-study.pdf" {
		t.Fatalf("R11 edit at 5h59m: %+v", got)
	}
	if got.UpdatedAt == p.UpdatedAt || !got.ContentEditable {
		t.Errorf("R11 updatedAt should move and the content stay editable until 6h: %+v", got)
	}
	if got.Terms.HourlyRate == nil || got.Terms.HourlyRate.Amount != "60.00" {
		t.Errorf("terms left out are unchanged: %+v", got.Terms)
	}

	a.Clock.Advance(2 * time.Minute) // 6h01m
	if p := a.proposal(fr, p.ID); p.ContentEditable || !p.TermsEditable {
		t.Errorf("R11 at 6h01m: contentEditable false, termsEditable true, got %+v", p)
	}
	a.unchanged("R11 cover letter at 6h01m", "EDIT_WINDOW_CLOSED", fr, updateMutation,
		map[string]any{"in": map[string]any{"proposalId": p.ID, "coverLetter": "Too late"}}, "6 hours")
	a.unchanged("R11 attachments at 6h01m", "EDIT_WINDOW_CLOSED", fr, updateMutation,
		map[string]any{"in": map[string]any{"proposalId": p.ID, "attachments": []map[string]any{}}})
	// A content change rejects the whole request, terms included.
	a.unchanged("R11 content and terms at 6h01m", "EDIT_WINDOW_CLOSED", fr, updateMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "coverLetter": "Too late", "terms": map[string]any{"hourlyRate": map[string]any{"amount": "50"}}}})

	// R12: the terms alone are still editable.
	got = a.update(fr, map[string]any{"proposalId": p.ID,
		"terms": map[string]any{"hourlyRate": map[string]any{"amount": "52.50"}, "estimatedDuration": "ONE_TO_3_MONTHS"}})
	if got.Terms.HourlyRate == nil || got.Terms.HourlyRate.Amount != "52.50" || got.Terms.EstimatedDuration == nil ||
		*got.Terms.EstimatedDuration != "ONE_TO_3_MONTHS" || got.CoverLetter != "Edited at 5h59m: three fleet dashboards shipped." {
		t.Errorf("R12 terms edit after 6h: %+v", got)
	}
}

// TestR11ClientViewClosesWindow: the client viewing a proposal at 30m closes
// the content window (refused at 1h), records the time and notifies the
// freelancer once; the terms stay editable after the view (R12). Acceptance 3.
func TestR11ClientViewClosesWindow(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	client := a.login(hiring.DemoClient)
	p := a.submit(fr, "Data pipeline", nil) // instant interview: answers, no cover letter

	a.Clock.Advance(30 * time.Minute)
	viewedAt := a.Clock.Now().Format(time.RFC3339)
	notes := `SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.kind = 'PROPOSAL_VIEWED' AND n.subject_type = 'PROPOSAL'`
	var v struct {
		MarkProposalViewed struct{ Proposal proposalNode }
	}
	a.ok(client, viewMutation, map[string]any{"id": p.ID}, &v)
	seen := v.MarkProposalViewed.Proposal
	if seen.ClientViewedAt == nil || *seen.ClientViewedAt != viewedAt || seen.ContentEditableUntil != viewedAt || seen.ContentEditable {
		t.Fatalf("R11 first view at %s: %+v", viewedAt, seen)
	}
	if n := a.count(notes, hiring.DemoFreelancer); n != 1 {
		t.Errorf("R11 the freelancer is notified of the view: %d notifications", n)
	}
	if n := a.count(`SELECT count(*) FROM jobs WHERE title LIKE 'Data pipeline%' AND last_activity_at = $1`, a.Clock.Now()); n != 1 {
		t.Errorf("R2 viewing a proposal is client activity")
	}

	// Viewing again changes nothing and notifies nobody.
	a.Clock.Advance(10 * time.Minute)
	before := a.hiringState()
	a.ok(client, viewMutation, map[string]any{"id": p.ID}, &v)
	if again := v.MarkProposalViewed.Proposal; again.ClientViewedAt == nil || *again.ClientViewedAt != viewedAt {
		t.Errorf("R11 a repeated view keeps the first time: %+v", again)
	}
	if after := a.hiringState(); after != before {
		t.Errorf("a repeated view changed the database:\n before %s\n after  %s", before, after)
	}

	a.Clock.Advance(20 * time.Minute) // 1h after submission
	a.unchanged("R11 answers at 1h after a view at 30m", "EDIT_WINDOW_CLOSED", fr, updateMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "coverLetter": "I also know dbt."}}, "client viewed")
	got := a.update(fr, map[string]any{"proposalId": p.ID, "terms": map[string]any{"hourlyRate": map[string]any{"amount": "70"}}})
	if got.Terms.HourlyRate == nil || got.Terms.HourlyRate.Amount != "70.00" || got.ContentEditable || !got.TermsEditable {
		t.Errorf("R12 terms editable after the view: %+v", got)
	}
	if n := a.count(notes, hiring.DemoFreelancer); n != 1 {
		t.Errorf("want exactly one PROPOSAL_VIEWED notification, got %d", n)
	}
}

// TestR12TermsRefusedOnceHired: once an offer is accepted (the proposal is
// HIRED; set directly here, the offer mutations being another area's), the
// terms and the content are refused with EDIT_WINDOW_CLOSED and the proposal
// can no longer be withdrawn or declined. Acceptance 3.
func TestR12TermsRefusedOnceHired(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	client := a.login(hiring.DemoClient)
	p := a.submit(fr, "GraphQL API", nil)
	if _, err := a.DB.Exec(`UPDATE proposals SET status = 'HIRED'`); err != nil {
		t.Fatal(err)
	}
	if got := a.proposal(fr, p.ID); got.TermsEditable || got.ContentEditable {
		t.Errorf("R12 a hired proposal is not editable: %+v", got)
	}
	a.unchanged("R12 terms after hire", "EDIT_WINDOW_CLOSED", fr, updateMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "terms": map[string]any{"fixedPrice": map[string]any{"amount": "2000"}}}}, "accepted")
	a.unchanged("R11 content after hire", "EDIT_WINDOW_CLOSED", fr, updateMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "coverLetter": "new"}})
	a.unchanged("R10 withdraw after hire", "INVALID_STATE", fr, withdrawMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "reasonId": a.listReason(fr, "withdrawalReasons", "MISTAKE")}}, "accepted")
	a.unchanged("decline after hire", "INVALID_STATE", client, declinePMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "reasonId": a.listReason(client, "proposalDeclineReasons", "TOO_EXPENSIVE")}})
}

// TestR21CancelRefundsOnce: cancelling a job refunds each proposal's
// Connects once, to whoever paid (the agency for an agency proposal); the
// job's pending invitations expire and its proposals are archived; a second
// close is refused and refunds nothing. Acceptance 4.
func TestR21CancelRefundsOnce(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	member := a.login(hiring.DemoMember)
	manager := a.login(hiring.DemoManager)
	var ag struct {
		Viewer struct {
			Agencies []struct{ Agency struct{ ID string } }
		}
	}
	a.ok(member, `{ viewer { agencies { agency { id } } } }`, nil, &ag)
	agencyID := ag.Viewer.Agencies[0].Agency.ID

	job := a.postJob(client, "Cancel me", 5)
	a.invite(client, job, a.viewerID(fr), nil)
	a.invite(client, job, a.viewerID(member), &agencyID)
	a.invite(client, job, a.viewerID(manager), nil) // left pending
	pf := a.submit(fr, "Cancel me", nil)
	pa := a.submit(member, "Cancel me", nil)
	agencyBalance := func() int {
		return a.count(`SELECT coalesce(sum(amount), 0) FROM connects_ledger WHERE agency_id IS NOT NULL`)
	}
	if a.balance(fr) != 75 || agencyBalance() != 195 || a.balance(member) != 20 {
		t.Fatalf("after applying: freelancer %d, agency %d, member %d", a.balance(fr), agencyBalance(), a.balance(member))
	}

	var res closeResult
	a.ok(client, closeMutation, map[string]any{"j": job, "r": "CANCELLED"}, &res)
	c := res.CloseJob
	if c.ConnectsRefunded != 10 || c.Job.Status != "CLOSED" || c.Job.CloseResult == nil || *c.Job.CloseResult != "CANCELLED" || c.Job.ClosedAt == nil {
		t.Fatalf("R21 cancel: %+v", c)
	}
	if a.balance(fr) != 80 || agencyBalance() != 200 || a.balance(member) != 20 {
		t.Errorf("R21 refunds go to whoever paid: freelancer %d, agency %d, member %d", a.balance(fr), agencyBalance(), a.balance(member))
	}
	for _, p := range []proposalNode{pf, pa} {
		if got := a.proposal(client, p.ID); got.Status != "ARCHIVED" {
			t.Errorf("the job's proposals are archived: %+v", got)
		}
	}
	if n := a.count(`SELECT count(*) FROM invitations i JOIN jobs j ON j.id = i.job_id WHERE j.title = 'Cancel me' AND i.status = 'EXPIRED'`); n != 1 {
		t.Errorf("R4 the pending invitation expires: %d", n)
	}

	a.unchanged("second cancel", "INVALID_STATE", client, closeMutation, map[string]any{"j": job, "r": "CANCELLED"}, "closed")
	a.unchanged("then no hire", "INVALID_STATE", client, closeMutation, map[string]any{"j": job, "r": "NO_HIRE"})
	if n := a.count(`SELECT count(*) FROM connects_ledger WHERE kind = 'REFUND'`); n != 2 {
		t.Errorf("R21 exactly one refund per proposal, got %d refunds", n)
	}
	if n := a.count(`SELECT count(*) FROM (SELECT proposal_id FROM connects_ledger WHERE kind = 'REFUND' GROUP BY proposal_id HAVING count(*) = 1 AND sum(amount) = 5) t`); n != 2 {
		t.Errorf("R21 each proposal refunded its 5 Connects once: %d", n)
	}
	var ledger struct {
		ConnectsLedger struct {
			Balance int
			Edges   []struct {
				Node struct {
					Kind   string
					Amount int
				}
			}
		}
	}
	a.ok(fr, `{ connectsLedger(first: 1) { balance edges { node { kind amount } } } }`, nil, &ledger)
	if l := ledger.ConnectsLedger; l.Balance != 80 || l.Edges[0].Node.Kind != "REFUND" || l.Edges[0].Node.Amount != 5 {
		t.Errorf("R21 the freelancer's ledger shows the refund: %+v", l)
	}
}

// TestR21NoRefundOnWithdrawDeclineExpiry: withdrawing, declining and the R2
// expiry do not refund Connects, and a proposal the freelancer withdrew
// stays unrefunded when its job is cancelled later. Acceptance 4.
func TestR21NoRefundOnWithdrawDeclineExpiry(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	member := a.login(hiring.DemoMember)
	react := a.submit(fr, "React dashboard", nil) // 6 Connects
	api := a.submit(fr, "GraphQL API", nil)       // 8 Connects
	landing := a.submit(member, "Landing page", nil)
	refunds := `SELECT count(*) FROM connects_ledger WHERE kind = 'REFUND'`
	if a.balance(fr) != 66 {
		t.Fatalf("balance after two proposals: %d", a.balance(fr))
	}

	// R10: withdrawal, with a reason; no refund; the client is not the one to do it.
	a.unchanged("client withdraws", "FORBIDDEN", client, withdrawMutation, map[string]any{"in": map[string]any{
		"proposalId": react.ID, "reasonId": a.listReason(fr, "withdrawalReasons", "MISTAKE")}})
	var w struct {
		WithdrawProposal struct{ Proposal proposalNode }
	}
	a.ok(fr, withdrawMutation, map[string]any{"in": map[string]any{
		"proposalId": react.ID, "reasonId": a.listReason(fr, "withdrawalReasons", "OTHER"), "message": "  I took a full-time role.  "}}, &w)
	if p := w.WithdrawProposal.Proposal; p.Status != "WITHDRAWN" || p.StatusReason == nil || p.StatusReason.Code != "OTHER" || p.StatusMessage != "I took a full-time role." {
		t.Errorf("R10 withdrawn: %+v", p)
	}
	a.unchanged("withdraw twice", "INVALID_STATE", fr, withdrawMutation, map[string]any{"in": map[string]any{
		"proposalId": react.ID, "reasonId": a.listReason(fr, "withdrawalReasons", "MISTAKE")}}, "withdrawn")

	// Decline, with a reason: the freelancer is notified; no refund.
	var d struct {
		DeclineProposal struct{ Proposal proposalNode }
	}
	a.ok(client, declinePMutation, map[string]any{"in": map[string]any{
		"proposalId": api.ID, "reasonId": a.listReason(client, "proposalDeclineReasons", "TOO_EXPENSIVE")}}, &d)
	if p := d.DeclineProposal.Proposal; p.Status != "DECLINED" || p.StatusReason == nil || p.StatusReason.Code != "TOO_EXPENSIVE" {
		t.Errorf("declined: %+v", p)
	}
	if n := a.count(`SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.kind = 'PROPOSAL_DECLINED'`, hiring.DemoFreelancer); n != 1 {
		t.Errorf("the freelancer is notified of the decline: %d", n)
	}
	a.unchanged("decline twice", "INVALID_STATE", client, declinePMutation, map[string]any{"in": map[string]any{
		"proposalId": api.ID, "reasonId": a.listReason(client, "proposalDeclineReasons", "TOO_EXPENSIVE")}})
	if n := a.count(refunds); n != 0 || a.balance(fr) != 66 {
		t.Fatalf("R21 no refund on withdrawal or decline: %d refunds, balance %d", n, a.balance(fr))
	}

	// Cancelling the job of the withdrawn proposal refunds nothing (R10).
	var res closeResult
	a.ok(client, closeMutation, map[string]any{"j": a.jobIDByTitle(client, "React dashboard"), "r": "CANCELLED"}, &res)
	if res.CloseJob.ConnectsRefunded != 0 || a.count(refunds) != 0 {
		t.Errorf("R10/R21 a withdrawn proposal forfeits its Connects: %+v", res.CloseJob)
	}
	if got := a.proposal(fr, react.ID); got.Status != "WITHDRAWN" {
		t.Errorf("a withdrawn proposal stays withdrawn when its job closes: %s", got.Status)
	}

	// R2: 31 days without client activity: the open jobs expire, nothing refunded.
	a.Clock.Advance(31 * 24 * time.Hour)
	n, err := a.Hiring.ExpireIdleJobs(context.Background(), 30*24*time.Hour)
	if err != nil || n != 3 {
		t.Fatalf("R2 want the 3 open jobs expired, got %d, %v", n, err)
	}
	if n := a.count(`SELECT count(*) FROM jobs WHERE status = 'CLOSED' AND close_result = 'EXPIRED'`); n != 3 {
		t.Errorf("R2 expired jobs: %d", n)
	}
	if got := a.proposal(member, landing.ID); got.Status != "ARCHIVED" {
		t.Errorf("R2 the open proposal of an expired job is archived: %s", got.Status)
	}
	if got := a.proposal(fr, api.ID); got.Status != "DECLINED" {
		t.Errorf("a declined proposal stays declined: %s", got.Status)
	}
	if n := a.count(`SELECT count(*) FROM invitations WHERE status = 'PENDING'`); n != 0 {
		t.Errorf("R4 pending invitations of expired jobs expire: %d left", n)
	}
	if n := a.count(refunds); n != 0 || a.balance(fr) != 66 {
		t.Errorf("R21 no refund on expiry: %d refunds, balance %d", n, a.balance(fr))
	}
	a.unchanged("client closes an expired job", "INVALID_STATE", client, closeMutation,
		map[string]any{"j": a.jobIDByTitle(client, "Landing page"), "r": "CANCELLED"}, "EXPIRED")
}

// TestCloseJobRules: the results a client may close with, pending offers
// expiring with the job, and who may close.
func TestCloseJobRules(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	react := a.jobIDByTitle(client, "React dashboard")
	api := a.jobIDByTitle(client, "GraphQL API")

	a.unchanged("EXPIRED is the platform's", "VALIDATION_FAILED", client, closeMutation, map[string]any{"j": react, "r": "EXPIRED"}, "input.result")
	a.unchanged("HIRED without a contract", "VALIDATION_FAILED", client, closeMutation, map[string]any{"j": react, "r": "HIRED"}, "input.result")
	a.unchanged("not the client", "FORBIDDEN", fr, closeMutation, map[string]any{"j": react, "r": "CANCELLED"})
	a.unchanged("bad id", "VALIDATION_FAILED", client, closeMutation, map[string]any{"j": "nope", "r": "CANCELLED"}, "input.jobId")
	a.unchanged("unknown job", "NOT_FOUND", client, closeMutation, map[string]any{"j": "Sm9iOjk5OTk", "r": "CANCELLED"})

	// A pending offer on an offered proposal expires with the job (the offer
	// rows are written directly: sending offers is another area's).
	p := a.submit(fr, "React dashboard", nil)
	if _, err := a.DB.Exec(`UPDATE proposals SET status = 'OFFERED'`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.Exec(`INSERT INTO offers (proposal_id, client_id, hourly_rate_minor) SELECT id, (SELECT client_id FROM jobs WHERE id = job_id), 6000 FROM proposals`); err != nil {
		t.Fatal(err)
	}
	var res closeResult
	a.ok(client, closeMutation, map[string]any{"j": react, "r": "NO_HIRE"}, &res)
	if res.CloseJob.ConnectsRefunded != 0 || *res.CloseJob.Job.CloseResult != "NO_HIRE" {
		t.Errorf("NO_HIRE refunds nothing (R21 is for CANCELLED): %+v", res.CloseJob)
	}
	if a.count(`SELECT count(*) FROM offers WHERE status = 'EXPIRED' AND responded_at IS NOT NULL`) != 1 || a.proposal(fr, p.ID).Status != "ARCHIVED" {
		t.Errorf("the pending offer expires and the offered proposal is archived")
	}

	// Once someone is hired (a contract exists), CANCELLED and NO_HIRE are
	// refused and HIRED is allowed.
	q := a.submit(fr, "GraphQL API", nil)
	if _, err := a.DB.Exec(`WITH o AS (
			INSERT INTO offers (proposal_id, client_id, fixed_price_minor, status) SELECT id, (SELECT client_id FROM jobs WHERE id = job_id), 250000, 'ACCEPTED'
			FROM proposals WHERE status = 'SUBMITTED' RETURNING id, proposal_id, client_id)
		INSERT INTO contracts (offer_id, proposal_id, job_id, client_id, freelancer_id, contract_type, fixed_price_minor)
		SELECT o.id, o.proposal_id, p.job_id, o.client_id, p.freelancer_id, 'FIXED', 250000 FROM o JOIN proposals p ON p.id = o.proposal_id`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.Exec(`UPDATE proposals SET status = 'HIRED' WHERE status = 'SUBMITTED'`); err != nil {
		t.Fatal(err)
	}
	a.unchanged("cancel after a hire", "INVALID_STATE", client, closeMutation, map[string]any{"j": api, "r": "CANCELLED"}, "hired")
	a.unchanged("no hire after a hire", "VALIDATION_FAILED", client, closeMutation, map[string]any{"j": api, "r": "NO_HIRE"}, "input.result")
	a.ok(client, closeMutation, map[string]any{"j": api, "r": "HIRED"}, &res)
	if *res.CloseJob.Job.CloseResult != "HIRED" || a.proposal(fr, q.ID).Status != "HIRED" {
		t.Errorf("HIRED with a contract: %+v; the hired proposal stays HIRED", res.CloseJob)
	}
}

// TestProposalAuthorization: who may view, decline, edit and withdraw a
// proposal, and see a job's invitations and proposals.
func TestProposalAuthorization(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	owner := a.login(hiring.DemoOwner)
	manager := a.login(hiring.DemoManager)
	member := a.login(hiring.DemoMember)
	p := a.submit(fr, "React dashboard", nil)
	ap := a.submit(member, "Landing page", nil) // an agency proposal
	decline := a.listReason(client, "proposalDeclineReasons", "SKILLS_MISMATCH")
	withdraw := a.listReason(fr, "withdrawalReasons", "MISTAKE")
	edit := func(id string) map[string]any {
		return map[string]any{"in": map[string]any{"proposalId": id, "coverLetter": "A better letter."}}
	}

	// Strangers do not learn that the proposal exists.
	a.unchanged("stranger reads", "NOT_FOUND", owner, proposalQuery, map[string]any{"id": p.ID})
	a.unchanged("stranger views", "NOT_FOUND", owner, viewMutation, map[string]any{"id": p.ID})
	a.unchanged("stranger declines", "NOT_FOUND", owner, declinePMutation, map[string]any{"in": map[string]any{"proposalId": p.ID, "reasonId": decline}})
	a.unchanged("stranger edits", "NOT_FOUND", owner, updateMutation, edit(p.ID))
	a.unchanged("stranger withdraws", "NOT_FOUND", owner, withdrawMutation, map[string]any{"in": map[string]any{"proposalId": p.ID, "reasonId": withdraw}})
	a.unchanged("unknown proposal", "NOT_FOUND", client, viewMutation, map[string]any{"id": "UHJvcG9zYWw6OTk5OQ"})

	// The parties see it but may only do their side's actions.
	a.unchanged("freelancer marks viewed", "FORBIDDEN", fr, viewMutation, map[string]any{"id": p.ID})
	a.unchanged("freelancer declines", "FORBIDDEN", fr, declinePMutation, map[string]any{"in": map[string]any{"proposalId": p.ID, "reasonId": decline}})
	a.unchanged("client edits", "FORBIDDEN", client, updateMutation, edit(p.ID))
	a.unchanged("client withdraws", "FORBIDDEN", client, withdrawMutation, map[string]any{"in": map[string]any{"proposalId": p.ID, "reasonId": withdraw}})

	// Agency proposals: the owner (staff, not business manager) sees but may
	// not edit; the business manager may.
	if got := a.proposal(owner, ap.ID); got.ID != ap.ID {
		t.Fatalf("agency staff read the agency's proposal")
	}
	a.unchanged("agency owner edits", "FORBIDDEN", owner, updateMutation, edit(ap.ID))
	if got := a.update(manager, map[string]any{"proposalId": ap.ID, "coverLetter": "Edited by the business manager."}); got.CoverLetter != "Edited by the business manager." {
		t.Errorf("the business manager edits an agency proposal: %+v", got)
	}

	// A job's invitations and proposals are the client's only (the job itself is public).
	jobQuery := `query($id: ID!) { job(id: $id) { title invitations { totalCount } } }`
	react := a.jobIDByTitle(client, "React dashboard")
	a.unchanged("freelancer lists a job's invitations", "FORBIDDEN", fr, jobQuery, map[string]any{"id": react})
	a.unchanged("freelancer lists a job's proposals", "FORBIDDEN", fr, `query($id: ID!) { job(id: $id) { proposals { totalCount } } }`, map[string]any{"id": react})
	var jobs struct{ Jobs struct{ TotalCount int } }
	a.ok(fr, `{ jobs { totalCount } }`, nil, &jobs)
	if jobs.Jobs.TotalCount != 0 {
		t.Errorf("jobs lists the viewer's own jobs only: %d", jobs.Jobs.TotalCount)
	}
}

// TestProposalValidation: bad inputs are refused with the field at fault,
// and change nothing.
func TestProposalValidation(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	p := a.submit(fr, "React dashboard", nil)
	ip := a.submit(fr, "Data pipeline", nil)
	otherW := a.listReason(fr, "withdrawalReasons", "OTHER")
	otherD := a.listReason(client, "proposalDeclineReasons", "OTHER")
	invitationReason := a.reasonID(fr, "TOO_BUSY")
	upd := func(in map[string]any) map[string]any { in["proposalId"] = p.ID; return map[string]any{"in": in} }

	a.unchanged("withdraw: unknown reason", "VALIDATION_FAILED", fr, withdrawMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "reasonId": "UmVhc29uOjk5OTk"}}, "input.reasonId")
	a.unchanged("withdraw: a reason of another list", "VALIDATION_FAILED", fr, withdrawMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "reasonId": invitationReason}}, "input.reasonId")
	a.unchanged("withdraw: Other without message", "VALIDATION_FAILED", fr, withdrawMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "reasonId": otherW, "message": "  "}}, "input.message")
	a.unchanged("withdraw: contact info", "CONTACT_INFO_NOT_ALLOWED", fr, withdrawMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "reasonId": otherW, "message": "Email me at frankie.dev@gmail.com"}}, "input.message")
	a.unchanged("decline: Other without message", "VALIDATION_FAILED", client, declinePMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "reasonId": otherD}}, "input.message")
	a.unchanged("decline: a withdrawal reason", "VALIDATION_FAILED", client, declinePMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "reasonId": otherW, "message": "x"}}, "input.reasonId")
	a.unchanged("decline: contact info", "CONTACT_INFO_NOT_ALLOWED", client, declinePMutation, map[string]any{"in": map[string]any{
		"proposalId": p.ID, "reasonId": otherD, "message": "call me on +1 415 555 0134"}}, "input.message")

	a.unchanged("update: nothing", "VALIDATION_FAILED", fr, updateMutation, upd(map[string]any{}), "input")
	a.unchanged("update: empty cover letter", "VALIDATION_FAILED", fr, updateMutation, upd(map[string]any{"coverLetter": " "}), "input.coverLetter")
	a.unchanged("update: contact info", "CONTACT_INFO_NOT_ALLOWED", fr, updateMutation, upd(map[string]any{"coverLetter": "Skype: frankie.dev"}), "input.coverLetter")
	a.unchanged("update: wrong terms kind", "VALIDATION_FAILED", fr, updateMutation, upd(map[string]any{
		"terms": map[string]any{"fixedPrice": map[string]any{"amount": "500"}}}), "input.terms.hourlyRate")
	a.unchanged("update: bad attachment", "VALIDATION_FAILED", fr, updateMutation, upd(map[string]any{
		"attachments": []map[string]any{{"name": "x", "contentType": "pdf", "size": 1, "url": "https://x.test/x"}}}), "input.attachments.0.contentType")
	a.unchanged("update: valid letter with bad terms", "VALIDATION_FAILED", fr, updateMutation, upd(map[string]any{
		"coverLetter": "fine", "terms": map[string]any{"hourlyRate": map[string]any{"amount": "0"}}}), "input.terms.hourlyRate.amount")
	a.unchanged("update: instant interview without every answer", "VALIDATION_FAILED", fr, updateMutation, map[string]any{"in": map[string]any{
		"proposalId": ip.ID, "answers": []map[string]any{}}}, "input.answers")

	// Replacing the answers of an instant-interview proposal.
	var q struct {
		Proposal struct {
			Job struct{ Questions []struct{ ID string } }
		}
	}
	a.ok(fr, `query($id: ID!) { proposal(id: $id) { job { questions { id } } } }`, map[string]any{"id": ip.ID}, &q)
	var answers []map[string]any
	for i, qq := range q.Proposal.Job.Questions {
		answers = append(answers, map[string]any{"questionId": qq.ID, "answer": fmt.Sprintf("New answer %d", i+1)})
	}
	got := a.update(fr, map[string]any{"proposalId": ip.ID, "answers": answers})
	if len(got.Answers) != 2 || got.Answers[0].Answer != "New answer 1" || got.Answers[1].Answer != "New answer 2" {
		t.Errorf("answers replaced: %+v", got.Answers)
	}
}

// TestClientJobLists: the client's jobs and, on a job, its invitations and
// proposals, paged and filtered.
func TestClientJobLists(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	a.submit(fr, "React dashboard", nil)

	type jobsPage struct {
		Jobs struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   *string
			}
			Edges []struct {
				Node struct {
					Title, Status, LastActivityAt string
					Invitations                   struct {
						TotalCount int
						Edges      []struct{ Node struct{ Status string } }
					}
					Proposals struct {
						TotalCount int
						Edges      []struct{ Node struct{ Status string } }
					}
				}
			}
		}
	}
	q := `query($first: Int, $after: String, $f: JobFilter) { jobs(first: $first, after: $after, filter: $f) {
	  totalCount pageInfo { hasNextPage endCursor }
	  edges { node { title status lastActivityAt invitations { totalCount edges { node { status } } } proposals { totalCount edges { node { status } } } } } } }`
	var page jobsPage
	a.ok(client, q, map[string]any{"first": 3}, &page)
	if page.Jobs.TotalCount != 4 || len(page.Jobs.Edges) != 3 || !page.Jobs.PageInfo.HasNextPage || page.Jobs.Edges[0].Node.Title != "Landing page polish" {
		t.Fatalf("first page of jobs: %+v", page.Jobs)
	}
	var rest jobsPage
	a.ok(client, q, map[string]any{"first": 3, "after": page.Jobs.PageInfo.EndCursor}, &rest)
	if len(rest.Jobs.Edges) != 1 || rest.Jobs.PageInfo.HasNextPage {
		t.Fatalf("second page of jobs: %+v", rest.Jobs)
	}
	react := rest.Jobs.Edges[0].Node
	if react.Title != "React dashboard for a logistics startup" || react.Invitations.TotalCount != 1 || react.Invitations.Edges[0].Node.Status != "ACCEPTED" ||
		react.Proposals.TotalCount != 1 || react.Proposals.Edges[0].Node.Status != "SUBMITTED" {
		t.Errorf("the React job's invitations and proposals: %+v", react)
	}

	a.ok(client, closeMutation, map[string]any{"j": a.jobIDByTitle(client, "Landing"), "r": "NO_HIRE"}, nil)
	var closed jobsPage
	a.ok(client, q, map[string]any{"f": map[string]any{"status": "CLOSED"}}, &closed)
	if closed.Jobs.TotalCount != 1 || closed.Jobs.Edges[0].Node.Invitations.Edges[0].Node.Status != "EXPIRED" {
		t.Errorf("closed jobs: %+v", closed.Jobs)
	}

	byStatus := `query($f: JobFilter, $s: [ProposalStatus!], $i: InvitationStatus) { jobs(filter: $f) { edges { node { title
	  proposals(status: $s) { totalCount } invitations(status: $i) { totalCount } } } } }`
	var filtered struct {
		Jobs struct {
			Edges []struct {
				Node struct {
					Title       string
					Proposals   struct{ TotalCount int }
					Invitations struct{ TotalCount int }
				}
			}
		}
	}
	a.ok(client, byStatus, map[string]any{"f": map[string]any{"status": "OPEN"}, "s": []string{"SUBMITTED", "ACTIVE"}, "i": "PENDING"}, &filtered)
	sums := map[string][2]int{}
	for _, e := range filtered.Jobs.Edges {
		sums[e.Node.Title] = [2]int{e.Node.Proposals.TotalCount, e.Node.Invitations.TotalCount}
	}
	if len(sums) != 3 || sums["React dashboard for a logistics startup"] != [2]int{1, 0} || sums["Go engineer for a GraphQL API"] != [2]int{0, 1} {
		t.Errorf("filtered lists: %+v", sums)
	}
}

// TestJobListsStatementCount: listing jobs with their invitations and
// proposals costs a fixed number of SQL statements, whatever the page size
// (dataloaders: acceptance 7 for this area's lists).
func TestJobListsStatementCount(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	frID := a.viewerID(fr)
	for i := range 50 {
		job := a.postJob(client, fmt.Sprintf("Batch job %d", i), 0)
		a.invite(client, job, frID, nil)
	}
	for _, e := range a.invitations(fr, map[string]any{"status": "PENDING"}).Invitations.Edges[:20] {
		a.ok(fr, acceptMutation, map[string]any{"in": map[string]any{"invitationId": e.Node.ID, "coverLetter": "Ready."}}, nil)
	}

	// A server whose requests count the statements they run.
	var n atomic.Int64
	tokens, err := auth.NewTokens("test-secret-0123456789", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(server.Deps{DB: a.DB, Hiring: a.Hiring, Tokens: tokens}, countingOptions())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(postgres.WithStatementCounter(r.Context(), &n)))
	}))
	defer srv.Close()
	counting := &app{t: t, URL: srv.URL, DB: a.DB, Hiring: a.Hiring, Clock: a.Clock}
	tok := counting.login(hiring.DemoClient)

	// This area's relations only: the shared loaders (users, questions,
	// answers...) are the statement-count test of the whole API.
	q := `query($first: Int) { jobs(first: $first) { totalCount edges { node { id title lastActivityAt
	  invitations(first: 5) { totalCount edges { node { status origin } } }
	  proposals(first: 5) { totalCount edges { node { status coverLetter contentEditable termsEditable } } } } } } }`
	statements := func(first int) (int64, int) {
		var d struct {
			Jobs struct {
				Edges []struct {
					Node struct{ Proposals struct{ TotalCount int } }
				}
			}
		}
		n.Store(0)
		counting.ok(tok, q, map[string]any{"first": first}, &d)
		withProposals := 0
		for _, e := range d.Jobs.Edges {
			withProposals += e.Node.Proposals.TotalCount
		}
		return n.Load(), withProposals
	}
	one, _ := statements(1)
	fifty, props := statements(50)
	if props != 20 {
		t.Fatalf("want the 20 proposals listed, got %d", props)
	}
	if one != fifty || one == 0 {
		t.Errorf("jobs with their invitations and proposals: %d statements for 1 job, %d for 50", one, fifty)
	}
}

// TestR2ClientActivityWinsOverExpiry: a job the client acted on within the
// idle period does not expire; a second sweep closes nothing; and a client
// closing a job while the sweep runs yields exactly one outcome.
func TestR2ClientActivityWinsOverExpiry(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	p := a.submit(fr, "React dashboard", nil)
	owner := a.viewerID(a.login(hiring.DemoOwner))

	a.Clock.Advance(20 * 24 * time.Hour)
	a.ok(client, viewMutation, map[string]any{"id": p.ID}, nil)          // activity on the React job
	a.invite(client, a.jobIDByTitle(client, "Landing page"), owner, nil) // activity on the landing page job
	a.Clock.Advance(11 * 24 * time.Hour)
	n, err := a.Hiring.ExpireIdleJobs(context.Background(), 30*24*time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("R2 want the 2 idle jobs expired, got %d, %v", n, err)
	}
	if got := a.count(`SELECT count(*) FROM jobs WHERE status = 'OPEN' AND (title LIKE 'React%' OR title LIKE 'Landing%')`); got != 2 {
		t.Errorf("R2 jobs with recent client activity stay open: %d", got)
	}
	if n, err := a.Hiring.ExpireIdleJobs(context.Background(), 30*24*time.Hour); err != nil || n != 0 {
		t.Errorf("a second sweep closes nothing: %d, %v", n, err)
	}

	// The sweep and the client race for the React job: one outcome only.
	a.Clock.Advance(31 * 24 * time.Hour)
	react := a.jobIDByTitle(client, "React dashboard")
	var wg sync.WaitGroup
	var closeResp *response
	wg.Add(2)
	go func() {
		defer wg.Done()
		closeResp = a.post(client, closeMutation, map[string]any{"j": react, "r": "CANCELLED"})
	}()
	go func() { defer wg.Done(); _, _ = a.Hiring.ExpireIdleJobs(context.Background(), 30*24*time.Hour) }()
	wg.Wait()
	refunds := a.count(`SELECT count(*) FROM connects_ledger WHERE kind = 'REFUND'`)
	switch closeResp.Code() {
	case "": // the client won: cancelled, refunded
		if refunds != 1 || a.count(`SELECT count(*) FROM jobs WHERE title LIKE 'React%' AND close_result = 'CANCELLED'`) != 1 {
			t.Errorf("client won: want CANCELLED with one refund, got %d refunds", refunds)
		}
	case "INVALID_STATE": // the sweep won: expired, no refund
		if refunds != 0 || a.count(`SELECT count(*) FROM jobs WHERE title LIKE 'React%' AND close_result = 'EXPIRED'`) != 1 {
			t.Errorf("sweep won: want EXPIRED with no refund, got %d refunds", refunds)
		}
	default:
		t.Errorf("unexpected: %+v", closeResp.Errors)
	}
}
