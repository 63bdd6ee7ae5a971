package server_test

import (
	"sync"
	"testing"
)

const (
	setRoleMutation  = `mutation($a: ID!, $u: ID!, $r: AgencyRole!) { setAgencyMemberRole(input: {agencyId: $a, userId: $u, role: $r}) { agency { id } } }`
	removeMutation   = `mutation($a: ID!, $u: ID!) { removeAgencyMember(input: {agencyId: $a, userId: $u}) { agency { id } } }`
	leaveMutation    = `mutation($a: ID!) { leaveAgency(input: {agencyId: $a}) { viewer { agencies { role } } } }`
	transferMutation = `mutation($a: ID!, $u: ID!) { transferAgencyOwnership(input: {agencyId: $a, userId: $u}) { agency { viewerRole } } }`
)

// agencyFixture is an agency run by Olga (owner) with Mark (business
// manager) and Mia (member), a client Alice, and Xavier, a freelancer
// outside it; all signed up on an empty database.
type agencyFixture struct {
	a                              *app
	agency                         string
	olga, mark, mia, alice, xavier user
}

func newAgencyFixture(t *testing.T) *agencyFixture {
	a := startApp(t, false)
	f := &agencyFixture{a: a,
		olga: a.signUp("olga@example.com", "Olga Owner", "FREELANCER"), mark: a.signUp("mark@example.com", "Mark Manager", "FREELANCER"),
		mia: a.signUp("mia@example.com", "Mia Member", "FREELANCER"), alice: a.signUp("alice@example.com", "Alice Client", "CLIENT"),
		xavier: a.signUp("xavier@example.com", "Xavier Outsider", "FREELANCER"),
	}
	f.agency = a.createAgency(f.olga, "Northwind Studio")
	a.join(f.olga, f.agency, f.mark, "BUSINESS_MANAGER")
	a.join(f.olga, f.agency, f.mia, "MEMBER")
	return f
}

func (f *agencyFixture) owners() int {
	return f.a.count(`SELECT count(*) FROM agency_members WHERE role = 'OWNER'`)
}

// TestAgencyOneOwner: the owner can neither leave, be removed nor lose the
// role except by transferring it; a transfer leaves exactly one owner, even
// when two transfers race; the new owner cannot leave either.
func TestAgencyOneOwner(t *testing.T) {
	f := newAgencyFixture(t)
	a := f.a
	before := a.state()
	a.fails("INVALID_STATE", f.olga.Token, leaveMutation, map[string]any{"a": f.agency})
	a.fails("INVALID_STATE", f.olga.Token, removeMutation, map[string]any{"a": f.agency, "u": f.olga.ID})
	a.fails("INVALID_STATE", f.olga.Token, setRoleMutation, map[string]any{"a": f.agency, "u": f.olga.ID, "r": "MEMBER"})
	a.fails("VALIDATION_FAILED", f.olga.Token, setRoleMutation, map[string]any{"a": f.agency, "u": f.mia.ID, "r": "OWNER"})
	a.fails("VALIDATION_FAILED", f.olga.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency, "userId": f.xavier.ID, "role": "OWNER"}})
	a.fails("FORBIDDEN", f.mark.Token, transferMutation, map[string]any{"a": f.agency, "u": f.mark.ID})
	a.fails("VALIDATION_FAILED", f.olga.Token, transferMutation, map[string]any{"a": f.agency, "u": f.olga.ID})
	a.fails("NOT_FOUND", f.olga.Token, transferMutation, map[string]any{"a": f.agency, "u": f.xavier.ID})
	if a.state() != before {
		t.Fatal("a refused change changed the database")
	}

	// Two transfers at once (to Mark and to Mia): one wins, the other finds
	// Olga no longer the owner.
	var wg sync.WaitGroup
	codes := make([]string, 2)
	for i, to := range []user{f.mark, f.mia} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = a.post(f.olga.Token, transferMutation, map[string]any{"a": f.agency, "u": to.ID}).Code()
		}()
	}
	wg.Wait()
	if !(codes[0] == "" && codes[1] == "FORBIDDEN" || codes[0] == "FORBIDDEN" && codes[1] == "") {
		t.Fatalf("concurrent transfers: %q, want one success and one FORBIDDEN", codes)
	}
	if n := f.owners(); n != 1 {
		t.Fatalf("%d owners after the transfers", n)
	}
	newOwner := f.mark
	if codes[0] != "" {
		newOwner = f.mia
	}
	var role struct {
		Agency struct{ ViewerRole string }
	}
	a.ok(f.olga.Token, agencyMembersQuery, map[string]any{"id": f.agency}, &role)
	if role.Agency.ViewerRole != "BUSINESS_MANAGER" {
		t.Errorf("the previous owner is %q, want BUSINESS_MANAGER", role.Agency.ViewerRole)
	}
	a.fails("INVALID_STATE", newOwner.Token, leaveMutation, map[string]any{"a": f.agency})
	a.fails("FORBIDDEN", f.olga.Token, transferMutation, map[string]any{"a": f.agency, "u": f.olga.ID})
	a.ok(f.olga.Token, leaveMutation, map[string]any{"a": f.agency}, nil) // no longer the owner: may leave
	if n := f.owners(); n != 1 {
		t.Fatalf("%d owners", n)
	}
	var bell struct {
		Notifications struct {
			Edges []struct{ Node struct{ Kind string } }
		}
	}
	a.ok(newOwner.Token, `{ notifications(first: 2) { edges { node { kind } } } }`, nil, &bell)
	if len(bell.Notifications.Edges) < 2 || bell.Notifications.Edges[0].Node.Kind != "AGENCY_MEMBER_LEFT" || bell.Notifications.Edges[1].Node.Kind != "AGENCY_ROLE_CHANGED" {
		t.Errorf("the new owner's bell: %+v", bell.Notifications.Edges)
	}
}

