package server_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

const invitationsQuery = `query($f: InvitationFilter) {
  viewer { connectsBalance }
  invitations(filter: $f, first: 50) {
    totalCount
    edges { cursor node {
      id status archived origin message matchScore matchedSkills
      job { id title connectsRequired interviewMode questions { id text } terms { hourlyRate { amount } fixedPrice { amount } } }
    } }
  }
}`

type invitationNode struct {
	ID            string
	Status        string
	Archived      bool
	Origin        string
	Message       string
	MatchScore    *float64
	MatchedSkills []string
	Job           struct {
		ID               string
		Title            string
		ConnectsRequired int
		InterviewMode    string
		Questions        []struct{ ID, Text string }
	}
}

type invitationList struct {
	Viewer      struct{ ConnectsBalance int }
	Invitations struct {
		TotalCount int
		Edges      []struct {
			Cursor string
			Node   invitationNode
		}
	}
}

func (a *app) invitations(token string, filter map[string]any) invitationList {
	a.t.Helper()
	var d invitationList
	a.ok(token, invitationsQuery, map[string]any{"f": filter}, &d)
	return d
}

// byTitle finds the viewer's invitation to the job whose title contains s.
func (l invitationList) byTitle(t testing.TB, s string) invitationNode {
	t.Helper()
	for _, e := range l.Invitations.Edges {
		if strings.Contains(e.Node.Job.Title, s) {
			return e.Node
		}
	}
	t.Fatalf("no invitation to a job titled %q", s)
	return invitationNode{}
}

const acceptMutation = `mutation($in: AcceptInvitationInput!) {
  acceptInvitation(input: $in) {
    connectsBalance
    invitation { id status respondedAt responseTimeSeconds proposal { id } }
    proposal { id status coverLetter connectsSpent terms { hourlyRate { amount currency } fixedPrice { amount } estimatedDuration }
      answers { question { text } answer } attachments { name size url } invitation { id } job { title } }
  }
}`

const declineMutation = `mutation($in: DeclineInvitationInput!) {
  declineInvitation(input: $in) { invitation { id status declineReason { code label } declineMessage respondedAt } }
}`

const ignoreMutation = `mutation($id: ID!) { ignoreInvitation(input: {invitationId: $id}) { invitation { id status archived archivedAt } } }`

// reasonID returns the id of the decline reason with the given code.
func (a *app) reasonID(token, code string) string {
	a.t.Helper()
	var d struct{ DeclineReasons []struct{ ID, Code string } }
	a.ok(token, `{ declineReasons { id code label requiresMessage } }`, nil, &d)
	for _, r := range d.DeclineReasons {
		if r.Code == code {
			return r.ID
		}
	}
	a.t.Fatalf("no decline reason %s", code)
	return ""
}

