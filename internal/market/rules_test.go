package market_test

// Table tests of the rules that hiring used to write inline: who may see or
// act on what (each refusal a market function), reasons, the Connects
// charge, bonus totals, the recommendations' page size and event topics.

import (
	"testing"

	"github.com/hiregraph/hiregraph/internal/market"
)

// People of the tables below.
const (
	whoClient     = int64(1)
	whoFreelancer = int64(2)
	whoSubmitter  = int64(3) // an agency member who submitted for the freelancer
	whoStaffer    = int64(4)
	whoOutsider   = int64(9)
)

var whoAgency = offerPtr(int64(50))

func TestProposalCanView(t *testing.T) {
	solo := &market.Proposal{FreelancerID: whoFreelancer, SubmittedBy: whoFreelancer}
	viaAgency := &market.Proposal{FreelancerID: whoFreelancer, SubmittedBy: whoSubmitter, AgencyID: whoAgency}
	for _, tc := range []struct {
		name string
		p    *market.Proposal
		user int64
		role market.AgencyRole
		want bool
	}{
		{"freelancer", solo, whoFreelancer, "", true},
		{"job's client", solo, whoClient, "", true},
		{"outsider", solo, whoOutsider, "", false},
		{"staff role without an agency", solo, whoStaffer, market.RoleOwner, false},
		{"submitter", viaAgency, whoSubmitter, market.RoleMember, true},
		{"agency owner", viaAgency, whoStaffer, market.RoleOwner, true},
		{"agency business manager", viaAgency, whoStaffer, market.RoleBusinessManager, true},
		{"agency member", viaAgency, whoStaffer, market.RoleMember, false},
		{"agency outsider", viaAgency, whoOutsider, "", false},
	} {
		if got := tc.p.CanView(tc.user, tc.role, whoClient); got != tc.want {
			t.Errorf("%s: CanView = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestProposalAuthorizeClientAction(t *testing.T) {
	job := &market.Job{ClientID: whoClient}
	p := &market.Proposal{FreelancerID: whoFreelancer, SubmittedBy: whoSubmitter, AgencyID: whoAgency}
	for _, tc := range []struct {
		name string
		user int64
		role market.AgencyRole
		want market.Code
	}{
		{"client", whoClient, "", ""},
		{"freelancer: sees it, may not act", whoFreelancer, market.RoleMember, market.CodeForbidden},
		{"submitter", whoSubmitter, market.RoleMember, market.CodeForbidden},
		{"agency business manager", whoStaffer, market.RoleBusinessManager, market.CodeForbidden},
		{"agency member: does not see it", whoStaffer, market.RoleMember, market.CodeNotFound},
		{"outsider: does not see it", whoOutsider, "", market.CodeNotFound},
	} {
		if got := offerCode(p.AuthorizeClientAction(tc.user, tc.role, job, "send an offer")); got != tc.want {
			t.Errorf("%s: want %q, got %q", tc.name, tc.want, got)
		}
	}
}

func TestInvitationAuthorizations(t *testing.T) {
	solo := &market.Invitation{FreelancerID: whoFreelancer, ClientID: whoClient, Status: market.InvitationPending}
	viaAgency := &market.Invitation{FreelancerID: whoFreelancer, ClientID: whoClient, AgencyID: whoAgency, Status: market.InvitationPending}
	declined := &market.Invitation{FreelancerID: whoFreelancer, ClientID: whoClient, Status: market.InvitationDeclined}
	openJob := &market.Job{ClientID: whoClient, Status: market.JobOpen}
	closedJob := &market.Job{ClientID: whoClient, Status: market.JobClosed}
	for _, tc := range []struct {
		name string
		err  error
		want market.Code
	}{
		{"accept: invitee", solo.AuthorizeAccept(whoFreelancer, nil), ""},
		{"accept: someone else, no agency", solo.AuthorizeAccept(whoStaffer, nil), market.CodeForbidden},
		{"accept: someone else for an agency (SubmissionAgency decides)", solo.AuthorizeAccept(whoStaffer, whoAgency), ""},
		{"accept: someone else, invitation through an agency", viaAgency.AuthorizeAccept(whoStaffer, nil), ""},
		{"accept: the client", solo.AuthorizeAccept(whoClient, nil), market.CodeForbidden},
		{"mark seen: invitee", solo.AuthorizeMarkSeen(whoFreelancer), ""},
		{"mark seen: the client", solo.AuthorizeMarkSeen(whoClient), market.CodeForbidden},
		{"mark seen: agency staff", viaAgency.AuthorizeMarkSeen(whoStaffer), market.CodeForbidden},
		{"withdraw: the client", solo.AuthorizeWithdraw(whoClient), ""},
		{"withdraw: the invitee", solo.AuthorizeWithdraw(whoFreelancer), market.CodeForbidden},
		{"respond: invitee", solo.CanRespond(whoFreelancer, "", openJob), ""},
		{"respond: agency business manager", viaAgency.CanRespond(whoStaffer, market.RoleBusinessManager, openJob), ""},
		{"respond: agency owner", viaAgency.CanRespond(whoStaffer, market.RoleOwner, openJob), market.CodeForbidden},
		{"respond: the client", solo.CanRespond(whoClient, "", openJob), market.CodeForbidden},
		{"respond: job closed", solo.CanRespond(whoFreelancer, "", closedJob), market.CodeInvalidState},
		{"respond: not pending", declined.CanRespond(whoFreelancer, "", openJob), market.CodeInvalidState},
		{"respond: the client, job closed (refused first)", solo.CanRespond(whoClient, "", closedJob), market.CodeForbidden},
		{"not blocked", market.RequireNotBlocked(false), ""},
		{"blocked", market.RequireNotBlocked(true), market.CodeForbidden},
	} {
		if got := offerCode(tc.err); got != tc.want {
			t.Errorf("%s: want %q, got %q (%v)", tc.name, tc.want, got, tc.err)
		}
	}
}

// TestSubmissionAgencyUsesAuthorizeAccept: without an whoAgency the refusal is
// AuthorizeAccept's, word for word.
func TestSubmissionAgencyUsesAuthorizeAccept(t *testing.T) {
	inv := &market.Invitation{FreelancerID: whoFreelancer, ClientID: whoClient}
	_, got := market.SubmissionAgency(inv, whoStaffer, nil, "", "")
	want := inv.AuthorizeAccept(whoStaffer, nil)
	if got == nil || want == nil || got.Error() != want.Error() {
		t.Errorf("SubmissionAgency = %v, AuthorizeAccept = %v", got, want)
	}
}

func TestOfferAndContractAuthorizations(t *testing.T) {
	o := &market.Offer{ClientID: whoClient}
	solo := &market.Contract{ClientID: whoClient, FreelancerID: whoFreelancer, ContractType: market.ContractHourly}
	viaAgency := &market.Contract{ClientID: whoClient, FreelancerID: whoFreelancer, AgencyID: whoAgency, ContractType: market.ContractHourly}
	for _, tc := range []struct {
		name string
		err  error
		want market.Code
	}{
		{"withdraw offer: its client", o.AuthorizeWithdraw(whoClient), ""},
		{"withdraw offer: anyone else", o.AuthorizeWithdraw(whoFreelancer), market.CodeForbidden},
		{"bonus: client", solo.AuthorizeBonus(whoClient, ""), ""},
		{"bonus: freelancer", solo.AuthorizeBonus(whoFreelancer, ""), market.CodeForbidden},
		{"bonus: agency staff", viaAgency.AuthorizeBonus(whoStaffer, market.RoleBusinessManager), market.CodeForbidden},
		{"bonus: agency member (does not see it)", viaAgency.AuthorizeBonus(whoStaffer, market.RoleMember), market.CodeNotFound},
		{"bonus: outsider", solo.AuthorizeBonus(whoOutsider, ""), market.CodeNotFound},
	} {
		if got := offerCode(tc.err); got != tc.want {
			t.Errorf("%s: want %q, got %q (%v)", tc.name, tc.want, got, tc.err)
		}
	}
	for _, tc := range []struct {
		name     string
		k        *market.Contract
		user     int64
		role     market.AgencyRole
		manual   bool
		wantKind market.TimeEntryKind
		want     market.Code
	}{
		{"freelancer tracked", solo, whoFreelancer, "", false, market.TimeTracked, ""},
		{"freelancer manual", solo, whoFreelancer, "", true, market.TimeManual, ""},
		{"agency member manual (cannot read it, may log)", viaAgency, whoStaffer, market.RoleMember, true, market.TimeManual, ""},
		{"agency member tracked", viaAgency, whoStaffer, market.RoleMember, false, "", market.CodeForbidden},
		{"client", solo, whoClient, "", true, "", market.CodeForbidden},
		{"outsider", solo, whoOutsider, "", true, "", market.CodeNotFound},
		{"outsider of an agency contract", viaAgency, whoOutsider, "", true, "", market.CodeNotFound},
	} {
		kind, err := tc.k.AuthorizeTimeLog(tc.user, tc.role, tc.manual)
		if got := offerCode(err); got != tc.want || kind != tc.wantKind {
			t.Errorf("%s: want %q %q, got %q %q", tc.name, tc.wantKind, tc.want, kind, got)
		}
	}
}

func TestRequireStaff(t *testing.T) {
	for role, want := range map[market.AgencyRole]market.Code{
		market.RoleOwner: "", market.RoleBusinessManager: "", market.RoleMember: market.CodeNotFound, "": market.CodeNotFound,
	} {
		if got := offerCode(role.RequireStaff()); got != want {
			t.Errorf("%q: want %q, got %q", role, want, got)
		}
	}
}

func TestCheckReason(t *testing.T) {
	decline := &market.Reason{ID: 1, Kind: market.ReasonInvitationDecline, Label: "Too busy", Active: true}
	other := &market.Reason{ID: 2, Kind: market.ReasonInvitationDecline, Label: "Other", Active: true, RequiresMessage: true}
	retired := &market.Reason{ID: 3, Kind: market.ReasonInvitationDecline, Label: "Old", Active: false}
	long := string(make([]rune, market.MaxMessageLen+1))
	for _, tc := range []struct {
		name    string
		r       *market.Reason
		kind    market.ReasonKind
		message string
		want    market.Code
		field   string
		wantMsg string
	}{
		{"listed, no message", decline, market.ReasonInvitationDecline, "", "", "", ""},
		{"message trimmed", decline, market.ReasonInvitationDecline, "  thanks  ", "", "", "thanks"},
		{"no such reason", nil, market.ReasonInvitationDecline, "", market.CodeValidationFailed, "input.reasonId", ""},
		{"another list's", decline, market.ReasonProposalWithdrawal, "", market.CodeValidationFailed, "input.reasonId", ""},
		{"inactive", retired, market.ReasonInvitationDecline, "", market.CodeValidationFailed, "input.reasonId", ""},
		{"Other without a message", other, market.ReasonInvitationDecline, "   ", market.CodeValidationFailed, "input.message", ""},
		{"Other with one", other, market.ReasonInvitationDecline, "moving", "", "", "moving"},
		{"message too long", decline, market.ReasonInvitationDecline, long, market.CodeValidationFailed, "input.message", ""},
	} {
		msg, err := market.CheckReason(tc.r, tc.kind, "declineReasons", tc.message)
		if got := offerCode(err); got != tc.want {
			t.Errorf("%s: want %q, got %q (%v)", tc.name, tc.want, got, err)
			continue
		}
		if err != nil {
			var me *market.Error
			if e, ok := err.(*market.Error); ok {
				me = e
			}
			if me == nil || me.Field != tc.field {
				t.Errorf("%s: want field %q, got %v", tc.name, tc.field, err)
			}
		} else if msg != tc.wantMsg {
			t.Errorf("%s: message %q, want %q", tc.name, msg, tc.wantMsg)
		}
	}
}

func TestConnects(t *testing.T) {
	if got := market.ConnectsOwnerOf(whoFreelancer, nil); got != (market.ConnectsOwner{UserID: whoFreelancer}) {
		t.Errorf("solo owner = %+v", got)
	}
	if got := market.ConnectsOwnerOf(whoFreelancer, whoAgency); got != (market.ConnectsOwner{AgencyID: *whoAgency}) {
		t.Errorf("agency owner = %+v", got)
	}
	p := &market.Proposal{FreelancerID: whoFreelancer, AgencyID: whoAgency}
	if p.ConnectsOwner() != market.ConnectsOwnerOf(whoFreelancer, whoAgency) {
		t.Error("Proposal.ConnectsOwner differs from ConnectsOwnerOf")
	}
	job := &market.Job{ConnectsRequired: 6}
	if got := market.InvitationCost(job, true); got != 6 {
		t.Errorf("charged cost = %d, want 6", got)
	}
	if got := market.InvitationCost(job, false); got != 0 {
		t.Errorf("uncharged cost = %d, want 0", got)
	}
	for _, tc := range []struct {
		cost, balance, after int
		want                 market.Code
	}{
		{6, 10, 4, ""},
		{6, 6, 0, ""},
		{0, 0, 0, ""},
		{6, 5, 5, market.CodeInsufficientConnects},
	} {
		after, err := market.ChargeConnects("accepting this invitation", tc.cost, tc.balance)
		if got := offerCode(err); got != tc.want || after != tc.after {
			t.Errorf("charge %d of %d: want %d %q, got %d %q", tc.cost, tc.balance, tc.after, tc.want, after, got)
		}
		if err != nil {
			me := err.(*market.Error)
			if me.Details["required"] != tc.cost || me.Details["balance"] != tc.balance {
				t.Errorf("charge %d of %d: details %v", tc.cost, tc.balance, me.Details)
			}
			if want := "accepting this invitation costs 6 Connects; the balance is 5"; me.Message != want {
				t.Errorf("message %q, want %q", me.Message, want)
			}
		}
	}
}

func TestTotalBonus(t *testing.T) {
	if got := market.TotalBonus(nil); got != market.USD(0) {
		t.Errorf("no bonuses: %v", got)
	}
	bs := []*market.Bonus{{Amount: market.USD(1000)}, {Amount: market.USD(250)}, {Amount: market.USD(1)}}
	if got := market.TotalBonus(bs); got != market.USD(1251) {
		t.Errorf("total = %v, want 12.51 USD", got)
	}
}

func TestRecommendationCount(t *testing.T) {
	for _, tc := range []struct {
		first *int
		n     int
		want  market.Code
	}{
		{nil, market.DefaultRecommendations, ""},
		{offerPtr(0), 0, ""},
		{offerPtr(market.MaxRecommendations), market.MaxRecommendations, ""},
		{offerPtr(market.MaxRecommendations + 1), 0, market.CodeValidationFailed},
		{offerPtr(-1), 0, market.CodeValidationFailed},
	} {
		n, err := market.RecommendationCount(tc.first)
		if got := offerCode(err); got != tc.want || n != tc.n {
			t.Errorf("first %v: want %d %q, got %d %q", tc.first, tc.n, tc.want, n, got)
		}
	}
}

func TestEventTopics(t *testing.T) {
	if got := market.UserTopic(7); got != "user:7" {
		t.Errorf("UserTopic(7) = %q", got)
	}
	if got := market.RoomTopic(3); got != "room:3" {
		t.Errorf("RoomTopic(3) = %q", got)
	}
}