// TestAgencyRoleChangeTakesEffectOnNextRequest: a business manager demoted
// to member loses, on the very next request, what the role allowed.
func TestAgencyRoleChangeTakesEffectOnNextRequest(t *testing.T) {
	f := newAgencyFixture(t)
	a := f.a
	buy := map[string]any{"in": map[string]any{"connects": 10, "idempotencyKey": "mark-key-0001", "agencyId": f.agency}}
	a.ok(f.mark.Token, buyMutation, buy, nil)
	var d struct {
		Agency struct {
			Members []struct{ Role string }
		}
	}
	a.ok(f.mark.Token, agencyMembersQuery, map[string]any{"id": f.agency}, &d)
	if len(d.Agency.Members) != 3 {
		t.Fatalf("the business manager sees %d members", len(d.Agency.Members))
	}
	a.ok(f.olga.Token, setRoleMutation, map[string]any{"a": f.agency, "u": f.mark.ID, "r": "MEMBER"}, nil)
	a.fails("FORBIDDEN", f.mark.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency, "userId": f.xavier.ID}})
	a.fails("FORBIDDEN", f.mark.Token, buyMutation, map[string]any{"in": map[string]any{"connects": 10, "idempotencyKey": "mark-key-0002", "agencyId": f.agency}})
	a.fails("NOT_FOUND", f.mark.Token, `query($a: ID) { connectsLedger(agencyId: $a) { balance } }`, map[string]any{"a": f.agency})
	a.ok(f.mark.Token, agencyMembersQuery, map[string]any{"id": f.agency}, &d)
	if d.Agency.Members != nil {
		t.Errorf("a member sees the members: %+v", d.Agency.Members)
	}
	// Promoted again, at once allowed again.
	a.ok(f.olga.Token, setRoleMutation, map[string]any{"a": f.agency, "u": f.mark.ID, "r": "BUSINESS_MANAGER"}, nil)
	a.ok(f.mark.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency, "userId": f.xavier.ID}}, nil)
}

