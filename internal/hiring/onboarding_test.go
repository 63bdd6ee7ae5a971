package hiring_test

import (
	"testing"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
)

func onboardingEnv(t *testing.T) *hiringtest.Env {
	return hiringtest.New(t, hiring.Config{ChargeConnectsForInvitations: true, SignupConnects: 10})
}

// TestSignUpAndChangePassword: a freelancer's sign-up grants the free
// Connects; changing the password moves the token generation on, so that
// CheckToken refuses the older tokens.
func TestSignUpAndChangePassword(t *testing.T) {
	t.Parallel()
	e := onboardingEnv(t)
	h := e.Hiring
	u, err := h.SignUp(e.Ctx, hiring.SignUpInput{Email: " Eve@Example.test", Password: "a long enough secret", Name: "Eve",
		Roles: []market.AccountRole{market.AccountFreelancer}})
	if err != nil || u.Email != "eve@example.test" {
		t.Fatalf("SignUp: %+v, %v", u, err)
	}
	if ok, err := h.IsFreelancer(e.Ctx, u.ID); err != nil || !ok {
		t.Errorf("IsFreelancer: %v %v", ok, err)
	}
	if n, _ := h.ConnectsBalance(e.Ctx, u.ID); n != 10 {
		t.Errorf("balance after sign-up: %d", n)
	}
	_, err = h.SignUp(e.Ctx, hiring.SignUpInput{Email: "EVE@example.test", Password: "a long enough secret", Name: "Eve", Roles: []market.AccountRole{market.AccountClient}})
	hiringtest.WantCode(t, err, market.CodeConflict)
	if err := h.CheckToken(e.Ctx, auth.Claims{UserID: u.ID, Generation: 0}); err != nil {
		t.Fatalf("CheckToken before: %v", err)
	}
	_, err = h.ChangePassword(e.Ctx, u.ID, "wrong one here", "another long secret")
	hiringtest.WantCode(t, err, market.CodeValidationFailed)
	gen, err := h.ChangePassword(e.Ctx, u.ID, "a long enough secret", "another long secret")
	if err != nil || gen != 1 {
		t.Fatalf("ChangePassword: %d, %v", gen, err)
	}
	hiringtest.WantCode(t, h.CheckToken(e.Ctx, auth.Claims{UserID: u.ID, Generation: 0}), market.CodeUnauthenticated)
	hiringtest.WantCode(t, h.CheckToken(e.Ctx, auth.Claims{UserID: 1 << 40}), market.CodeUnauthenticated)
	if err := h.CheckToken(e.Ctx, auth.Claims{UserID: u.ID, Generation: 1}); err != nil {
		t.Errorf("CheckToken of the new generation: %v", err)
	}
	if _, err := h.Authenticate(e.Ctx, "eve@example.test", "another long secret"); err != nil {
		t.Errorf("the new password: %v", err)
	}
}

