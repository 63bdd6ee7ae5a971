package server_test

import (
	"fmt"
	"testing"
)

// Operations of the onboarding flow (sign-up, agencies, purchases, search,
// applying without an invitation), shared by the tests of this file.
const (
	signUpMutation       = `mutation($in: SignUpInput!) { signUp(input: $in) { token user { user { id } email roles isFreelancer isClient connectsBalance } } }`
	createAgencyMutation = `mutation($name: String!) { createAgency(input: {name: $name}) { agency { id name viewerRole } } }`
	inviteMemberMutation = `mutation($in: InviteAgencyMemberInput!) { inviteAgencyMember(input: $in) { invitation { id role status } } }`
	acceptMemberMutation = `mutation($id: ID!) { acceptAgencyInvitation(input: {invitationId: $id}) { invitation { status } agency { id viewerRole } } }`
	buyMutation          = `mutation($in: BuyConnectsInput!) { buyConnects(input: $in) { purchase { id connects price { amount } ledgerEntry { kind amount } } replayed connectsBalance } }`
	postJobMutation      = `mutation($in: PostJobInput!) { postJob(input: $in) { job { id } } }`
	submitMutation       = `mutation($in: SubmitProposalInput!) { submitProposal(input: $in) { proposal { id status agency { id } freelancer { id } } connectsBalance } }`
	agencyMembersQuery   = `query($id: ID!) { agency(id: $id) { name viewerRole members { user { id } role } pendingInvitations { id } } }`
)

// user is an account signed up through the API.
type user struct {
	ID, Email, Token string
}

// signUp creates an account through the API and returns it signed in.
func (a *app) signUp(email, name string, roles ...string) user {
	a.t.Helper()
	var d struct {
		SignUp struct {
			Token string
			User  struct {
				User  struct{ ID string } // the viewer's public User (Viewer ids are their own kind)
				Email string
			}
		}
	}
	a.ok("", signUpMutation, map[string]any{"in": map[string]any{
		"email": email, "password": "correct horse battery staple", "name": name, "roles": roles,
	}}, &d)
	return user{ID: d.SignUp.User.User.ID, Email: d.SignUp.User.Email, Token: d.SignUp.Token}
}

// profile fills in a freelancer's profile.
func (a *app) profile(u user, title, overview string, skills ...string) {
	a.t.Helper()
	a.ok(u.Token, `mutation($in: UpdateProfileInput!) { updateProfile(input: $in) { profile { title } } }`,
		map[string]any{"in": map[string]any{"title": title, "overview": overview, "skills": skills, "hourlyRate": map[string]any{"amount": "60.00"}}}, nil)
}

// createAgency creates an agency owned by u and returns its id.
func (a *app) createAgency(u user, name string) string {
	a.t.Helper()
	var d struct {
		CreateAgency struct{ Agency struct{ ID string } }
	}
	a.ok(u.Token, createAgencyMutation, map[string]any{"name": name}, &d)
	return d.CreateAgency.Agency.ID
}

