package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// state summarizes everything a mutation could change, to show that a
// failed one changed nothing.
func (a *app) state() string {
	a.t.Helper()
	var s string
	err := a.DB.Get(&s, `SELECT concat_ws(' | ',
		(SELECT count(*) FROM proposals), (SELECT count(*) FROM proposal_answers), (SELECT count(*) FROM proposal_attachments),
		(SELECT count(*) FROM connects_ledger), (SELECT coalesce(sum(amount), 0) FROM connects_ledger),
		(SELECT count(*) FROM notifications), (SELECT count(*) FROM client_blocks), (SELECT count(*) FROM jobs),
		(SELECT string_agg(concat(id, status, archived_at IS NOT NULL, seen_at IS NOT NULL, responded_at IS NOT NULL), ',' ORDER BY id) FROM invitations))`)
	if err != nil {
		a.t.Fatal(err)
	}
	return s
}

// TestErrors checks issue 2's acceptance point 4: clear codes, and nothing
// changed in the database by any failed mutation.
func TestErrors(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	client := a.login(hiring.DemoClient)
	owner := a.login(hiring.DemoOwner)
	list := a.invitations(fr, map[string]any{"status": "PENDING"})
	direct := list.byTitle(t, "React dashboard")
	instant := list.byTitle(t, "Data pipeline")
	other := a.reasonID(fr, "OTHER")

	check := func(name, code, token, query string, vars map[string]any, want ...string) {
		t.Helper()
		before := a.state()
		r := a.fails(code, token, query, vars)
		for _, w := range want {
			if !strings.Contains(r.Errors[0].Message, w) && r.Errors[0].Extensions["field"] != w {
				t.Errorf("%s: error %q (field %v) does not mention %q", name, r.Errors[0].Message, r.Errors[0].Extensions["field"], w)
			}
		}
		if after := a.state(); after != before {
			t.Errorf("%s: the database changed:\n before %s\n after  %s", name, before, after)
		}
	}
	accept := func(in map[string]any) map[string]any {
		in["invitationId"] = direct.ID
		return map[string]any{"in": in}
	}

	t.Run("ErrUnauthenticated", func(t *testing.T) {
		check("no token", "UNAUTHENTICATED", "", invitationsQuery, nil)
		check("bad token", "UNAUTHENTICATED", "not-a-token", acceptMutation, accept(map[string]any{"coverLetter": "hi"}), "not valid")
		req, _ := http.NewRequest(http.MethodPost, a.URL+"/query", strings.NewReader(`{"query":"{ viewer { id } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Basic Zm9vOmJhcg==")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		// The agency owner is no party to the freelancer's invitation.
		check("read", "NOT_FOUND", owner, `query($id: ID!) { invitation(id: $id) { id } }`, map[string]any{"id": direct.ID})
		check("accept", "NOT_FOUND", owner, acceptMutation, accept(map[string]any{"coverLetter": "mine now"}))
		check("decline", "NOT_FOUND", owner, declineMutation, map[string]any{"in": map[string]any{"invitationId": direct.ID, "reasonId": other, "message": "x"}})
		check("ignore", "NOT_FOUND", owner, ignoreMutation, map[string]any{"id": direct.ID})
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		// The client sees the invitation but may not answer it.
		check("client accepts", "FORBIDDEN", client, acceptMutation, accept(map[string]any{"coverLetter": "hi"}))
		check("client ignores", "FORBIDDEN", client, ignoreMutation, map[string]any{"id": direct.ID})
		check("freelancer withdraws", "FORBIDDEN", fr, `mutation($id: ID!) { withdrawInvitation(input: {invitationId: $id}) { invitation { id } } }`, map[string]any{"id": direct.ID})
	})
	t.Run("ErrContactInfo", func(t *testing.T) {
		check("email in decline", "CONTACT_INFO_NOT_ALLOWED", fr, declineMutation, map[string]any{"in": map[string]any{
			"invitationId": direct.ID, "reasonId": other, "message": "Write to me at frankie.dev@gmail.com instead"}}, "frankie.dev@gmail.com")
		check("phone in cover letter", "CONTACT_INFO_NOT_ALLOWED", fr, acceptMutation, accept(map[string]any{
			"coverLetter": "Call me on +1 415 555 0134 to discuss."}), "415 555 0134")
		check("obfuscated email", "CONTACT_INFO_NOT_ALLOWED", fr, acceptMutation, accept(map[string]any{
			"coverLetter": "Reach me: frankie at gmail dot com"}), "input.coverLetter")
	})
	t.Run("ErrValidationFailed", func(t *testing.T) {
		check("missing cover letter", "VALIDATION_FAILED", fr, acceptMutation, accept(map[string]any{}), "input.coverLetter")
		qs := instant.Job.Questions
		check("missing answer", "VALIDATION_FAILED", fr, acceptMutation, map[string]any{"in": map[string]any{
			"invitationId": instant.ID, "answers": []map[string]any{{"questionId": qs[0].ID, "answer": "Airflow"}}}}, "input.answers")
		check("unknown reason", "VALIDATION_FAILED", fr, declineMutation, map[string]any{"in": map[string]any{
			"invitationId": direct.ID, "reasonId": "UmVhc29uOjk5OTk"}}, "input.reasonId")
		check("reason of another list", "VALIDATION_FAILED", fr, declineMutation, map[string]any{"in": map[string]any{
			"invitationId": direct.ID, "reasonId": "UmVhc29uOjg"}}, "input.reasonId")
		check("Other without message", "VALIDATION_FAILED", fr, declineMutation, map[string]any{"in": map[string]any{
			"invitationId": direct.ID, "reasonId": other, "message": "   "}}, "input.message")
		check("wrong terms kind", "VALIDATION_FAILED", fr, acceptMutation, accept(map[string]any{
			"coverLetter": "hi", "terms": map[string]any{"fixedPrice": map[string]any{"amount": "500"}}}), "input.terms.hourlyRate")
		check("bad money", "VALIDATION_FAILED", fr, acceptMutation, accept(map[string]any{
			"coverLetter": "hi", "terms": map[string]any{"hourlyRate": map[string]any{"amount": "12.345"}}}), "input.terms.hourlyRate.amount")
		check("bad id", "VALIDATION_FAILED", fr, acceptMutation, map[string]any{"in": map[string]any{"invitationId": "nope", "coverLetter": "hi"}}, "input.invitationId")
		check("first over 100", "VALIDATION_FAILED", fr, `{ invitations(first: 101) { totalCount } }`, nil, "first")
	})
	t.Run("ErrInsufficientConnects", func(t *testing.T) {
		// The member's 20 Connects do not cover a 30-Connect job.
		var me struct {
			Viewer struct{ User struct{ ID string } }
		}
		member := a.login(hiring.DemoMember)
		a.ok(member, `{ viewer { user { id } } }`, nil, &me)
		var job struct {
			PostJob struct{ Job struct{ ID string } }
		}
		a.ok(client, `mutation { postJob(input: {title: "Big job", description: "Lots", contractType: FIXED, budget: {amount: "9000"}, connectsRequired: 30}) { job { id } } }`, nil, &job)
		var inv struct {
			InviteFreelancer struct{ Invitation struct{ ID string } }
		}
		a.ok(client, `mutation($j: ID!, $f: ID!) { inviteFreelancer(input: {jobId: $j, freelancerId: $f}) { invitation { id } } }`,
			map[string]any{"j": job.PostJob.Job.ID, "f": me.Viewer.User.ID}, &inv)
		r := a.fails("INSUFFICIENT_CONNECTS", member, acceptMutation, map[string]any{"in": map[string]any{"invitationId": inv.InviteFreelancer.Invitation.ID, "coverLetter": "Keen!"}})
		if r.Errors[0].Extensions["required"] != float64(30) || r.Errors[0].Extensions["balance"] != float64(20) {
			t.Errorf("error should say what is required and what there is: %+v", r.Errors[0])
		}
		check("again, unchanged", "INSUFFICIENT_CONNECTS", member, acceptMutation, map[string]any{"in": map[string]any{"invitationId": inv.InviteFreelancer.Invitation.ID, "coverLetter": "Keen!"}})
	})
	t.Run("ErrInvalidState", func(t *testing.T) {
		a.ok(fr, acceptMutation, accept(map[string]any{"coverLetter": "Let's do it."}), nil)
		check("second accept", "INVALID_STATE", fr, acceptMutation, accept(map[string]any{"coverLetter": "again"}))
		check("decline after accept", "INVALID_STATE", fr, declineMutation, map[string]any{"in": map[string]any{"invitationId": direct.ID, "reasonId": other, "message": "changed my mind"}})
		check("ignore after accept", "INVALID_STATE", fr, ignoreMutation, map[string]any{"id": direct.ID})
		check("withdraw after accept", "INVALID_STATE", client, `mutation($id: ID!) { withdrawInvitation(input: {invitationId: $id}) { invitation { id } } }`, map[string]any{"id": direct.ID})
	})
}
