package server_test

import (
	"encoding/json"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// Issue 10, acceptance 4: every type that implements Node, as the served
// schema says (introspection), resolves through node(id) for a viewer
// allowed to see it, and is null for an outsider unless it is public.

// nodeSample is an object of one Node type: its id, a viewer who may see
// it, and whether anyone signed in may (users, jobs, agencies, reasons).
type nodeSample struct {
	id, viewer string
	public     bool
}

func TestNodeRoundTrip(t *testing.T) {
	a := newApp(t)
	client, fr := a.login(hiring.DemoClient), a.login(hiring.DemoFreelancer)
	outsider := a.login(hiring.DemoMember) // party to none of the below

	// One of everything: a hired invitation with a room, an offer, a
	// contract with a bonus and time, notifications and ledger entries.
	proposal := a.freelancerProposal(fr, nil)
	var mp struct {
		MessageProposal struct {
			Room    struct{ ID string }
			Message struct{ ID string }
		}
	}
	a.ok(client, `mutation($p: ID!) { messageProposal(input: {proposalId: $p, body: "Hello"}) { room { id } message { id } } }`, map[string]any{"p": proposal}, &mp)
	offer, _ := a.sendOffer(client, map[string]any{"proposalId": proposal, "message": "Welcome"})
	_, contract := a.acceptOffer(fr, offer.ID)
	var bonus struct {
		PayBonus struct{ Bonus struct{ ID string } }
	}
	a.ok(client, `mutation($c: ID!) { payBonus(input: {contractId: $c, amount: {amount: "10.00"}, note: "Thanks"}) { bonus { id } } }`, map[string]any{"c": contract.ID}, &bonus)
	var logged struct {
		LogTime struct{ TimeEntry struct{ ID string } }
	}
	a.ok(fr, `mutation($c: ID!) { logTime(input: {contractId: $c, minutes: 30, memo: "Setup"}) { timeEntry { id } } }`, map[string]any{"c": contract.ID}, &logged)
	var mine struct {
		Viewer struct {
			ID   string
			User struct{ ID string }
		}
		Invitations struct {
			Edges []struct{ Node struct{ ID string } }
		}
		Notifications struct {
			Edges []struct{ Node struct{ ID string } }
		}
		ConnectsLedger struct {
			Edges []struct{ Node struct{ ID string } }
		}
		DeclineReasons []struct{ ID string }
	}
	a.ok(fr, `{ viewer { id user { id } } invitations(first: 1) { edges { node { id } } } notifications(first: 1) { edges { node { id } } }
		connectsLedger(first: 1) { edges { node { id } } } declineReasons { id } }`, nil, &mine)
	var member struct {
		Viewer struct {
			Agencies []struct{ Agency struct{ ID string } }
		}
	}
	a.ok(outsider, `{ viewer { agencies { agency { id } } } }`, nil, &member)
	var job struct {
		Proposal struct{ Job struct{ ID string } }
	}
	a.ok(fr, `query($p: ID!) { proposal(id: $p) { job { id } } }`, map[string]any{"p": proposal}, &job)

	owner := a.login(hiring.DemoOwner)
	var agencyInvite struct {
		InviteAgencyMember struct{ Invitation struct{ ID string } }
	}
	a.ok(owner, `mutation($a: ID!) { inviteAgencyMember(input: {agencyId: $a, email: "freelancer000001@pool.hiregraph.test", role: MEMBER}) { invitation { id } } }`,
		map[string]any{"a": member.Viewer.Agencies[0].Agency.ID}, &agencyInvite)
	var bought struct {
		BuyConnects struct{ Purchase struct{ ID string } }
	}
	a.ok(fr, `mutation { buyConnects(input: {connects: 10, idempotencyKey: "node-round-trip"}) { purchase { id } } }`, nil, &bought)

	samples := map[string]nodeSample{
		"AgencyInvitation":    {id: agencyInvite.InviteAgencyMember.Invitation.ID, viewer: owner},
		"ConnectsPurchase":    {id: bought.BuyConnects.Purchase.ID, viewer: fr},
		"User":                {id: mine.Viewer.User.ID, viewer: fr, public: true},
		"Agency":              {id: member.Viewer.Agencies[0].Agency.ID, viewer: fr, public: true},
		"Job":                 {id: job.Proposal.Job.ID, viewer: client, public: true},
		"Reason":              {id: mine.DeclineReasons[0].ID, viewer: fr, public: true},
		"Invitation":          {id: mine.Invitations.Edges[0].Node.ID, viewer: fr},
		"Proposal":            {id: proposal, viewer: client},
		"Room":                {id: mp.MessageProposal.Room.ID, viewer: fr},
		"Message":             {id: mp.MessageProposal.Message.ID, viewer: fr},
		"Offer":               {id: offer.ID, viewer: fr},
		"Contract":            {id: contract.ID, viewer: client},
		"Bonus":               {id: bonus.PayBonus.Bonus.ID, viewer: fr},
		"TimeEntry":           {id: logged.LogTime.TimeEntry.ID, viewer: client},
		"Notification":        {id: mine.Notifications.Edges[0].Node.ID, viewer: fr},
		"ConnectsLedgerEntry": {id: mine.ConnectsLedger.Edges[0].Node.ID, viewer: fr},
	}

	var schema struct {
		Type struct{ PossibleTypes []struct{ Name string } } `json:"__type"`
	}
	a.ok(fr, `{ __type(name: "Node") { possibleTypes { name } } }`, nil, &schema)
	if len(schema.Type.PossibleTypes) == 0 {
		t.Fatal("no type implements Node")
	}
	const q = `query($id: ID!) { node(id: $id) { __typename id } }`
	for _, pt := range schema.Type.PossibleTypes {
		s, ok := samples[pt.Name]
		if !ok {
			t.Errorf("%s implements Node but this test has no sample of it: add one", pt.Name)
			continue
		}
		var got struct {
			Node *struct {
				Typename string `json:"__typename"`
				ID       string
			}
		}
		a.ok(s.viewer, q, map[string]any{"id": s.id}, &got)
		if got.Node == nil || got.Node.Typename != pt.Name || got.Node.ID != s.id {
			t.Errorf("%s %s: node() as an allowed viewer gave %+v", pt.Name, s.id, got.Node)
		}
		r := a.post(outsider, q, map[string]any{"id": s.id})
		if len(r.Errors) > 0 {
			t.Errorf("%s: node() as an outsider failed: %+v", pt.Name, r.Errors)
			continue
		}
		got.Node = nil
		if err := json.Unmarshal(r.Data, &got); err != nil {
			t.Fatal(err)
		}
		if s.public != (got.Node != nil) {
			t.Errorf("%s (public: %v): node() as an outsider gave %+v", pt.Name, s.public, got.Node)
		}
	}

	// The viewer has an id of its own, not its user's, and is not a Node.
	if mine.Viewer.ID == mine.Viewer.User.ID {
		t.Errorf("Viewer.id equals User.id (%s)", mine.Viewer.ID)
	}
	var vnode struct{ Node *struct{ ID string } }
	a.ok(fr, q, map[string]any{"id": mine.Viewer.ID}, &vnode)
	if vnode.Node != nil {
		t.Errorf("node(viewer id) = %+v, want null", vnode.Node)
	}
}