// join invites u to the agency with role (by email) as inviter, and u accepts.
func (a *app) join(inviter user, agency string, u user, role string) {
	a.t.Helper()
	var d struct {
		InviteAgencyMember struct{ Invitation struct{ ID string } }
	}
	a.ok(inviter.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": agency, "email": u.Email, "role": role}}, &d)
	a.ok(u.Token, acceptMemberMutation, map[string]any{"id": d.InviteAgencyMember.Invitation.ID}, nil)
}

// postJob posts a fixed-price job and returns its id.
func (a *app) postFixedJob(u user, title, description string, connects int, skills ...string) string {
	a.t.Helper()
	var d struct {
		PostJob struct{ Job struct{ ID string } }
	}
	a.ok(u.Token, postJobMutation, map[string]any{"in": map[string]any{
		"title": title, "description": description, "skills": skills, "contractType": "FIXED",
		"budget": map[string]any{"amount": "900.00"}, "connectsRequired": connects,
	}}, &d)
	return d.PostJob.Job.ID
}

// balance returns the viewer's own Connects balance, or an agency's.
func (a *app) connects(u user, agency string) int {
	a.t.Helper()
	var d struct {
		ConnectsLedger struct{ Balance int }
	}
	vars := map[string]any{}
	q := `{ connectsLedger { balance } }`
	if agency != "" {
		q, vars["a"] = `query($a: ID) { connectsLedger(agencyId: $a) { balance } }`, agency
	}
	a.ok(u.Token, q, vars, &d)
	return d.ConnectsLedger.Balance
}

// TestOnboardingFromEmptyDatabase is the whole flow on a database with no
// demo data: two clients and three freelancers sign up; one freelancer
// creates an agency, makes another its business manager and the third a
// member; a client posts a job, finds the member with searchFreelancers and
// invites them through the agency; the business manager buys Connects for
// the agency and accepts for the member; the client messages the proposal
// (the room holds the client, the member and the business manager, not the
// owner) and sends an offer the business manager accepts; the owner finds
// the other client's job with searchJobs, buys Connects and applies with
// submitProposal.
func TestOnboardingFromEmptyDatabase(t *testing.T) {
	a := startApp(t, false)
	if n := a.count(`SELECT count(*) FROM users`); n != 0 {
		t.Fatalf("the database holds %d users", n)
	}
	alice := a.signUp("  Alice@Example.COM ", "Alice Client", "CLIENT")
	bob := a.signUp("bob@example.com", "Bob Client", "CLIENT")
	olga := a.signUp("olga@example.com", "Olga Owner", "FREELANCER")
	mark := a.signUp("mark@example.com", "Mark Manager", "FREELANCER")
	mia := a.signUp("mia@example.com", "Mia Member", "FREELANCER", "CLIENT")
	if alice.Email != "alice@example.com" {
		t.Errorf("email stored as %q, want it trimmed and lower-cased", alice.Email)
	}
	var v struct {
		Viewer struct {
			Roles           []string
			IsFreelancer    bool
			IsClient        bool
			ConnectsBalance int
		}
	}
	a.ok(mia.Token, `{ viewer { roles isFreelancer isClient connectsBalance } }`, nil, &v)
	if fmt.Sprint(v.Viewer.Roles) != "[FREELANCER CLIENT]" || v.Viewer.ConnectsBalance != 10 {
		t.Errorf("Mia's viewer: %+v, want both roles and the 10 free Connects", v.Viewer)
	}
	a.ok(alice.Token, `{ viewer { roles isFreelancer isClient connectsBalance } }`, nil, &v)
	if fmt.Sprint(v.Viewer.Roles) != "[CLIENT]" || v.Viewer.ConnectsBalance != 0 {
		t.Errorf("Alice's viewer: %+v, want a client without Connects", v.Viewer)
	}
	a.profile(olga, "Agency owner and full-stack developer", "I run a small studio.", "go", "postgresql")
	a.profile(mark, "Project manager", "I keep projects on track.", "project management")
	a.profile(mia, "Embedded Rust firmware engineer", "Firmware for thermostats, sensors and other low-power devices.", "rust", "embedded")

	agency := a.createAgency(olga, "Northwind Studio")
	a.join(olga, agency, mark, "BUSINESS_MANAGER")
	a.join(mark, agency, mia, "MEMBER") // a business manager invites members
	var ag struct {
		Agency struct {
			Members []struct {
				User struct{ ID string }
				Role string
			}
		}
	}
	a.ok(mark.Token, agencyMembersQuery, map[string]any{"id": agency}, &ag)
	if got := fmt.Sprint(ag.Agency.Members); got != fmt.Sprintf("[{{%s} OWNER} {{%s} BUSINESS_MANAGER} {{%s} MEMBER}]", olga.ID, mark.ID, mia.ID) {
		t.Errorf("members: %s", got)
	}

	// Alice posts a job and finds Mia.
	job := a.postFixedJob(alice, "Firmware for a smart thermostat", "We need embedded Rust firmware for our thermostat.", 4, "rust", "embedded")
	var found struct {
		SearchFreelancers struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}
	a.ok(alice.Token, `{ searchFreelancers(query: "rust firmware") { totalCount edges { node { id } } } }`, nil, &found)
	if len(found.SearchFreelancers.Edges) == 0 || found.SearchFreelancers.Edges[0].Node.ID != mia.ID {
		t.Fatalf("searchFreelancers: %+v, want Mia first", found.SearchFreelancers)
	}
	var inv struct {
		InviteFreelancer struct{ Invitation struct{ ID string } }
	}
	a.ok(alice.Token, `mutation($j: ID!, $f: ID!, $a: ID) { inviteFreelancer(input: {jobId: $j, freelancerId: $f, agencyId: $a, message: "Would your studio take this on?"}) { invitation { id } } }`,
		map[string]any{"j": job, "f": mia.ID, "a": agency}, &inv)

	// The business manager buys Connects for the agency and accepts for Mia.
	a.fails("INSUFFICIENT_CONNECTS", mark.Token, acceptMutation, map[string]any{"in": map[string]any{"invitationId": inv.InviteFreelancer.Invitation.ID, "coverLetter": "Mia will build it."}})
	a.ok(mark.Token, buyMutation, map[string]any{"in": map[string]any{"connects": 10, "idempotencyKey": "northwind-0001", "agencyId": agency}}, nil)
	var acc struct {
		AcceptInvitation struct {
			Proposal        struct{ ID string }
			ConnectsBalance int
		}
	}
	a.ok(mark.Token, acceptMutation, map[string]any{"in": map[string]any{"invitationId": inv.InviteFreelancer.Invitation.ID, "coverLetter": "Mia will build it."}}, &acc)
	if acc.AcceptInvitation.ConnectsBalance != 6 || a.connects(mark, agency) != 6 || a.connects(mia, "") != 10 {
		t.Errorf("balances after accepting: agency %d (payload %d), Mia %d; want 6, 6, 10", a.connects(mark, agency), acc.AcceptInvitation.ConnectsBalance, a.connects(mia, ""))
	}
	prop := acc.AcceptInvitation.Proposal.ID

	// Alice messages the proposal: the room holds her, Mia and Mark, not Olga (R14).
	var msg struct {
		MessageProposal struct {
			Room struct {
				ID      string
				Members []struct {
					User struct{ ID string }
					Role string
				}
			}
		}
	}
	a.ok(alice.Token, `mutation($p: ID!) { messageProposal(input: {proposalId: $p, body: "When could you start?"}) { room { id members { user { id } role } } } }`, map[string]any{"p": prop}, &msg)
	if got, want := fmt.Sprint(msg.MessageProposal.Room.Members), fmt.Sprintf("[{{%s} CLIENT} {{%s} FREELANCER} {{%s} BUSINESS_MANAGER}]", alice.ID, mia.ID, mark.ID); got != want {
		t.Errorf("room members %s, want %s", got, want)
	}
	a.fails("NOT_FOUND", olga.Token, `query($r: ID!) { room(id: $r) { id } }`, map[string]any{"r": msg.MessageProposal.Room.ID})

	// An offer, accepted by the business manager.
	var off struct {
		SendOffer struct{ Offer struct{ ID string } }
	}
	a.ok(alice.Token, `mutation($p: ID!) { sendOffer(input: {proposalId: $p, message: "Let's do it"}) { offer { id } } }`, map[string]any{"p": prop}, &off)
	var hired struct {
		AcceptOffer struct{ Contract struct{ ID string } }
	}
	a.ok(mark.Token, `mutation($o: ID!) { acceptOffer(input: {offerId: $o}) { contract { id } } }`, map[string]any{"o": off.SendOffer.Offer.ID}, &hired)
	if hired.AcceptOffer.Contract.ID == "" {
		t.Fatal("no contract")
	}

	// Bob posts a job; Olga finds it, buys Connects and applies.
	bobJob := a.postFixedJob(bob, "Go API for a booking service", "A GraphQL API in Go over PostgreSQL for room bookings.", 16, "go", "postgresql")
	var jobs struct {
		SearchJobs struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	a.ok(olga.Token, `{ searchJobs(query: "booking API", skills: ["go"]) { edges { node { id } } } }`, nil, &jobs)
	if len(jobs.SearchJobs.Edges) != 1 || jobs.SearchJobs.Edges[0].Node.ID != bobJob {
		t.Fatalf("searchJobs: %+v, want Bob's job", jobs.SearchJobs)
	}
	a.fails("INSUFFICIENT_CONNECTS", olga.Token, submitMutation, map[string]any{"in": map[string]any{"jobId": bobJob, "coverLetter": "I build Go APIs."}})
	a.ok(olga.Token, buyMutation, map[string]any{"in": map[string]any{"connects": 20, "idempotencyKey": "olga-0000001"}}, nil)
	var sub struct {
		SubmitProposal struct {
			Proposal struct {
				ID     string
				Status string
			}
			ConnectsBalance int
		}
	}
	a.ok(olga.Token, submitMutation, map[string]any{"in": map[string]any{"jobId": bobJob, "coverLetter": "I build Go APIs."}}, &sub)
	if sub.SubmitProposal.Proposal.Status != "SUBMITTED" || sub.SubmitProposal.ConnectsBalance != 14 || a.connects(olga, "") != 14 {
		t.Errorf("submitted: %+v, balance %d; want SUBMITTED and 10+20-16 = 14", sub.SubmitProposal, a.connects(olga, ""))
	}
	var bobs struct {
		Notifications struct {
			Edges []struct{ Node struct{ Kind string } }
		}
	}
	a.ok(bob.Token, `{ notifications(first: 1) { edges { node { kind } } } }`, nil, &bobs)
	if len(bobs.Notifications.Edges) != 1 || bobs.Notifications.Edges[0].Node.Kind != "PROPOSAL_SUBMITTED" {
		t.Errorf("Bob's bell: %+v", bobs.Notifications)
	}
	a.fails("CONFLICT", olga.Token, submitMutation, map[string]any{"in": map[string]any{"jobId": bobJob, "coverLetter": "Again."}})
}