// TestInvitationsFlow walks issue 2's acceptance point 3 through the HTTP API.
func TestInvitationsFlow(t *testing.T) {
	a := newApp(t)
	tok := a.login(hiring.DemoFreelancer)

	pending := a.invitations(tok, map[string]any{"status": "PENDING"})
	if pending.Invitations.TotalCount != 3 || len(pending.Invitations.Edges) != 3 {
		t.Fatalf("want 3 pending invitations, got %+v", pending.Invitations)
	}
	if pending.Viewer.ConnectsBalance != 80 {
		t.Fatalf("want the demo balance 80, got %d", pending.Viewer.ConnectsBalance)
	}
	direct := pending.byTitle(t, "React dashboard")
	auto := pending.byTitle(t, "GraphQL API")
	instant := pending.byTitle(t, "Data pipeline")
	if direct.Origin != "DIRECT" || direct.Message == "" {
		t.Errorf("direct invitation: %+v", direct)
	}
	if auto.Origin != "AUTOMATIC" || auto.MatchScore == nil || len(auto.MatchedSkills) == 0 {
		t.Errorf("automatic invitation: %+v", auto)
	}

	// Accept with a cover letter and the job's terms as offered.
	var acc struct {
		AcceptInvitation struct {
			ConnectsBalance int
			Invitation      struct {
				Status              string
				RespondedAt         *string
				ResponseTimeSeconds *int
				Proposal            *struct{ ID string }
			}
			Proposal struct {
				ID            string
				Status        string
				CoverLetter   string
				ConnectsSpent int
				Terms         struct {
					HourlyRate *struct{ Amount, Currency string }
				}
				Attachments []struct {
					Name string
					Size int
				}
			}
		}
	}
	a.Clock.Advance(90 * 60e9) // 90 minutes to respond
	a.ok(tok, acceptMutation, map[string]any{"in": map[string]any{
		"invitationId": direct.ID,
		"coverLetter":  "I have built three fleet dashboards in React with live maps.",
		"attachments":  []map[string]any{{"name": "portfolio.pdf", "contentType": "application/pdf", "size": 120000, "url": "https://files.hiregraph.test/p/1.pdf"}},
	}}, &acc)
	got := acc.AcceptInvitation
	if got.Invitation.Status != "ACCEPTED" || got.Invitation.Proposal == nil || got.Invitation.Proposal.ID != got.Proposal.ID {
		t.Fatalf("invitation after accept: %+v", got.Invitation)
	}
	if got.Invitation.ResponseTimeSeconds == nil || *got.Invitation.ResponseTimeSeconds < 90*60 {
		t.Errorf("response time not recorded: %+v", got.Invitation)
	}
	if got.Proposal.Status != "SUBMITTED" || got.Proposal.ConnectsSpent != direct.Job.ConnectsRequired || len(got.Proposal.Attachments) != 1 {
		t.Errorf("proposal: %+v", got.Proposal)
	}
	if got.Proposal.Terms.HourlyRate == nil || got.Proposal.Terms.HourlyRate.Amount != "60.00" || got.Proposal.Terms.HourlyRate.Currency != "USD" {
		t.Errorf("terms as offered should be the top of the range, got %+v", got.Proposal.Terms)
	}
	if want := 80 - direct.Job.ConnectsRequired; got.ConnectsBalance != want {
		t.Errorf("balance after accept: want %d, got %d", want, got.ConnectsBalance)
	}
	var ledger struct {
		ConnectsLedger struct {
			TotalCount int
			Balance    int
			Edges      []struct {
				Node struct {
					Kind     string
					Amount   int
					Proposal *struct{ ID string }
				}
			}
		}
	}
	a.ok(tok, `{ connectsLedger { totalCount balance edges { node { kind amount proposal { id } } } } }`, nil, &ledger)
	l := ledger.ConnectsLedger
	if l.TotalCount != 2 || l.Edges[0].Node.Kind != "APPLICATION" || l.Edges[0].Node.Amount != -direct.Job.ConnectsRequired ||
		l.Edges[0].Node.Proposal == nil || l.Edges[0].Node.Proposal.ID != got.Proposal.ID || l.Balance != got.ConnectsBalance {
		t.Errorf("want one APPLICATION entry after the grant, got %+v", l)
	}

	// Decline one with a reason; the client is notified.
	var dec struct {
		DeclineInvitation struct {
			Invitation struct {
				Status         string
				DeclineReason  struct{ Code string }
				DeclineMessage string
			}
		}
	}
	a.ok(tok, declineMutation, map[string]any{"in": map[string]any{
		"invitationId": auto.ID, "reasonId": a.reasonID(tok, "TOO_BUSY"), "message": "Fully booked until spring, sorry!",
	}}, &dec)
	if d := dec.DeclineInvitation.Invitation; d.Status != "DECLINED" || d.DeclineReason.Code != "TOO_BUSY" || d.DeclineMessage == "" {
		t.Errorf("declined invitation: %+v", d)
	}

	// Ignore one: archived, still pending, listed as archived.
	var ign struct {
		IgnoreInvitation struct {
			Invitation struct {
				Status   string
				Archived bool
			}
		}
	}
	a.ok(tok, ignoreMutation, map[string]any{"id": instant.ID}, &ign)
	if i := ign.IgnoreInvitation.Invitation; i.Status != "PENDING" || !i.Archived {
		t.Errorf("ignored invitation: %+v", i)
	}
	archived := a.invitations(tok, map[string]any{"archived": true})
	if archived.Invitations.TotalCount != 1 || archived.Invitations.Edges[0].Node.ID != instant.ID || archived.Invitations.Edges[0].Node.Status != "PENDING" {
		t.Errorf("archive list: %+v", archived.Invitations)
	}
	if n := a.invitations(tok, map[string]any{"status": "PENDING", "archived": false}).Invitations.TotalCount; n != 0 {
		t.Errorf("want no unarchived pending invitations, got %d", n)
	}

	// ...and can then be accepted (instant interview: answers replace the cover letter).
	answers := []map[string]any{}
	for i, q := range instant.Job.Questions {
		answers = append(answers, map[string]any{"questionId": q.ID, "answer": fmt.Sprintf("Answer %d: Airflow and dbt, idempotent upserts.", i+1)})
	}
	var acc2 struct {
		AcceptInvitation struct {
			ConnectsBalance int
			Invitation      struct{ Status string }
			Proposal        struct {
				Answers []struct {
					Question struct{ Text string }
					Answer   string
				}
			}
		}
	}
	a.ok(tok, acceptMutation, map[string]any{"in": map[string]any{
		"invitationId": instant.ID, "answers": answers,
		"terms": map[string]any{"hourlyRate": map[string]any{"amount": "55"}, "estimatedDuration": "ONE_TO_3_MONTHS"},
	}}, &acc2)
	if acc2.AcceptInvitation.Invitation.Status != "ACCEPTED" || len(acc2.AcceptInvitation.Proposal.Answers) != len(instant.Job.Questions) {
		t.Errorf("accept after ignore: %+v", acc2.AcceptInvitation)
	}
	if want := 80 - direct.Job.ConnectsRequired - instant.Job.ConnectsRequired; acc2.AcceptInvitation.ConnectsBalance != want {
		t.Errorf("balance: want %d, got %d", want, acc2.AcceptInvitation.ConnectsBalance)
	}

	// The client's bell has the acceptance and the decline.
	if n := a.count(`SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE u.email = $1 AND n.kind IN ('INVITATION_ACCEPTED', 'INVITATION_DECLINED')`, hiring.DemoClient); n != 3 {
		t.Errorf("want 3 notifications to the client, got %d", n)
	}
}