// TestRemovedMemberLosesAccess: a member removed from the agency is, from
// that moment, refused everything the membership allowed: the agency's
// invitation and proposal, the proposal's room (which they leave), the
// offer, sending messages, editing; the lists no longer show them. Leaving
// has the same effect.
func TestRemovedMemberLosesAccess(t *testing.T) {
	f := newAgencyFixture(t)
	a := f.a
	a.profile(f.mia, "Embedded Rust engineer", "Firmware.", "rust")
	job := a.postFixedJob(f.alice, "Thermostat firmware", "Embedded Rust firmware.", 2, "rust")
	var inv struct {
		InviteFreelancer struct{ Invitation struct{ ID string } }
	}
	a.ok(f.alice.Token, `mutation($j: ID!, $f: ID!, $a: ID) { inviteFreelancer(input: {jobId: $j, freelancerId: $f, agencyId: $a}) { invitation { id } } }`,
		map[string]any{"j": job, "f": f.mia.ID, "a": f.agency}, &inv)
	a.ok(f.olga.Token, buyMutation, map[string]any{"in": map[string]any{"connects": 10, "idempotencyKey": "olga-key-0001", "agencyId": f.agency}}, nil)
	var acc struct {
		AcceptInvitation struct{ Proposal struct{ ID string } }
	}
	a.ok(f.mia.Token, acceptMutation, map[string]any{"in": map[string]any{"invitationId": inv.InviteFreelancer.Invitation.ID, "coverLetter": "Happy to."}}, &acc)
	prop := acc.AcceptInvitation.Proposal.ID
	var msg struct {
		MessageProposal struct{ Room struct{ ID string } }
	}
	a.ok(f.alice.Token, `mutation($p: ID!) { messageProposal(input: {proposalId: $p, body: "Hello"}) { room { id } } }`, map[string]any{"p": prop}, &msg)
	room := msg.MessageProposal.Room.ID
	var off struct {
		SendOffer struct{ Offer struct{ ID string } }
	}
	a.ok(f.alice.Token, `mutation($p: ID!) { sendOffer(input: {proposalId: $p, message: "Deal"}) { offer { id } } }`, map[string]any{"p": prop}, &off)
	offer := off.SendOffer.Offer.ID

	checks := []struct {
		name, query string
		vars        map[string]any
	}{
		{"invitation", `query($i: ID!) { invitation(id: $i) { id } }`, map[string]any{"i": inv.InviteFreelancer.Invitation.ID}},
		{"proposal", `query($p: ID!) { proposal(id: $p) { id } }`, map[string]any{"p": prop}},
		{"room", `query($r: ID!) { room(id: $r) { id } }`, map[string]any{"r": room}},
		{"offer", `query($o: ID!) { offer(id: $o) { id } }`, map[string]any{"o": offer}},
		{"sendMessage", `mutation($r: ID!) { sendMessage(input: {roomId: $r, body: "Hi"}) { message { seq } } }`, map[string]any{"r": room}},
		{"updateProposal", `mutation($p: ID!) { updateProposal(input: {proposalId: $p, coverLetter: "Edited."}) { proposal { id } } }`, map[string]any{"p": prop}},
	}
	lists := func(who user) (n int) {
		var d struct {
			Invitations, Proposals, Rooms struct{ TotalCount int }
		}
		a.ok(who.Token, `{ invitations { totalCount } proposals { totalCount } rooms { totalCount } }`, nil, &d)
		return d.Invitations.TotalCount + d.Proposals.TotalCount + d.Rooms.TotalCount
	}
	for _, c := range checks {
		if r := a.post(f.mia.Token, c.query, c.vars); r.Code() != "" {
			t.Fatalf("%s before removal: %+v", c.name, r.Errors)
		}
	}
	if n := lists(f.mia); n != 3 {
		t.Fatalf("before removal Mia lists %d items, want 3", n)
	}

	a.ok(f.olga.Token, removeMutation, map[string]any{"a": f.agency, "u": f.mia.ID}, nil)
	for _, c := range checks {
		if r := a.post(f.mia.Token, c.query, c.vars); r.Code() != "NOT_FOUND" {
			t.Errorf("%s after removal: %q %+v, want NOT_FOUND", c.name, r.Code(), r.Errors)
		}
	}
	if n := lists(f.mia); n != 0 {
		t.Errorf("after removal Mia lists %d items", n)
	}
	a.fails("NOT_FOUND", f.mia.Token, `mutation($o: ID!) { acceptOffer(input: {offerId: $o}) { contract { id } } }`, map[string]any{"o": offer})
	var rm struct {
		Room struct {
			Members []struct{ Role string }
		}
	}
	a.ok(f.alice.Token, `query($r: ID!) { room(id: $r) { members { role } } }`, map[string]any{"r": room}, &rm)
	if len(rm.Room.Members) != 2 {
		t.Errorf("room members after removal: %+v, want the client and the business manager", rm.Room.Members)
	}
	// The business manager still answers the offer for the agency.
	a.ok(f.mark.Token, `mutation($o: ID!) { acceptOffer(input: {offerId: $o}) { contract { id } } }`, map[string]any{"o": offer}, nil)

	// Leaving works the same way, and the owner hears of it.
	a.ok(f.mark.Token, leaveMutation, map[string]any{"a": f.agency}, nil)
	a.fails("NOT_FOUND", f.mark.Token, `query($r: ID!) { room(id: $r) { id } }`, map[string]any{"r": room})
	a.fails("NOT_FOUND", f.mark.Token, `query($p: ID!) { proposal(id: $p) { id } }`, map[string]any{"p": prop})
	var bell struct {
		Notifications struct {
			Edges []struct{ Node struct{ Kind string } }
		}
	}
	a.ok(f.mia.Token, `{ notifications(first: 1) { edges { node { kind } } } }`, nil, &bell)
	if len(bell.Notifications.Edges) != 1 || bell.Notifications.Edges[0].Node.Kind != "AGENCY_MEMBER_REMOVED" {
		t.Errorf("Mia's bell: %+v", bell.Notifications.Edges)
	}
}
