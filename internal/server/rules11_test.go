package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// TestOwnerAnswersOffersWithoutBusinessManager: issue 11, acceptance 6
// (R19). In an agency with only an owner and a member, an offer on the
// member's agency proposal is answered by the owner: the member is refused,
// the owner accepts and a contract starts.
func TestOwnerAnswersOffersWithoutBusinessManager(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	member := a.tok(hiring.DemoMember)
	owner := a.tok(hiring.DemoOwner)
	prop := a.memberProposal(member)
	// The agency loses its business manager: an owner and a member remain.
	if _, err := a.DB.Exec(`DELETE FROM agency_members WHERE role = 'BUSINESS_MANAGER'`); err != nil {
		t.Fatal(err)
	}
	if n := a.count(`SELECT count(*) FROM agency_members m JOIN proposals p ON p.agency_id = m.agency_id WHERE p.id = (SELECT max(id) FROM proposals)`); n != 2 {
		t.Fatalf("the agency has %d members, want the owner and the member", n)
	}
	o, _ := a.sendOffer(client, map[string]any{"proposalId": prop, "message": "Let's start."})
	r := a.fails("FORBIDDEN", member, acceptOfferMutation, map[string]any{"id": o.ID})
	if !strings.Contains(r.Errors[0].Message, "owner") {
		t.Errorf("the refusal should say who answers: %q", r.Errors[0].Message)
	}
	var d struct {
		AcceptOffer struct {
			Offer    struct{ Status string }
			Contract struct{ ID, Status string }
		}
	}
	a.ok(owner, acceptOfferMutation, map[string]any{"id": o.ID}, &d)
	if d.AcceptOffer.Offer.Status != "ACCEPTED" || d.AcceptOffer.Contract.ID == "" || d.AcceptOffer.Contract.Status != "ACTIVE" {
		t.Errorf("the owner's acceptance: %+v", d.AcceptOffer)
	}
	// The owner heard about the offer (the bell), as a business manager would.
	if n := a.count(`SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.kind = 'OFFER_RECEIVED'`, hiring.DemoOwner); n != 1 {
		t.Errorf("the owner got %d offer notifications, want 1", n)
	}
}

// TestClientNeverSeesIgnoring: issue 11, acceptance 6 (R25). After the
// freelancer ignores an invitation, the client's view of it (through the
// job, through node()) says nothing of it: not archived, no archivedAt, the
// same updatedAt, while the freelancer sees it archived.
func TestClientNeverSeesIgnoring(t *testing.T) {
	a := newApp(t)
	client := a.tok(hiring.DemoClient)
	fr := a.tok(hiring.DemoFreelancer)
	inv := a.invitations(fr, map[string]any{"status": "PENDING"}).Invitations.Edges[0].Node
	const view = `query($id: ID!) { node(id: $id) { ... on Invitation { id status archived archivedAt updatedAt
		job { invitations { edges { node { id archived archivedAt updatedAt } } } } } } }`
	before := a.post(client, view, map[string]any{"id": inv.ID})
	if len(before.Errors) > 0 {
		t.Fatalf("the client's view: %+v", before.Errors)
	}
	var ignored struct {
		IgnoreInvitation struct{ Invitation struct{ Archived bool } }
	}
	a.ok(fr, ignoreMutation, map[string]any{"id": inv.ID}, &ignored)
	if !ignored.IgnoreInvitation.Invitation.Archived {
		t.Fatal("the freelancer should see the invitation archived")
	}
	after := a.post(client, view, map[string]any{"id": inv.ID})
	if string(after.Data) != string(before.Data) {
		t.Errorf("the client's view changed when the freelancer ignored the invitation:\nbefore %s\nafter  %s", before.Data, after.Data)
	}
	var d struct {
		Node struct {
			Archived   bool
			ArchivedAt *string
		}
	}
	if err := json.Unmarshal(after.Data, &d); err != nil || d.Node.Archived || d.Node.ArchivedAt != nil {
		t.Errorf("the client sees %+v (%v)", d.Node, err)
	}
}
