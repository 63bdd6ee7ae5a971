package server_test

import (
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// TestMoneyParsedStrictly: issue 11. Amounts are parsed strictly and
// rates and prices keep the same bounds wherever they are entered (hourly
// 3.00 to 999.99, fixed prices up to 1,000,000.00).
func TestMoneyParsedStrictly(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	fr := a.tok(hiring.DemoFreelancer)
	const postJob = `mutation($in: PostJobInput!) { postJob(input: $in) { job { id } } }`
	job := func(extra map[string]any) map[string]any {
		in := map[string]any{"title": "Strict money", "description": "Checked", "connectsRequired": 1}
		for k, v := range extra {
			in[k] = v
		}
		return map[string]any{"in": in}
	}
	for name, tc := range map[string]struct {
		in    map[string]any
		field string
	}{
		"leading space":         {job(map[string]any{"contractType": "FIXED", "budget": map[string]any{"amount": " 45.00"}}), "input.budget.amount"},
		"empty currency":        {job(map[string]any{"contractType": "FIXED", "budget": map[string]any{"amount": "45.00", "currency": ""}}), "input.budget.currency"},
		"budget over a million": {job(map[string]any{"contractType": "FIXED", "budget": map[string]any{"amount": "1000000.01"}}), "input.budget.amount"},
		"rate of ten million": {job(map[string]any{"contractType": "HOURLY", "hourlyRange": map[string]any{
			"min": map[string]any{"amount": "50"}, "max": map[string]any{"amount": "10000000.00"}}}), "input.hourlyRange.max.amount"},
		"rate under 3.00": {job(map[string]any{"contractType": "HOURLY", "hourlyRange": map[string]any{
			"min": map[string]any{"amount": "2.99"}, "max": map[string]any{"amount": "50"}}}), "input.hourlyRange.min.amount"},
	} {
		r := a.fails("VALIDATION_FAILED", client, postJob, tc.in)
		if r.Errors[0].Extensions["field"] != tc.field {
			t.Errorf("%s: field %v, want %s (%s)", name, r.Errors[0].Extensions["field"], tc.field, r.Errors[0].Message)
		}
	}
	a.ok(client, postJob, job(map[string]any{"contractType": "FIXED", "budget": map[string]any{"amount": "1000000.00", "currency": "USD"}}), nil)
	a.ok(client, postJob, job(map[string]any{"contractType": "FIXED", "budget": map[string]any{"amount": "45", "currency": nil}}), nil)

	// A bid of 10,000,000.00 an hour, as the issue found accepted.
	var inv struct {
		Invitations struct {
			Edges []struct {
				Node struct {
					ID  string
					Job struct{ InterviewMode, ContractType string }
				}
			}
		}
	}
	a.ok(fr, `{ invitations(first: 50, filter: {status: PENDING}) { edges { node { id job { interviewMode contractType } } } } }`, nil, &inv)
	bid := map[string]map[string]any{
		"HOURLY": {"hourlyRate": map[string]any{"amount": "10000000.00"}},
		"FIXED":  {"fixedPrice": map[string]any{"amount": "10000000.00"}},
	}
	tried := 0
	for _, e := range inv.Invitations.Edges {
		if e.Node.Job.InterviewMode != "COVER_LETTER" {
			continue
		}
		tried++
		r := a.fails("VALIDATION_FAILED", fr, `mutation($in: AcceptInvitationInput!) { acceptInvitation(input: $in) { proposal { id } } }`,
			map[string]any{"in": map[string]any{"invitationId": e.Node.ID, "coverLetter": "Happy to help.", "terms": bid[e.Node.Job.ContractType]}})
		if f, _ := r.Errors[0].Extensions["field"].(string); f != "input.terms.hourlyRate.amount" && f != "input.terms.fixedPrice.amount" {
			t.Errorf("bid: %+v", r.Errors)
		}
	}
	if tried == 0 {
		t.Fatal("the demo freelancer has no pending cover-letter invitation")
	}
}

// TestClientMessageIDReusedForAnotherMessage: a clientMessageId reused
// with a different body is a CONFLICT, not a silent replay of the first
// message; the same body is still a retry.
func TestClientMessageIDReusedForAnotherMessage(t *testing.T) {
	a := newApp(t)
	roomID, _ := openDemoRoom(a)
	fr := a.tok(hiring.DemoFreelancer)
	in := map[string]any{"roomId": roomID, "body": "I can start on Monday.", "clientMessageId": "reuse-1"}
	a.ok(fr, sendMessageMutation, map[string]any{"in": in}, nil)
	a.ok(fr, sendMessageMutation, map[string]any{"in": in}, nil)
	in["body"] = "Actually, Tuesday."
	r := a.fails("CONFLICT", fr, sendMessageMutation, map[string]any{"in": in})
	if r.Errors[0].Extensions["field"] != "input.clientMessageId" {
		t.Errorf("%+v", r.Errors)
	}
	if n := a.count(`SELECT count(*) FROM messages WHERE client_message_id = 'reuse-1'`); n != 1 {
		t.Errorf("%d messages stored", n)
	}
}