// TestAcceptInvitationConcurrently: 20 simultaneous accepts and declines of
// one invitation yield exactly one success, and Connects are charged at most
// once (issue 2, acceptance 5).
func TestAcceptInvitationConcurrently(t *testing.T) {
	a := newApp(t)
	tok := a.login(hiring.DemoFreelancer)
	inv := a.invitations(tok, map[string]any{"status": "PENDING"}).byTitle(t, "React dashboard")
	reason := a.reasonID(tok, "NOT_INTERESTED")

	var wg sync.WaitGroup
	results := make([]*response, 20)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				results[i] = a.post(tok, acceptMutation, map[string]any{"in": map[string]any{"invitationId": inv.ID, "coverLetter": "Happy to help."}})
			} else {
				results[i] = a.post(tok, declineMutation, map[string]any{"in": map[string]any{"invitationId": inv.ID, "reasonId": reason}})
			}
		}()
	}
	wg.Wait()
	successes := 0
	for _, r := range results {
		switch r.Code() {
		case "":
			successes++
		case "INVALID_STATE":
		default:
			t.Errorf("unexpected error: %+v", r.Errors)
		}
	}
	if successes != 1 {
		t.Fatalf("want exactly one success, got %d", successes)
	}
	if n := a.count(`SELECT count(*) FROM proposals`); n > 1 {
		t.Errorf("want at most one proposal, got %d", n)
	}
	if n := a.count(`SELECT count(*) FROM connects_ledger WHERE kind = 'APPLICATION'`); n > 1 {
		t.Errorf("want at most one charge, got %d", n)
	}
}

// TestConnectsNeverNegative: concurrent accepts of different invitations that
// together cost more than the balance charge only what the balance covers.
func TestConnectsNeverNegative(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	var freelancerID string
	var me struct {
		Viewer struct{ User struct{ ID string } }
	}
	tok := a.login(hiring.DemoFreelancer)
	a.ok(tok, `{ viewer { user { id } } }`, nil, &me)
	freelancerID = me.Viewer.User.ID

	// Ten jobs costing 30 each: the 80-Connect balance covers two.
	ids := make([]string, 10)
	for i := range ids {
		var job struct {
			PostJob struct{ Job struct{ ID string } }
		}
		a.ok(client, `mutation($in: PostJobInput!) { postJob(input: $in) { job { id } } }`, map[string]any{"in": map[string]any{
			"title": fmt.Sprintf("Job %d", i), "description": "Work", "contractType": "FIXED",
			"budget": map[string]any{"amount": "100.00"}, "connectsRequired": 30,
		}}, &job)
		var inv struct {
			InviteFreelancer struct{ Invitation struct{ ID string } }
		}
		a.ok(client, `mutation($j: ID!, $f: ID!) { inviteFreelancer(input: {jobId: $j, freelancerId: $f}) { invitation { id } } }`,
			map[string]any{"j": job.PostJob.Job.ID, "f": freelancerID}, &inv)
		ids[i] = inv.InviteFreelancer.Invitation.ID
	}
	var wg sync.WaitGroup
	results := make([]*response, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = a.post(tok, acceptMutation, map[string]any{"in": map[string]any{"invitationId": id, "coverLetter": "Ready to start."}})
		}()
	}
	wg.Wait()
	ok, short := 0, 0
	for _, r := range results {
		switch r.Code() {
		case "":
			ok++
		case "INSUFFICIENT_CONNECTS":
			short++
		default:
			t.Errorf("unexpected: %+v", r.Errors)
		}
	}
	if ok != 2 || short != 8 {
		t.Errorf("want 2 accepted and 8 refused, got %d and %d", ok, short)
	}
	var v struct{ Viewer struct{ ConnectsBalance int } }
	a.ok(tok, `{ viewer { connectsBalance } }`, nil, &v)
	if v.Viewer.ConnectsBalance != 20 {
		t.Errorf("want balance 20, got %d", v.Viewer.ConnectsBalance)
	}
	if n := a.count(`SELECT count(*) FROM invitations WHERE status = 'ACCEPTED' AND job_id IN (SELECT id FROM jobs WHERE connects_required = 30)`); n != 2 {
		t.Errorf("want 2 accepted invitations, got %d", n)
	}
}
