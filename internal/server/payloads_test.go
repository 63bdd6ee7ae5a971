package server_test

import (
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/wstest"
)

// Issue 10: payloads and the bell's event return what changed, with the
// viewer's counters as they are after the change, so that normalized caches
// need no refetch.
func TestPayloadsCarryTheViewer(t *testing.T) {
	a := newApp(t)
	client, fr := a.login(hiring.DemoClient), a.login(hiring.DemoFreelancer)
	frID := a.viewerID(fr)

	var before struct {
		Viewer struct {
			ID                      string
			ConnectsBalance         int
			UnreadNotificationCount int
		}
	}
	a.ok(fr, `{ viewer { id connectsBalance unreadNotificationCount } }`, nil, &before)

	// The bell's event carries the viewer with its new unread count.
	ws := a.dial(wstest.TransportWS, fr).Ack()
	ws.Subscribe("bell", `subscription { notificationReceived { unreadCount viewer { id unreadNotificationCount } } }`, nil)
	a.waitSubscribed(1)
	a.postAndInvite(client, "Cache-friendly job", frID)
	e := ws.Event(wait)
	if path(e.Data, "notificationReceived", "viewer", "id") != before.Viewer.ID ||
		path(e.Data, "notificationReceived", "viewer", "unreadNotificationCount") != float64(before.Viewer.UnreadNotificationCount+1) ||
		path(e.Data, "notificationReceived", "unreadCount") != float64(before.Viewer.UnreadNotificationCount+1) {
		t.Fatalf("notificationReceived: %+v", e)
	}

	// Marking read: the viewer's count afterwards.
	var mark struct {
		MarkNotificationsRead struct {
			UnreadCount int
			Viewer      struct {
				ID                      string
				UnreadNotificationCount int
			}
		}
	}
	a.ok(fr, `mutation { markNotificationsRead(input: {all: true}) { unreadCount viewer { id unreadNotificationCount } } }`, nil, &mark)
	if m := mark.MarkNotificationsRead; m.UnreadCount != 0 || m.Viewer.ID != before.Viewer.ID || m.Viewer.UnreadNotificationCount != 0 {
		t.Fatalf("markNotificationsRead: %+v", m)
	}

	// Accepting: the viewer's balance after the charge.
	inv := a.invitations(fr, map[string]any{"status": "PENDING"}).byTitle(t, "Cache-friendly job")
	var acc struct {
		AcceptInvitation struct {
			ConnectsBalance int
			Invitation      struct{ Status string }
			Proposal        struct{ ID, Status string }
			Viewer          struct {
				ID              string
				ConnectsBalance int
			}
		}
	}
	a.ok(fr, `mutation($in: AcceptInvitationInput!) { acceptInvitation(input: $in) { connectsBalance invitation { status } proposal { id status } viewer { id connectsBalance } } }`,
		map[string]any{"in": map[string]any{"invitationId": inv.ID, "coverLetter": "Happy to help."}}, &acc)
	if p := acc.AcceptInvitation; p.Viewer.ID != before.Viewer.ID || p.Viewer.ConnectsBalance != before.Viewer.ConnectsBalance-2 ||
		p.ConnectsBalance != p.Viewer.ConnectsBalance || p.Invitation.Status != "ACCEPTED" || p.Proposal.Status != "SUBMITTED" {
		t.Fatalf("acceptInvitation: %+v (balance before %d)", p, before.Viewer.ConnectsBalance)
	}

	// Offers: each answer returns the proposal with its new status.
	proposal := acc.AcceptInvitation.Proposal.ID
	a.ok(client, `mutation($p: ID!) { messageProposal(input: {proposalId: $p, body: "Hi"}) { room { id } } }`, map[string]any{"p": proposal}, nil)
	for _, step := range []struct {
		who, send, answer, field, want string
	}{
		{client, "withdraw", `mutation($id: ID!) { withdrawOffer(input: {offerId: $id}) { proposal { id status } } }`, "withdrawOffer", "ACTIVE"},
		{fr, "decline", `mutation($id: ID!) { declineOffer(input: {offerId: $id}) { proposal { id status } } }`, "declineOffer", "ACTIVE"},
		{fr, "accept", `mutation($id: ID!) { acceptOffer(input: {offerId: $id}) { proposal { id status } } }`, "acceptOffer", "HIRED"},
	} {
		o, status := a.sendOffer(client, map[string]any{"proposalId": proposal})
		if status != "OFFERED" {
			t.Fatalf("%s: sent, the proposal is %s", step.send, status)
		}
		var d map[string]struct{ Proposal struct{ ID, Status string } }
		a.ok(step.who, step.answer, map[string]any{"id": o.ID}, &d)
		if p := d[step.field].Proposal; p.ID != proposal || p.Status != step.want {
			t.Errorf("%s: proposal %+v, want %s", step.field, p, step.want)
		}
	}
}
