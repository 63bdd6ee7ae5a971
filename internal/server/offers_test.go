package server_test

import (
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

const offerFields = `id status message declineMessage weeklyLimitHours respondedAt
  terms { hourlyRate { amount currency } fixedPrice { amount } estimatedDuration }
  client { name } freelancer { name } job { title }
  contract { id }`

const contractFields = `id status contractType weeklyLimitHours startedAt
  terms { hourlyRate { amount } fixedPrice { amount } }
  client { name } freelancer { name } agency { name } job { title } offer { id } proposal { id status }
  totalBonus { amount currency } bonuses { id amount { amount } note paidAt }
  timeEntries { id minutes memo kind user { name } }`

var (
	sendOfferMutation     = `mutation($in: SendOfferInput!) { sendOffer(input: $in) { offer { ` + offerFields + ` } proposal { id status } } }`
	withdrawOfferMutation = `mutation($id: ID!) { withdrawOffer(input: {offerId: $id}) { offer { ` + offerFields + ` } } }`
	acceptOfferMutation   = `mutation($id: ID!) { acceptOffer(input: {offerId: $id}) { offer { ` + offerFields + ` } contract { ` + contractFields + ` } } }`
	declineOfferMutation  = `mutation($id: ID!, $m: String) { declineOffer(input: {offerId: $id, message: $m}) { offer { ` + offerFields + ` } } }`
	payBonusMutation      = `mutation($in: PayBonusInput!) { payBonus(input: $in) { bonus { id amount { amount currency } note } contract { ` + contractFields + ` } } }`
	logTimeMutation       = `mutation($in: LogTimeInput!) { logTime(input: $in) { timeEntry { id minutes memo kind user { name } } contract { id } } }`
	offerQuery            = `query($id: ID!) { offer(id: $id) { ` + offerFields + ` proposal { id status offers { id status } contract { id } } } }`
	contractQuery         = `query($id: ID!) { contract(id: $id) { ` + contractFields + ` } }`
	contractsQuery        = `query($first: Int, $after: String) { contracts(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ` + contractFields + ` } } } }`
)

type moneyJSON struct{ Amount, Currency string }

type offerJSON struct {
	ID               string
	Status           string
	Message          string
	DeclineMessage   string
	WeeklyLimitHours *int
	RespondedAt      *string
	Terms            struct {
		HourlyRate        *moneyJSON
		FixedPrice        *moneyJSON
		EstimatedDuration *string
	}
	Client, Freelancer struct{ Name string }
	Job                struct{ Title string }
	Contract           *struct{ ID string }
	Proposal           struct {
		ID     string
		Status string
		Offers []struct{ ID, Status string }
		// Contract of the proposal.
		Contract *struct{ ID string }
	}
}

type contractJSON struct {
	ID               string
	Status           string
	ContractType     string
	WeeklyLimitHours *int
	StartedAt        string
	Terms            struct{ HourlyRate, FixedPrice *moneyJSON }
	Client           struct{ Name string }
	Freelancer       struct{ Name string }
	Agency           *struct{ Name string }
	Job              struct{ Title string }
	Offer            struct{ ID string }
	Proposal         struct{ ID, Status string }
	TotalBonus       moneyJSON
	Bonuses          []struct {
		ID     string
		Amount moneyJSON
		Note   string
	}
	TimeEntries []struct {
		ID      string
		Minutes int
		Memo    string
		Kind    string
		User    struct{ Name string }
	}
}

// sendOffer sends an offer as the client and returns it with the proposal's status.
func (a *app) sendOffer(token string, in map[string]any) (offerJSON, string) {
	a.t.Helper()
	var d struct {
		SendOffer struct {
			Offer    offerJSON
			Proposal struct{ ID, Status string }
		}
	}
	a.ok(token, sendOfferMutation, map[string]any{"in": in}, &d)
	return d.SendOffer.Offer, d.SendOffer.Proposal.Status
}

// offer reads an offer with its proposal.
func (a *app) offer(token, id string) offerJSON {
	a.t.Helper()
	var d struct{ Offer offerJSON }
	a.ok(token, offerQuery, map[string]any{"id": id}, &d)
	return d.Offer
}

func (a *app) contract(token, id string) contractJSON {
	a.t.Helper()
	var d struct{ Contract contractJSON }
	a.ok(token, contractQuery, map[string]any{"id": id}, &d)
	return d.Contract
}

func (a *app) acceptOffer(token, id string) (offerJSON, contractJSON) {
	a.t.Helper()
	var d struct {
		AcceptOffer struct {
			Offer    offerJSON
			Contract contractJSON
		}
	}
	a.ok(token, acceptOfferMutation, map[string]any{"id": id}, &d)
	return d.AcceptOffer.Offer, d.AcceptOffer.Contract
}

// notificationsOf counts a user's notifications of a kind about a subject type.
func (a *app) notificationsOf(email, kind, subject string) int {
	a.t.Helper()
	return a.count(`SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE u.email = $1 AND n.kind = $2 AND n.subject_type = $3`, email, kind, subject)
}

// offerState extends state() with everything this area's mutations write.
func (a *app) offerState() string {
	a.t.Helper()
	var s string
	err := a.DB.Get(&s, `SELECT concat_ws(' | ',
		(SELECT string_agg(concat(id, status, updated_at), ',' ORDER BY id) FROM proposals),
		(SELECT string_agg(concat(id, status, decline_message, responded_by, responded_at), ',' ORDER BY id) FROM offers),
		(SELECT string_agg(concat(id, status), ',' ORDER BY id) FROM contracts),
		(SELECT count(*) FROM bonuses), (SELECT count(*) FROM time_entries),
		(SELECT string_agg(concat(id, last_activity_at), ',' ORDER BY id) FROM jobs))`)
	if err != nil {
		a.t.Fatal(err)
	}
	return a.state() + " || " + s
}

// checkUnchanged runs a mutation that must fail with code, and checks that
// the database did not change (and that the message or field names want).
func (a *app) checkUnchanged(t *testing.T, name, code, token, query string, vars map[string]any, want ...string) {
	t.Helper()
	before := a.offerState()
	r := a.post(token, query, vars)
	if r.Code() != code {
		t.Errorf("%s: want %s, got errors %+v data %s", name, code, r.Errors, r.Data)
		return
	}
	for _, w := range want {
		if !strings.Contains(r.Errors[0].Message, w) && r.Errors[0].Extensions["field"] != w {
			t.Errorf("%s: error %q (field %v) does not mention %q", name, r.Errors[0].Message, r.Errors[0].Extensions["field"], w)
		}
	}
	if after := a.offerState(); after != before {
		t.Errorf("%s: the database changed:\n before %s\n after  %s", name, before, after)
	}
}

// freelancerProposal accepts the demo freelancer's "React dashboard"
// invitation (hourly, 30..60/h) with the given terms and returns the proposal id.
func (a *app) freelancerProposal(token string, terms map[string]any) string {
	a.t.Helper()
	inv := a.invitations(token, map[string]any{"status": "PENDING"}).byTitle(a.t, "React dashboard")
	in := map[string]any{"invitationId": inv.ID, "coverLetter": "I have built fleet dashboards in React."}
	if terms != nil {
		in["terms"] = terms
	}
	var d struct {
		AcceptInvitation struct{ Proposal struct{ ID string } }
	}
	a.ok(token, acceptMutation, map[string]any{"in": in}, &d)
	return d.AcceptInvitation.Proposal.ID
}

// memberProposal accepts the agency member's pending invitation (through
// Northwind Studio, on "Landing page polish", fixed 400) and returns the proposal id.
func (a *app) memberProposal(token string) string {
	a.t.Helper()
	inv := a.invitations(token, map[string]any{"status": "PENDING"}).byTitle(a.t, "Landing page polish")
	var d struct {
		AcceptInvitation struct {
			Proposal struct {
				ID     string
				Agency *struct{ Name string }
			}
		}
	}
	a.ok(token, `mutation($in: AcceptInvitationInput!) { acceptInvitation(input: $in) { proposal { id agency { name } } } }`,
		map[string]any{"in": map[string]any{"invitationId": inv.ID, "coverLetter": "Our studio polishes landing pages."}}, &d)
	if d.AcceptInvitation.Proposal.Agency == nil {
		a.t.Fatalf("the member's proposal should be an agency proposal")
	}
	return d.AcceptInvitation.Proposal.ID
}

// hourlyAgencyProposal posts an hourly job, invites the agency member
// through the agency, has the member accept, and returns the proposal id.
func (a *app) hourlyAgencyProposal(client, member string) string {
	a.t.Helper()
	var me struct {
		Viewer struct {
			User     struct{ ID string }
			Agencies []struct{ Agency struct{ ID string } }
		}
	}
	a.ok(member, `{ viewer { user { id } agencies { agency { id } } } }`, nil, &me)
	var job struct {
		PostJob struct{ Job struct{ ID string } }
	}
	a.ok(client, `mutation($in: PostJobInput!) { postJob(input: $in) { job { id } } }`, map[string]any{"in": map[string]any{
		"title": "Design system upkeep", "description": "Keep our React component library tidy.", "contractType": "HOURLY",
		"hourlyRange": map[string]any{"min": map[string]any{"amount": "30"}, "max": map[string]any{"amount": "50"}}, "connectsRequired": 2,
	}}, &job)
	var inv struct {
		InviteFreelancer struct{ Invitation struct{ ID string } }
	}
	a.ok(client, `mutation($in: InviteFreelancerInput!) { inviteFreelancer(input: $in) { invitation { id } } }`, map[string]any{"in": map[string]any{
		"jobId": job.PostJob.Job.ID, "freelancerId": me.Viewer.User.ID, "agencyId": me.Viewer.Agencies[0].Agency.ID,
	}}, &inv)
	var acc struct {
		AcceptInvitation struct{ Proposal struct{ ID string } }
	}
	a.ok(member, acceptMutation, map[string]any{"in": map[string]any{
		"invitationId": inv.InviteFreelancer.Invitation.ID, "coverLetter": "We maintain two design systems today.",
	}}, &acc)
	return acc.AcceptInvitation.Proposal.ID
}

// TestOfferLifecycle: R19 through the API: send (proposal OFFERED, the
// freelancer notified), withdraw (proposal back), send again, decline (the
// client notified), send again, accept (contract ACTIVE, proposal HIRED, the
// client notified); terms left out are the proposal's.
func TestOfferLifecycle(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	client := a.login(hiring.DemoClient)
	owner := a.login(hiring.DemoOwner)
	prop := a.freelancerProposal(fr, map[string]any{"hourlyRate": map[string]any{"amount": "55"}, "estimatedDuration": "ONE_TO_3_MONTHS"})

	// Send, terms left out: the proposal's, duration included.
	a.Clock.Advance(time.Hour)
	o1, status := a.sendOffer(client, map[string]any{"proposalId": prop, "weeklyLimitHours": 20, "message": "Happy to start Monday."})
	if status != "OFFERED" || o1.Status != "PENDING" || o1.Message != "Happy to start Monday." || o1.WeeklyLimitHours == nil || *o1.WeeklyLimitHours != 20 {
		t.Fatalf("first offer: %+v (proposal %s)", o1, status)
	}
	if o1.Terms.HourlyRate == nil || o1.Terms.HourlyRate.Amount != "55.00" || o1.Terms.HourlyRate.Currency != "USD" ||
		o1.Terms.EstimatedDuration == nil || *o1.Terms.EstimatedDuration != "ONE_TO_3_MONTHS" || o1.Terms.FixedPrice != nil {
		t.Errorf("terms left out should be the proposal's: %+v", o1.Terms)
	}
	if o1.Client.Name != "Casey Client" || o1.Freelancer.Name != "Frankie Freelancer" || !strings.Contains(o1.Job.Title, "React dashboard") || o1.Contract != nil {
		t.Errorf("offer relations: %+v", o1)
	}
	if n := a.notificationsOf(hiring.DemoFreelancer, "OFFER_RECEIVED", "OFFER"); n != 1 {
		t.Errorf("want the freelancer notified of the offer once, got %d", n)
	}
	if got := a.offer(fr, o1.ID); got.Status != "PENDING" || got.Proposal.Status != "OFFERED" {
		t.Errorf("the freelancer reads the offer: %+v", got)
	}
	a.checkUnchanged(t, "second pending offer", "INVALID_STATE", client, sendOfferMutation,
		map[string]any{"in": map[string]any{"proposalId": prop}}, "already pending")

	// Withdraw: the proposal goes back to SUBMITTED (no room was opened).
	var w struct{ WithdrawOffer struct{ Offer offerJSON } }
	a.ok(client, withdrawOfferMutation, map[string]any{"id": o1.ID}, &w)
	if w.WithdrawOffer.Offer.Status != "WITHDRAWN" || w.WithdrawOffer.Offer.RespondedAt == nil {
		t.Errorf("withdrawn offer: %+v", w.WithdrawOffer.Offer)
	}
	if got := a.offer(client, o1.ID); got.Proposal.Status != "SUBMITTED" {
		t.Errorf("proposal after withdrawal: %s", got.Proposal.Status)
	}
	a.checkUnchanged(t, "withdraw twice", "INVALID_STATE", client, withdrawOfferMutation, map[string]any{"id": o1.ID})
	a.checkUnchanged(t, "accept a withdrawn offer", "INVALID_STATE", fr, acceptOfferMutation, map[string]any{"id": o1.ID})

	// Send again with other terms; decline: the client is notified.
	o2, status := a.sendOffer(client, map[string]any{"proposalId": prop, "terms": map[string]any{"hourlyRate": map[string]any{"amount": "50"}}})
	if status != "OFFERED" || o2.Terms.HourlyRate == nil || o2.Terms.HourlyRate.Amount != "50.00" || o2.Terms.EstimatedDuration != nil || o2.WeeklyLimitHours != nil {
		t.Errorf("second offer: %+v (proposal %s)", o2, status)
	}
	var dec struct{ DeclineOffer struct{ Offer offerJSON } }
	a.ok(fr, declineOfferMutation, map[string]any{"id": o2.ID, "m": "The rate is too low for this scope."}, &dec)
	if d := dec.DeclineOffer.Offer; d.Status != "DECLINED" || d.DeclineMessage != "The rate is too low for this scope." || d.RespondedAt == nil {
		t.Errorf("declined offer: %+v", d)
	}
	if n := a.notificationsOf(hiring.DemoClient, "OFFER_DECLINED", "OFFER"); n != 1 {
		t.Errorf("want the client notified of the decline, got %d", n)
	}
	if got := a.offer(client, o2.ID); got.Proposal.Status != "SUBMITTED" {
		t.Errorf("proposal after decline: %s", got.Proposal.Status)
	}

	// Send again, terms left out; accept: a contract starts.
	o3, _ := a.sendOffer(client, map[string]any{"proposalId": prop, "weeklyLimitHours": 30})
	a.Clock.Advance(time.Hour)
	acc, k := a.acceptOffer(fr, o3.ID)
	if acc.Status != "ACCEPTED" || acc.RespondedAt == nil || acc.Contract == nil || acc.Contract.ID != k.ID {
		t.Errorf("accepted offer: %+v", acc)
	}
	if k.Status != "ACTIVE" || k.ContractType != "HOURLY" || k.Terms.HourlyRate == nil || k.Terms.HourlyRate.Amount != "55.00" ||
		k.WeeklyLimitHours == nil || *k.WeeklyLimitHours != 30 || k.Freelancer.Name != "Frankie Freelancer" || k.Client.Name != "Casey Client" ||
		k.Agency != nil || k.Offer.ID != o3.ID || k.Proposal.ID != prop || k.Proposal.Status != "HIRED" ||
		k.StartedAt != "2026-11-02T11:00:00Z" || k.TotalBonus.Amount != "0.00" || k.TotalBonus.Currency != "USD" ||
		len(k.Bonuses) != 0 || len(k.TimeEntries) != 0 {
		t.Errorf("contract: %+v", k)
	}
	if n := a.notificationsOf(hiring.DemoClient, "OFFER_ACCEPTED", "CONTRACT"); n != 1 {
		t.Errorf("want the client notified of the acceptance, got %d", n)
	}
	got := a.offer(client, o3.ID)
	if got.Proposal.Status != "HIRED" || got.Proposal.Contract == nil || got.Proposal.Contract.ID != k.ID || len(got.Proposal.Offers) != 3 ||
		got.Proposal.Offers[0].ID != o3.ID || got.Proposal.Offers[1].ID != o2.ID || got.Proposal.Offers[2].ID != o1.ID {
		t.Errorf("proposal after accept (offers newest first): %+v", got.Proposal)
	}
	if a.offer(client, o2.ID).Contract != nil {
		t.Errorf("a declined offer has no contract")
	}

	// Nothing more happens to an accepted offer.
	a.checkUnchanged(t, "second accept", "INVALID_STATE", fr, acceptOfferMutation, map[string]any{"id": o3.ID})
	a.checkUnchanged(t, "decline after accept", "INVALID_STATE", fr, declineOfferMutation, map[string]any{"id": o3.ID})
	a.checkUnchanged(t, "withdraw after accept", "INVALID_STATE", client, withdrawOfferMutation, map[string]any{"id": o3.ID})
	a.checkUnchanged(t, "offer on a hired proposal", "INVALID_STATE", client, sendOfferMutation, map[string]any{"in": map[string]any{"proposalId": prop}})

	// Reads: both parties list and read the contract; an outsider does not.
	for _, tok := range []string{client, fr} {
		var l struct {
			Contracts struct {
				TotalCount int
				Edges      []struct{ Node contractJSON }
			}
		}
		a.ok(tok, contractsQuery, nil, &l)
		if l.Contracts.TotalCount != 1 || l.Contracts.Edges[0].Node.ID != k.ID {
			t.Errorf("contracts: %+v", l.Contracts)
		}
		if c := a.contract(tok, k.ID); c.ID != k.ID {
			t.Errorf("contract(id): %+v", c)
		}
	}
	var none struct{ Contracts struct{ TotalCount int } }
	a.ok(owner, contractsQuery, nil, &none)
	if none.Contracts.TotalCount != 0 {
		t.Errorf("an outsider lists no contracts, got %d", none.Contracts.TotalCount)
	}
	a.fails("NOT_FOUND", owner, contractQuery, map[string]any{"id": k.ID})
	a.fails("NOT_FOUND", owner, offerQuery, map[string]any{"id": o3.ID})

	// A freelancer on their own (no agency) logs tracked time; the client does not.
	var lt struct {
		LogTime struct {
			TimeEntry struct {
				Kind    string
				Minutes int
			}
		}
	}
	a.ok(fr, logTimeMutation, map[string]any{"in": map[string]any{"contractId": k.ID, "minutes": 90, "memo": "Map view"}}, &lt)
	if lt.LogTime.TimeEntry.Kind != "TRACKED" || lt.LogTime.TimeEntry.Minutes != 90 {
		t.Errorf("tracked time: %+v", lt.LogTime.TimeEntry)
	}
	a.checkUnchanged(t, "client logs time", "FORBIDDEN", client, logTimeMutation, map[string]any{"in": map[string]any{"contractId": k.ID, "minutes": 30, "manual": true}})
	a.checkUnchanged(t, "outsider logs time", "NOT_FOUND", owner, logTimeMutation, map[string]any{"in": map[string]any{"contractId": k.ID, "minutes": 30, "manual": true}})
}

// TestOfferAgency: R19 on an agency proposal: the member who submitted may
// not accept, nor may the owner or the client; the business manager does. The
// contract names the member and the agency. R19a: a fixed-price contract
// has no time tracking.
func TestOfferAgency(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	member := a.login(hiring.DemoMember)
	manager := a.login(hiring.DemoManager)
	owner := a.login(hiring.DemoOwner)
	fr := a.login(hiring.DemoFreelancer)
	prop := a.memberProposal(member)

	a.checkUnchanged(t, "weekly limit on a fixed offer", "VALIDATION_FAILED", client, sendOfferMutation,
		map[string]any{"in": map[string]any{"proposalId": prop, "weeklyLimitHours": 10}}, "input.weeklyLimitHours")
	o, status := a.sendOffer(client, map[string]any{"proposalId": prop, "message": "Can you start this week?"})
	if status != "OFFERED" || o.Terms.FixedPrice == nil || o.Terms.FixedPrice.Amount != "400.00" || o.Freelancer.Name != "Mia Member" {
		t.Fatalf("offer on the agency proposal: %+v", o)
	}
	// The member and the business manager hear of it; the owner does not.
	for email, want := range map[string]int{hiring.DemoMember: 1, hiring.DemoManager: 1, hiring.DemoOwner: 0} {
		if n := a.notificationsOf(email, "OFFER_RECEIVED", "OFFER"); n != want {
			t.Errorf("%s: want %d offer notifications, got %d", email, want, n)
		}
	}
	// Agency staff read the offer; the member too, as its freelancer.
	for _, tok := range []string{member, manager, owner} {
		if got := a.offer(tok, o.ID); got.ID != o.ID {
			t.Errorf("offer read: %+v", got)
		}
	}

	a.checkUnchanged(t, "member accepts", "FORBIDDEN", member, acceptOfferMutation, map[string]any{"id": o.ID}, "business manager")
	a.checkUnchanged(t, "member declines", "FORBIDDEN", member, declineOfferMutation, map[string]any{"id": o.ID})
	a.checkUnchanged(t, "owner accepts", "FORBIDDEN", owner, acceptOfferMutation, map[string]any{"id": o.ID})
	a.checkUnchanged(t, "client accepts", "FORBIDDEN", client, acceptOfferMutation, map[string]any{"id": o.ID})
	a.checkUnchanged(t, "outsider accepts", "NOT_FOUND", fr, acceptOfferMutation, map[string]any{"id": o.ID})
	a.checkUnchanged(t, "member withdraws", "FORBIDDEN", member, withdrawOfferMutation, map[string]any{"id": o.ID})

	_, k := a.acceptOffer(manager, o.ID)
	if k.Status != "ACTIVE" || k.ContractType != "FIXED" || k.Freelancer.Name != "Mia Member" || k.Agency == nil ||
		k.Agency.Name != "Northwind Studio" || k.Terms.FixedPrice == nil || k.Terms.FixedPrice.Amount != "400.00" || k.Proposal.Status != "HIRED" {
		t.Errorf("agency contract: %+v", k)
	}
	var responded string
	if err := a.DB.Get(&responded, `SELECT u.email FROM offers o JOIN users u ON u.id = o.responded_by WHERE o.status = 'ACCEPTED'`); err != nil || responded != hiring.DemoManager {
		t.Errorf("responded_by: %q %v", responded, err)
	}
	// Contracts list: the client, the member named on it, and the agency's staff.
	for _, tok := range []string{client, member, manager, owner} {
		var l struct{ Contracts struct{ TotalCount int } }
		a.ok(tok, contractsQuery, nil, &l)
		if l.Contracts.TotalCount != 1 {
			t.Errorf("want 1 contract listed, got %d", l.Contracts.TotalCount)
		}
	}
	a.checkUnchanged(t, "time on a fixed contract", "INVALID_STATE", member, logTimeMutation,
		map[string]any{"in": map[string]any{"contractId": k.ID, "minutes": 60}}, "a fixed-price contract has no time tracking")
}

// TestBonusAndTime: R19a on an hourly agency contract: the client pays
// bonuses (listed, summed, the freelancer and the business manager
// notified); only the freelancer named on the contract logs tracked time,
// other agency members log manual time, and the client logs none.
func TestBonusAndTime(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	member := a.login(hiring.DemoMember)
	manager := a.login(hiring.DemoManager)
	owner := a.login(hiring.DemoOwner)
	fr := a.login(hiring.DemoFreelancer)
	prop := a.hourlyAgencyProposal(client, member)
	o, _ := a.sendOffer(client, map[string]any{"proposalId": prop, "weeklyLimitHours": 25})
	_, k := a.acceptOffer(manager, o.ID)
	if k.ContractType != "HOURLY" || k.Freelancer.Name != "Mia Member" || k.Terms.HourlyRate.Amount != "50.00" {
		t.Fatalf("hourly agency contract: %+v", k)
	}

	bonus := func(amount, note string) contractJSON {
		t.Helper()
		var d struct {
			PayBonus struct {
				Bonus struct {
					Amount moneyJSON
					Note   string
				}
				Contract contractJSON
			}
		}
		a.ok(client, payBonusMutation, map[string]any{"in": map[string]any{"contractId": k.ID, "amount": map[string]any{"amount": amount}, "note": note}}, &d)
		if d.PayBonus.Bonus.Note != note {
			t.Errorf("bonus: %+v", d.PayBonus.Bonus)
		}
		return d.PayBonus.Contract
	}
	bonus("150", "Great first week")
	after := bonus("25.50", "Weekend fix")
	if after.TotalBonus.Amount != "175.50" || len(after.Bonuses) != 2 || after.Bonuses[0].Amount.Amount != "150.00" || after.Bonuses[1].Note != "Weekend fix" {
		t.Errorf("bonuses (in the order paid) and total: %+v %+v", after.Bonuses, after.TotalBonus)
	}
	for email, want := range map[string]int{hiring.DemoMember: 2, hiring.DemoManager: 2, hiring.DemoOwner: 0} {
		if n := a.notificationsOf(email, "BONUS_PAID", "CONTRACT"); n != want {
			t.Errorf("%s: want %d bonus notifications, got %d", email, want, n)
		}
	}
	payVars := func(amount string) map[string]any {
		return map[string]any{"in": map[string]any{"contractId": k.ID, "amount": map[string]any{"amount": amount}}}
	}
	a.checkUnchanged(t, "zero bonus", "VALIDATION_FAILED", client, payBonusMutation, payVars("0"), "input.amount.amount")
	a.checkUnchanged(t, "negative bonus", "VALIDATION_FAILED", client, payBonusMutation, payVars("-5.00"), "input.amount.amount")
	a.checkUnchanged(t, "bonus over the cap", "VALIDATION_FAILED", client, payBonusMutation, payVars("100000.01"), "input.amount.amount")
	a.checkUnchanged(t, "three decimals", "VALIDATION_FAILED", client, payBonusMutation, payVars("1.005"), "input.amount.amount")
	a.checkUnchanged(t, "manager pays a bonus", "FORBIDDEN", manager, payBonusMutation, payVars("10"))
	a.checkUnchanged(t, "freelancer pays a bonus", "FORBIDDEN", member, payBonusMutation, payVars("10"))
	a.checkUnchanged(t, "outsider pays a bonus", "NOT_FOUND", fr, payBonusMutation, payVars("10"))

	logTime := func(tok string, minutes int, manual bool) string {
		t.Helper()
		var d struct {
			LogTime struct{ TimeEntry struct{ Kind string } }
		}
		a.ok(tok, logTimeMutation, map[string]any{"in": map[string]any{"contractId": k.ID, "minutes": minutes, "memo": "work", "manual": manual}}, &d)
		return d.LogTime.TimeEntry.Kind
	}
	timeVars := func(minutes int, manual bool) map[string]any {
		return map[string]any{"in": map[string]any{"contractId": k.ID, "minutes": minutes, "manual": manual}}
	}
	if kind := logTime(member, 120, false); kind != "TRACKED" {
		t.Errorf("the named freelancer's tracked time: %s", kind)
	}
	a.checkUnchanged(t, "manager tracked", "FORBIDDEN", manager, logTimeMutation, timeVars(60, false), "manual")
	a.checkUnchanged(t, "owner tracked", "FORBIDDEN", owner, logTimeMutation, timeVars(60, false))
	if kind := logTime(manager, 45, true); kind != "MANUAL" {
		t.Errorf("the manager's manual time: %s", kind)
	}
	if kind := logTime(owner, 30, true); kind != "MANUAL" {
		t.Errorf("the owner's manual time: %s", kind)
	}
	a.checkUnchanged(t, "client tracked", "FORBIDDEN", client, logTimeMutation, timeVars(60, false))
	a.checkUnchanged(t, "client manual", "FORBIDDEN", client, logTimeMutation, timeVars(60, true))
	a.checkUnchanged(t, "outsider", "NOT_FOUND", fr, logTimeMutation, timeVars(60, true))
	a.checkUnchanged(t, "zero minutes", "VALIDATION_FAILED", member, logTimeMutation, timeVars(0, false), "input.minutes")
	a.checkUnchanged(t, "over a day", "VALIDATION_FAILED", member, logTimeMutation, timeVars(1441, false), "input.minutes")

	c := a.contract(client, k.ID)
	if len(c.TimeEntries) != 3 || c.TimeEntries[0].User.Name != "Olivia Owner" || c.TimeEntries[1].User.Name != "Manny Manager" ||
		c.TimeEntries[2].User.Name != "Mia Member" || c.TimeEntries[2].Kind != "TRACKED" || c.TimeEntries[2].Minutes != 120 {
		t.Errorf("time entries, newest first: %+v", c.TimeEntries)
	}
}

// TestOfferErrors: bad input and wrong actors get clear codes, and a failed
// mutation changes nothing (SPEC "API conventions").
func TestOfferErrors(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	client := a.login(hiring.DemoClient)
	owner := a.login(hiring.DemoOwner)
	prop := a.freelancerProposal(fr, nil)
	send := func(in map[string]any) map[string]any {
		in["proposalId"] = prop
		return map[string]any{"in": in}
	}

	a.checkUnchanged(t, "unauthenticated", "UNAUTHENTICATED", "", sendOfferMutation, send(map[string]any{}))
	a.checkUnchanged(t, "outsider sends", "NOT_FOUND", owner, sendOfferMutation, send(map[string]any{}))
	a.checkUnchanged(t, "freelancer sends", "FORBIDDEN", fr, sendOfferMutation, send(map[string]any{}))
	a.checkUnchanged(t, "bad id", "VALIDATION_FAILED", client, sendOfferMutation, map[string]any{"in": map[string]any{"proposalId": "nope"}}, "input.proposalId")
	a.checkUnchanged(t, "unknown proposal", "NOT_FOUND", client, sendOfferMutation, map[string]any{"in": map[string]any{"proposalId": "UHJvcG9zYWw6OTk5OQ"}})
	a.checkUnchanged(t, "wrong terms kind", "VALIDATION_FAILED", client, sendOfferMutation,
		send(map[string]any{"terms": map[string]any{"fixedPrice": map[string]any{"amount": "500"}}}), "input.terms.hourlyRate")
	a.checkUnchanged(t, "zero rate", "VALIDATION_FAILED", client, sendOfferMutation,
		send(map[string]any{"terms": map[string]any{"hourlyRate": map[string]any{"amount": "0"}}}), "input.terms.hourlyRate.amount")
	a.checkUnchanged(t, "weekly limit 0", "VALIDATION_FAILED", client, sendOfferMutation, send(map[string]any{"weeklyLimitHours": 0}), "input.weeklyLimitHours")
	a.checkUnchanged(t, "weekly limit 169", "VALIDATION_FAILED", client, sendOfferMutation, send(map[string]any{"weeklyLimitHours": 169}), "input.weeklyLimitHours")
	a.checkUnchanged(t, "message too long", "VALIDATION_FAILED", client, sendOfferMutation, send(map[string]any{"message": strings.Repeat("x", 5001)}), "input.message")
	a.checkUnchanged(t, "R17 email in offer", "CONTACT_INFO_NOT_ALLOWED", client, sendOfferMutation,
		send(map[string]any{"message": "Mail me at casey.client@gmail.com"}), "casey.client@gmail.com")

	o, _ := a.sendOffer(client, map[string]any{"proposalId": prop})
	a.checkUnchanged(t, "R17 phone in decline", "CONTACT_INFO_NOT_ALLOWED", fr, declineOfferMutation,
		map[string]any{"id": o.ID, "m": "Call me on +1 415 555 0134 instead"}, "input.message")
	a.checkUnchanged(t, "freelancer withdraws", "FORBIDDEN", fr, withdrawOfferMutation, map[string]any{"id": o.ID})
	a.checkUnchanged(t, "client declines", "FORBIDDEN", client, declineOfferMutation, map[string]any{"id": o.ID})
	a.checkUnchanged(t, "outsider withdraws", "NOT_FOUND", owner, withdrawOfferMutation, map[string]any{"id": o.ID})
	a.checkUnchanged(t, "offer id of another kind", "VALIDATION_FAILED", fr, acceptOfferMutation, map[string]any{"id": prop}, "input.offerId")

	// A job that closed (closeJob belongs to another area: closed here in SQL) takes no answer.
	if _, err := a.DB.Exec(`UPDATE jobs SET status = 'CLOSED', close_result = 'NO_HIRE' WHERE id = (SELECT job_id FROM proposals LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	a.checkUnchanged(t, "accept on a closed job", "INVALID_STATE", fr, acceptOfferMutation, map[string]any{"id": o.ID}, "closed")
	a.checkUnchanged(t, "decline on a closed job", "INVALID_STATE", fr, declineOfferMutation, map[string]any{"id": o.ID})
}

// TestOfferRespondConcurrently: R19, ten simultaneous accepts, declines and
// withdrawals of one offer yield exactly one outcome and at most one contract.
func TestOfferRespondConcurrently(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	client := a.login(hiring.DemoClient)
	prop := a.freelancerProposal(fr, nil)
	o, _ := a.sendOffer(client, map[string]any{"proposalId": prop})

	var wg sync.WaitGroup
	results := make([]*response, 10)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch i % 3 {
			case 0:
				results[i] = a.post(fr, acceptOfferMutation, map[string]any{"id": o.ID})
			case 1:
				results[i] = a.post(fr, declineOfferMutation, map[string]any{"id": o.ID, "m": "No, thanks."})
			default:
				results[i] = a.post(client, withdrawOfferMutation, map[string]any{"id": o.ID})
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
	contracts := a.count(`SELECT count(*) FROM contracts`)
	var status, proposal string
	if err := a.DB.QueryRow(`SELECT o.status, p.status FROM offers o JOIN proposals p ON p.id = o.proposal_id`).Scan(&status, &proposal); err != nil {
		t.Fatal(err)
	}
	switch status {
	case "ACCEPTED":
		if contracts != 1 || proposal != "HIRED" {
			t.Errorf("accepted: want 1 contract and a HIRED proposal, got %d and %s", contracts, proposal)
		}
	case "DECLINED", "WITHDRAWN":
		if contracts != 0 || proposal != "SUBMITTED" {
			t.Errorf("%s: want no contract and a SUBMITTED proposal, got %d and %s", status, contracts, proposal)
		}
	default:
		t.Errorf("offer left %s", status)
	}
}

// TestContractsStatementCount: listing contracts with every relation costs
// the same number of SQL statements for 1 contract and for 50 (dataloaders).
func TestContractsStatementCount(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	var me struct {
		Viewer struct{ User struct{ ID string } }
	}
	a.ok(fr, `{ viewer { user { id } } }`, nil, &me)

	// A second server over the same database whose requests count statements.
	var n atomic.Int64
	tokens, err := auth.NewTokens("test-secret-0123456789", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(server.Deps{DB: a.DB, Hiring: a.Hiring, Tokens: tokens}, countingOptions())
	counted := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(postgres.WithStatementCounter(r.Context(), &n)))
	}))
	t.Cleanup(counted.Close)
	ca := *a
	ca.URL = counted.URL

	const list = `{ contracts(first: 100) { totalCount edges { node { ` + contractFields + `
		offer { ` + offerFields + ` proposal { id offers { id } contract { id } } } } } } }`
	measure := func() int64 {
		n.Store(0)
		var d struct{ Contracts struct{ TotalCount int } }
		ca.ok(client, list, nil, &d)
		return n.Load()
	}
	hire := func(i int) {
		var job struct {
			PostJob struct{ Job struct{ ID string } }
		}
		a.ok(client, `mutation($in: PostJobInput!) { postJob(input: $in) { job { id } } }`, map[string]any{"in": map[string]any{
			"title": fmt.Sprintf("Small job %d", i), "description": "Work", "contractType": "HOURLY",
			"hourlyRange": map[string]any{"min": map[string]any{"amount": "20"}, "max": map[string]any{"amount": "40"}}, "connectsRequired": 0,
		}}, &job)
		var inv struct {
			InviteFreelancer struct{ Invitation struct{ ID string } }
		}
		a.ok(client, `mutation($j: ID!, $f: ID!) { inviteFreelancer(input: {jobId: $j, freelancerId: $f}) { invitation { id } } }`,
			map[string]any{"j": job.PostJob.Job.ID, "f": me.Viewer.User.ID}, &inv)
		var acc struct {
			AcceptInvitation struct{ Proposal struct{ ID string } }
		}
		a.ok(fr, acceptMutation, map[string]any{"in": map[string]any{"invitationId": inv.InviteFreelancer.Invitation.ID, "coverLetter": "Sure."}}, &acc)
		o, _ := a.sendOffer(client, map[string]any{"proposalId": acc.AcceptInvitation.Proposal.ID})
		_, k := a.acceptOffer(fr, o.ID)
		a.ok(client, payBonusMutation, map[string]any{"in": map[string]any{"contractId": k.ID, "amount": map[string]any{"amount": "5"}}}, nil)
		a.ok(fr, logTimeMutation, map[string]any{"in": map[string]any{"contractId": k.ID, "minutes": 15}}, nil)
	}
	hire(0)
	one := measure()
	for i := 1; i < 50; i++ {
		hire(i)
	}
	// Every relation is batched: 50 contracts cost what 1 costs.
	fifty := measure()
	if fifty != one {
		t.Errorf("statements: %d for 1 contract, %d for 50", one, fifty)
	}
	t.Logf("contracts list: %d statements for 1 contract, %d for 50", one, fifty)
}
