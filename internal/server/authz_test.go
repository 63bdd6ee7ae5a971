package server_test

import (
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// expect maps a kind of user to "" (allowed) or the error code they get.
type expect map[string]string

// matrix runs one operation as each user of order that want names, and
// checks the outcome: the data, or the expected code with the database
// unchanged.
func (a *app) matrix(t *testing.T, tok map[string]string, order []string, name, query string, vars map[string]any, want expect) {
	t.Helper()
	for _, who := range order {
		code, ok := want[who]
		if !ok {
			continue
		}
		before := a.state()
		r := a.post(tok[who], query, vars)
		if r.Code() != code {
			t.Errorf("%s as %s: want %q, got %q %+v", name, who, code, r.Code(), r.Errors)
		}
		if code != "" && a.state() != before {
			t.Errorf("%s as %s: a refused call changed the database", name, who)
		}
	}
}

// TestAuthorizationMatrix runs every query and mutation of issue 3 as each
// kind of user around one agency proposal — the client (the other party),
// the agency member who submitted it, the agency's business manager, the
// agency owner, and an outsider — and checks that each gets exactly what
// R16 and R25 allow: the data, or the right error code with nothing changed.
func TestAuthorizationMatrix(t *testing.T) {
	a := newApp(t)
	tok := map[string]string{
		"client":   a.login(hiring.DemoClient),
		"member":   a.login(hiring.DemoMember),
		"manager":  a.login(hiring.DemoManager),
		"owner":    a.login(hiring.DemoOwner),
		"outsider": a.login(hiring.DemoFreelancer),
	}

	// The member accepts the agency invitation: an agency proposal.
	inv := a.invitations(tok["member"], map[string]any{"status": "PENDING"}).byTitle(t, "Landing page")
	var acc struct {
		AcceptInvitation struct{ Proposal struct{ ID string } }
	}
	a.ok(tok["member"], acceptMutation, map[string]any{"in": map[string]any{"invitationId": inv.ID, "coverLetter": "We polish landing pages."}}, &acc)
	prop := acc.AcceptInvitation.Proposal.ID
	jobID := inv.Job.ID

	run := func(name, query string, vars map[string]any, want expect) {
		t.Helper()
		a.matrix(t, tok, []string{"outsider", "owner", "member", "manager", "client"}, name, query, vars, want)
	}
	const (
		ok        = ""
		forbidden = "FORBIDDEN"
		notFound  = "NOT_FOUND"
	)

	// Reads of the proposal and the job's lists.
	run("proposal", `query($p: ID!) { proposal(id: $p) { id } }`, map[string]any{"p": prop},
		expect{"client": ok, "member": ok, "manager": ok, "owner": ok, "outsider": notFound})
	run("job.proposals", `query($j: ID!) { job(id: $j) { proposals { totalCount } } }`, map[string]any{"j": jobID},
		expect{"client": ok, "member": forbidden, "manager": forbidden, "outsider": forbidden})
	run("job.invitations", `query($j: ID!) { job(id: $j) { invitations { totalCount } } }`, map[string]any{"j": jobID},
		expect{"client": ok, "member": forbidden, "manager": forbidden, "outsider": forbidden})

	// The client's actions on the proposal.
	run("markProposalViewed", `mutation($p: ID!) { markProposalViewed(input: {proposalId: $p}) { proposal { id } } }`, map[string]any{"p": prop},
		expect{"outsider": notFound, "member": forbidden, "manager": forbidden, "client": ok})
	run("updateProposal terms", `mutation($p: ID!) { updateProposal(input: {proposalId: $p, terms: {fixedPrice: {amount: "380"}}}) { proposal { id } } }`, map[string]any{"p": prop},
		expect{"outsider": notFound, "client": forbidden, "member": ok, "manager": ok})
	var msg struct {
		MessageProposal struct{ Room struct{ ID string } }
	}
	run("messageProposal", `mutation($p: ID!) { messageProposal(input: {proposalId: $p, body: "Hello"}) { room { id } } }`, map[string]any{"p": prop},
		expect{"outsider": notFound, "member": forbidden, "manager": forbidden})
	a.ok(tok["client"], `mutation($p: ID!) { messageProposal(input: {proposalId: $p, body: "Hello"}) { room { id } } }`, map[string]any{"p": prop}, &msg)
	room := msg.MessageProposal.Room.ID

	// The room: its members only (R16); the owner is not a member while a business manager exists (R14).
	run("room", `query($r: ID!) { room(id: $r) { id messages(last: 5) { totalCount } } }`, map[string]any{"r": room},
		expect{"client": ok, "member": ok, "manager": ok, "owner": notFound, "outsider": notFound})
	run("sendMessage", `mutation($r: ID!) { sendMessage(input: {roomId: $r, body: "Hi all"}) { message { seq } } }`, map[string]any{"r": room},
		expect{"outsider": notFound, "owner": notFound, "client": ok, "member": ok, "manager": ok})
	run("markRoomRead", `mutation($r: ID!) { markRoomRead(input: {roomId: $r}) { room { unreadCount } } }`, map[string]any{"r": room},
		expect{"outsider": notFound, "owner": notFound, "client": ok, "member": ok, "manager": ok})
	var rooms struct {
		Rooms struct{ TotalCount int }
	}
	a.ok(tok["outsider"], `{ rooms { totalCount } }`, nil, &rooms)
	if rooms.Rooms.TotalCount != 0 {
		t.Errorf("the outsider lists %d rooms", rooms.Rooms.TotalCount)
	}

	// Offers: the client sends; only the agency's business manager accepts (R19).
	run("sendOffer", `mutation($p: ID!) { sendOffer(input: {proposalId: $p, message: "Deal"}) { offer { id } } }`, map[string]any{"p": prop},
		expect{"outsider": notFound, "member": forbidden, "manager": forbidden})
	var off struct {
		SendOffer struct{ Offer struct{ ID string } }
	}
	a.ok(tok["client"], `mutation($p: ID!) { sendOffer(input: {proposalId: $p, message: "Deal"}) { offer { id } } }`, map[string]any{"p": prop}, &off)
	offer := off.SendOffer.Offer.ID
	run("offer", `query($o: ID!) { offer(id: $o) { id } }`, map[string]any{"o": offer},
		expect{"client": ok, "member": ok, "manager": ok, "owner": ok, "outsider": notFound})
	run("acceptOffer", `mutation($o: ID!) { acceptOffer(input: {offerId: $o}) { contract { id } } }`, map[string]any{"o": offer},
		expect{"outsider": notFound, "client": forbidden, "member": forbidden})
	run("declineOffer", `mutation($o: ID!) { declineOffer(input: {offerId: $o}) { offer { id } } }`, map[string]any{"o": offer},
		expect{"outsider": notFound, "client": forbidden, "member": forbidden})
	run("withdrawOffer", `mutation($o: ID!) { withdrawOffer(input: {offerId: $o}) { offer { id } } }`, map[string]any{"o": offer},
		expect{"outsider": notFound, "member": forbidden, "manager": forbidden})
	var accOffer struct {
		AcceptOffer struct{ Contract struct{ ID string } }
	}
	a.ok(tok["manager"], `mutation($o: ID!) { acceptOffer(input: {offerId: $o}) { contract { id } } }`, map[string]any{"o": offer}, &accOffer)
	contract := accOffer.AcceptOffer.Contract.ID

	// The contract: its parties and the agency's staff.
	run("contract", `query($c: ID!) { contract(id: $c) { id } }`, map[string]any{"c": contract},
		expect{"client": ok, "member": ok, "manager": ok, "owner": ok, "outsider": notFound})
	run("payBonus", `mutation($c: ID!) { payBonus(input: {contractId: $c, amount: {amount: "10"}}) { bonus { id } } }`, map[string]any{"c": contract},
		expect{"outsider": notFound, "member": forbidden, "manager": forbidden, "client": ok})
	run("updateProposal after hire", `mutation($p: ID!) { updateProposal(input: {proposalId: $p, terms: {fixedPrice: {amount: "390"}}}) { proposal { id } } }`, map[string]any{"p": prop},
		expect{"member": "EDIT_WINDOW_CLOSED"})
	run("withdrawProposal after hire", `mutation($p: ID!, $r: ID!) { withdrawProposal(input: {proposalId: $p, reasonId: $r}) { proposal { id } } }`,
		map[string]any{"p": prop, "r": "UmVhc29uOjg"}, expect{"outsider": notFound, "client": forbidden, "member": "INVALID_STATE"})
	run("closeJob", `mutation($j: ID!) { closeJob(input: {jobId: $j, result: NO_HIRE}) { job { id } } }`, map[string]any{"j": jobID},
		expect{"outsider": forbidden, "member": forbidden, "manager": forbidden})
	var contracts struct {
		Contracts struct{ TotalCount int }
	}
	for who, want := range map[string]int{"outsider": 0, "owner": 1, "member": 1, "manager": 1, "client": 1} {
		a.ok(tok[who], `{ contracts { totalCount } }`, nil, &contracts)
		if contracts.Contracts.TotalCount != want {
			t.Errorf("contracts as %s: %d, want %d", who, contracts.Contracts.TotalCount, want)
		}
	}

	// Notifications are their owner's only.
	var feed struct {
		Notifications struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	a.ok(tok["client"], `{ notifications(first: 1) { edges { node { id } } } }`, nil, &feed)
	run("markNotificationsRead", `mutation($id: ID!) { markNotificationsRead(input: {ids: [$id]}) { unreadCount } }`,
		map[string]any{"id": feed.Notifications.Edges[0].Node.ID}, expect{"outsider": notFound, "member": notFound})
}

// TestAgencyAuthorizationMatrix runs the agency, purchase and application
// operations as each kind of user around the demo agency — its owner,
// business manager and member, a freelancer outside it and a client — and
// checks that each gets what R27 and R28 allow: the change, or the right
// error code with nothing changed. It ends with the member removed, then
// refused what membership allowed.
func TestAgencyAuthorizationMatrix(t *testing.T) {
	a := newApp(t)
	tok := map[string]string{
		"client":   a.login(hiring.DemoClient),
		"member":   a.login(hiring.DemoMember),
		"manager":  a.login(hiring.DemoManager),
		"owner":    a.login(hiring.DemoOwner),
		"outsider": a.login(hiring.DemoFreelancer),
	}
	ids := map[string]string{}
	for who, tk := range tok {
		ids[who] = a.viewerID(tk)
	}
	var mine struct {
		Viewer struct {
			Agencies []struct{ Agency struct{ ID string } }
		}
	}
	a.ok(tok["owner"], `{ viewer { agencies { agency { id } } } }`, nil, &mine)
	agency := mine.Viewer.Agencies[0].Agency.ID

	run := func(name, query string, vars map[string]any, want expect) {
		t.Helper()
		a.matrix(t, tok, []string{"outsider", "client", "member", "manager", "owner"}, name, query, vars, want)
	}
	const ok, forbidden, notFound = "", "FORBIDDEN", "NOT_FOUND"

	// Reading the agency: its staff see members and invitations, others null.
	for who, staff := range map[string]bool{"owner": true, "manager": true, "member": false, "outsider": false, "client": false} {
		var d struct {
			Agency struct {
				Members            []struct{ Role string }
				PendingInvitations []struct{ ID string }
			}
		}
		a.ok(tok[who], agencyMembersQuery, map[string]any{"id": agency}, &d)
		if (d.Agency.Members != nil) != staff || (d.Agency.PendingInvitations != nil) != staff {
			t.Errorf("agency as %s: members %v invitations %v", who, d.Agency.Members, d.Agency.PendingInvitations)
		}
	}

	// Inviting: the owner any role but owner, the business manager members.
	run("inviteAgencyMember MEMBER", inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": agency, "userId": ids["outsider"]}},
		expect{"outsider": notFound, "client": notFound, "member": forbidden, "manager": ok})
	run("inviteAgencyMember BUSINESS_MANAGER", inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": agency, "userId": ids["client"], "role": "BUSINESS_MANAGER"}},
		expect{"outsider": notFound, "member": forbidden, "manager": forbidden})
	var pend struct {
		Agency struct {
			PendingInvitations []struct{ ID string }
		}
	}
	a.ok(tok["owner"], agencyMembersQuery, map[string]any{"id": agency}, &pend)
	inv := pend.Agency.PendingInvitations[0].ID
	run("declineAgencyInvitation", `mutation($id: ID!) { declineAgencyInvitation(input: {invitationId: $id}) { invitation { status } } }`, map[string]any{"id": inv},
		expect{"client": notFound, "member": notFound, "manager": forbidden, "owner": forbidden})
	run("acceptAgencyInvitation", acceptMemberMutation, map[string]any{"id": inv},
		expect{"client": notFound, "member": notFound, "manager": forbidden, "owner": forbidden, "outsider": ok})

	// Roles, ownership, removal: the owner only.
	run("setAgencyMemberRole", setRoleMutation, map[string]any{"a": agency, "u": ids["outsider"], "r": "MEMBER"},
		expect{"client": notFound, "member": forbidden, "manager": forbidden, "owner": ok})
	run("transferAgencyOwnership", transferMutation, map[string]any{"a": agency, "u": ids["manager"]},
		expect{"client": notFound, "outsider": forbidden, "member": forbidden, "manager": forbidden})
	run("leaveAgency as owner", leaveMutation, map[string]any{"a": agency}, expect{"owner": "INVALID_STATE", "client": notFound})

	// Buying for the agency: owner and business manager.
	buy := func(key string) map[string]any {
		return map[string]any{"in": map[string]any{"connects": 10, "idempotencyKey": key, "agencyId": agency}}
	}
	run("buyConnects for the agency", buyMutation, buy("matrix-0001"), expect{"client": notFound, "outsider": forbidden, "member": forbidden, "manager": ok})
	run("buyConnects for the agency (owner)", buyMutation, buy("matrix-0002"), expect{"owner": ok})
	run("buyConnects for oneself", buyMutation, map[string]any{"in": map[string]any{"connects": 10, "idempotencyKey": "matrix-0003"}},
		expect{"client": forbidden, "member": ok})

	// Applying for a member: the business manager, with the agency.
	var job struct {
		PostJob struct{ Job struct{ ID string } }
	}
	a.ok(tok["client"], postJobMutation, map[string]any{"in": map[string]any{"title": "Matrix job", "description": "A job to apply to.",
		"contractType": "FIXED", "budget": map[string]any{"amount": "500"}, "connectsRequired": 2}}, &job)
	submit := map[string]any{"in": map[string]any{"jobId": job.PostJob.Job.ID, "coverLetter": "We can.", "freelancerId": ids["member"], "agencyId": agency}}
	run("submitProposal for a member", submitMutation, submit, expect{"client": notFound, "outsider": forbidden, "owner": forbidden, "manager": ok})
	var prop struct {
		Proposals struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	a.ok(tok["member"], `{ proposals(first: 1) { edges { node { id } } } }`, nil, &prop)
	proposal := prop.Proposals.Edges[0].Node.ID
	run("proposal before removal", `query($p: ID!) { proposal(id: $p) { id } }`, map[string]any{"p": proposal},
		expect{"member": ok, "manager": ok, "owner": ok, "client": ok, "outsider": notFound})

	// Removal: the owner only; afterwards the member is refused.
	run("removeAgencyMember", removeMutation, map[string]any{"a": agency, "u": ids["member"]},
		expect{"client": notFound, "outsider": forbidden, "member": forbidden, "manager": forbidden, "owner": ok})
	run("proposal after removal", `query($p: ID!) { proposal(id: $p) { id } }`, map[string]any{"p": proposal},
		expect{"member": notFound, "manager": ok, "owner": ok, "client": ok})
	run("updateProposal after removal", `mutation($p: ID!) { updateProposal(input: {proposalId: $p, coverLetter: "Edited."}) { proposal { id } } }`,
		map[string]any{"p": proposal}, expect{"member": notFound})
	run("leaveAgency after removal", leaveMutation, map[string]any{"a": agency}, expect{"member": notFound})
	run("buyConnects after removal", buyMutation, buy("matrix-0004"), expect{"member": notFound})
}