// TestAgencyUseCases: an agency's whole life through the use cases.
func TestAgencyUseCases(t *testing.T) {
	t.Parallel()
	e := onboardingEnv(t)
	h := e.Hiring
	owner, bm, member := e.MustCreateUser(), e.MustCreateUser(), e.MustCreateUser()
	_, err := h.CreateAgency(e.Ctx, e.MustCreateClient().ID, "Client Agency")
	hiringtest.WantCode(t, err, market.CodeForbidden)
	a, err := h.CreateAgency(e.Ctx, owner.ID, "Northwind Studio")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := h.Agency(e.Ctx, a.ID); err != nil || got.Name != "Northwind Studio" {
		t.Errorf("Agency: %+v, %v", got, err)
	}
	join := func(inviter, u *market.User, role market.AgencyRole) {
		t.Helper()
		inv, err := h.InviteAgencyMember(e.Ctx, inviter.ID, hiring.InviteMemberInput{AgencyID: a.ID, UserID: &u.ID, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		mine, _ := h.MyAgencyInvitations(e.Ctx, u.ID)
		if len(mine) != 1 || mine[0].ID != inv.ID {
			t.Errorf("MyAgencyInvitations: %+v", mine)
		}
		if got, err := h.AgencyInvitation(e.Ctx, u.ID, inv.ID); err != nil || got.ID != inv.ID {
			t.Errorf("AgencyInvitation: %+v, %v", got, err)
		}
		if got, _ := h.AgencyInvitationsByID(e.Ctx, []int64{inv.ID}); got[inv.ID] == nil {
			t.Error("AgencyInvitationsByID")
		}
		if pend, ok, _ := h.AgencyPendingInvitations(e.Ctx, inviter.ID, a.ID); !ok || len(pend) != 1 {
			t.Errorf("AgencyPendingInvitations: %v %+v", ok, pend)
		}
		if _, err := h.RespondAgencyInvitation(e.Ctx, u.ID, inv.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	join(owner, bm, market.RoleBusinessManager)
	join(bm, member, market.RoleMember)
	if ms, ok, err := h.AgencyMembers(e.Ctx, bm.ID, a.ID); err != nil || !ok || len(ms) != 3 {
		t.Errorf("AgencyMembers as staff: %+v %v %v", ms, ok, err)
	}
	if _, ok, _ := h.AgencyMembers(e.Ctx, member.ID, a.ID); ok {
		t.Error("AgencyMembers as a member")
	}
	if _, err := h.SetAgencyMemberRole(e.Ctx, bm.ID, a.ID, member.ID, market.RoleBusinessManager); !market.IsCode(err, market.CodeForbidden) {
		t.Errorf("SetAgencyMemberRole as the business manager: %v", err)
	}
	if _, err := h.SetAgencyMemberRole(e.Ctx, owner.ID, a.ID, member.ID, market.RoleBusinessManager); err != nil {
		t.Fatal(err)
	}
	if role, _ := h.AgencyRole(e.Ctx, member.ID, a.ID); role != market.RoleBusinessManager {
		t.Errorf("AgencyRole after promotion: %q", role)
	}
	if _, err := h.TransferAgencyOwnership(e.Ctx, owner.ID, a.ID, bm.ID, market.RoleMember); err != nil {
		t.Fatal(err)
	}
	hiringtest.WantCode(t, h.LeaveAgency(e.Ctx, bm.ID, a.ID), market.CodeInvalidState)
	if err := h.LeaveAgency(e.Ctx, owner.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.RemoveAgencyMember(e.Ctx, bm.ID, a.ID, member.ID); err != nil {
		t.Fatal(err)
	}
	if n := e.Count(`SELECT count(*) FROM agency_members WHERE agency_id = $1`, a.ID); n != 1 {
		t.Errorf("%d members left, want the owner", n)
	}
}

// TestBuyAndApply: packages, a purchase (replayed once), searches, and an
// application without an invitation on the Connects bought.
func TestBuyAndApply(t *testing.T) {
	t.Parallel()
	e := onboardingEnv(t)
	h := e.Hiring
	if ps := h.ConnectsPackages(); len(ps) != 5 || ps[0].Connects != 10 {
		t.Fatalf("ConnectsPackages: %+v", ps)
	}
	f := e.MustCreateUser(hiringtest.UserOpts{Connects: -1, Skills: []string{"kubernetes"}})
	first, err := h.BuyConnects(e.Ctx, f.ID, hiring.BuyInput{Connects: 20, IdempotencyKey: "order-0001"})
	if err != nil || first.Replayed || first.Balance != 20 {
		t.Fatalf("BuyConnects: %+v, %v", first, err)
	}
	again, err := h.BuyConnects(e.Ctx, f.ID, hiring.BuyInput{Connects: 20, IdempotencyKey: "order-0001"})
	if err != nil || !again.Replayed || again.Purchase.ID != first.Purchase.ID || again.Balance != 20 {
		t.Fatalf("BuyConnects again: %+v, %v", again, err)
	}
	if got, _ := h.PurchasesByID(e.Ctx, []int64{first.Purchase.ID}); got[first.Purchase.ID] == nil {
		t.Error("PurchasesByID")
	}
	if le, err := h.LedgerEntry(e.Ctx, f.ID, first.Purchase.LedgerEntryID); err != nil || le.Kind != market.LedgerPurchase {
		t.Errorf("LedgerEntry: %+v, %v", le, err)
	}
	if p, err := h.Purchase(e.Ctx, f.ID, first.Purchase.ID); err != nil || p.ID != first.Purchase.ID {
		t.Errorf("Purchase by its buyer: %+v, %v", p, err)
	}
	other := e.MustCreateUser()
	if _, err := h.Purchase(e.Ctx, other.ID, first.Purchase.ID); !market.IsCode(err, market.CodeNotFound) {
		t.Errorf("Purchase by someone else: %v, want NOT_FOUND", err)
	}

	e.Seed()
	if err := h.GenerateJobs(e.Ctx, 5); err != nil {
		t.Fatal(err)
	}
	if g := hiring.GeneratedJob(3); g.Title != hiring.GeneratedJob(3).Title || len(g.Skills) == 0 {
		t.Errorf("GeneratedJob is not deterministic: %+v", g)
	}
	client := e.MustCreateClient()
	job := e.MustCreateJob(client, market.NewJob{Title: "Kubernetes operator", Description: "Write an operator in Go.",
		Skills: []string{"kubernetes"}, ContractType: market.ContractFixed, Budget: ptr(market.USD(90000)),
		ConnectsRequired: 16, InterviewMode: market.InterviewCoverLetter})
	page, err := h.SearchJobs(e.Ctx, market.SearchRequest{Query: "kubernetes operator", Limit: 5})
	if err != nil || page.Total != 1 || page.Items[0].ID != job.ID {
		t.Fatalf("SearchJobs: %+v, %v", page, err)
	}
	fp, err := h.SearchFreelancers(e.Ctx, market.SearchRequest{Skills: []string{"kubernetes"}, Limit: 100})
	if err != nil || fp.Total == 0 {
		t.Errorf("SearchFreelancers: %+v, %v", fp, err)
	}
	res, err := h.SubmitProposal(e.Ctx, f.ID, hiring.SubmitInput{JobID: job.ID, CoverLetter: "I build operators."})
	if err != nil || res.ConnectsBalance != 4 || res.Proposal.InvitationID != nil {
		t.Fatalf("SubmitProposal: %+v, %v", res, err)
	}
	_, err = h.SubmitProposal(e.Ctx, f.ID, hiring.SubmitInput{JobID: job.ID, CoverLetter: "Again."})
	hiringtest.WantCode(t, err, market.CodeConflict)
}
