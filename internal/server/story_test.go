package server_test

import (
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// storyFeed is the newest notification of a user and their unread count.
type storyFeed struct {
	Viewer        struct{ UnreadNotificationCount int }
	Notifications struct {
		UnreadCount int
		Edges       []struct {
			Node struct {
				Kind    string
				Read    bool
				Subject struct {
					Typename string `json:"__typename"`
					ID       string
				}
			}
		}
	}
}

func (a *app) newestNotification(token string) storyFeed {
	a.t.Helper()
	var f storyFeed
	a.ok(token, `{ viewer { unreadNotificationCount } notifications(first: 1) { unreadCount edges { node { kind read subject {
		__typename ... on Invitation { id } ... on Proposal { id } ... on Room { id } ... on Offer { id } ... on Contract { id } } } } } }`, nil, &f)
	return f
}

// expectNotified checks that the user's newest notification is of kind,
// about subject (a __typename and id), and that their unread count is unread.
func (a *app) expectNotified(step, token, kind, typename, id string, unread int) {
	a.t.Helper()
	f := a.newestNotification(token)
	if len(f.Notifications.Edges) == 0 {
		a.t.Fatalf("%s: no notification", step)
	}
	n := f.Notifications.Edges[0].Node
	if n.Kind != kind || n.Read || n.Subject.Typename != typename || (id != "" && n.Subject.ID != id) {
		a.t.Errorf("%s: newest notification %+v, want %s about %s %s", step, n, kind, typename, id)
	}
	if f.Viewer.UnreadNotificationCount != unread || f.Notifications.UnreadCount != unread {
		a.t.Errorf("%s: unread %d/%d, want %d", step, f.Viewer.UnreadNotificationCount, f.Notifications.UnreadCount, unread)
	}
}

// TestHiringStory walks the whole story of issue 3 through the HTTP API:
// invite, accept with a proposal, view, message, offer, contract, bonus,
// close; every step's notification lands in the right feed.
func TestHiringStory(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	var me struct {
		Viewer struct{ User struct{ ID string } }
	}
	a.ok(fr, `{ viewer { user { id } } }`, nil, &me)
	frUnread := a.newestNotification(fr).Viewer.UnreadNotificationCount
	clUnread := a.newestNotification(client).Viewer.UnreadNotificationCount

	// The client posts a job and invites the freelancer.
	var job struct {
		PostJob struct{ Job struct{ ID string } }
	}
	a.ok(client, `mutation { postJob(input: {title: "Realtime chat in Go", description: "Websockets and PostgreSQL.", skills: ["go"],
		contractType: HOURLY, hourlyRange: {min: {amount: "40"}, max: {amount: "70"}}, connectsRequired: 5}) { job { id } } }`, nil, &job)
	jobID := job.PostJob.Job.ID
	var inv struct {
		InviteFreelancer struct{ Invitation struct{ ID string } }
	}
	a.ok(client, `mutation($j: ID!, $f: ID!) { inviteFreelancer(input: {jobId: $j, freelancerId: $f, message: "Your chat work is great."}) { invitation { id } } }`,
		map[string]any{"j": jobID, "f": me.Viewer.User.ID}, &inv)
	invID := inv.InviteFreelancer.Invitation.ID
	frUnread++
	a.expectNotified("invited", fr, "INVITATION_RECEIVED", "Invitation", invID, frUnread)

	// The freelancer accepts with a proposal.
	var acc struct {
		AcceptInvitation struct{ Proposal struct{ ID string } }
	}
	a.ok(fr, acceptMutation, map[string]any{"in": map[string]any{"invitationId": invID, "coverLetter": "I built two chat backends in Go."}}, &acc)
	propID := acc.AcceptInvitation.Proposal.ID
	clUnread++
	a.expectNotified("accepted", client, "INVITATION_ACCEPTED", "Proposal", propID, clUnread)

	// The client views it: the cover letter locks, the terms stay editable.
	a.Clock.Advance(10 * time.Minute)
	var viewed struct {
		MarkProposalViewed struct {
			Proposal struct {
				ContentEditable bool
				TermsEditable   bool
				ClientViewedAt  *string
			}
		}
	}
	a.ok(client, `mutation($p: ID!) { markProposalViewed(input: {proposalId: $p}) { proposal { contentEditable termsEditable clientViewedAt } } }`,
		map[string]any{"p": propID}, &viewed)
	if v := viewed.MarkProposalViewed.Proposal; v.ContentEditable || !v.TermsEditable || v.ClientViewedAt == nil {
		t.Errorf("after the view: %+v", v)
	}
	frUnread++
	a.expectNotified("viewed", fr, "PROPOSAL_VIEWED", "Proposal", propID, frUnread)
	a.fails("EDIT_WINDOW_CLOSED", fr, `mutation($p: ID!) { updateProposal(input: {proposalId: $p, coverLetter: "Edited"}) { proposal { id } } }`, map[string]any{"p": propID})
	a.ok(fr, `mutation($p: ID!) { updateProposal(input: {proposalId: $p, terms: {hourlyRate: {amount: "65.00"}}}) { proposal { terms { hourlyRate { amount } } } } }`, map[string]any{"p": propID}, nil)

	// The client messages it: ACTIVE, a room with the client and the freelancer.
	var msg struct {
		MessageProposal struct {
			Proposal struct{ Status string }
			Room     struct {
				ID      string
				Members []struct {
					Role string
					User struct{ ID string }
				}
			}
			Message struct{ Seq int }
		}
	}
	a.ok(client, `mutation($p: ID!) { messageProposal(input: {proposalId: $p, body: "Hi! When could you start?"}) {
		proposal { status } room { id members { role user { id } } } message { seq } } }`, map[string]any{"p": propID}, &msg)
	room := msg.MessageProposal.Room
	if msg.MessageProposal.Proposal.Status != "ACTIVE" || len(room.Members) != 2 || msg.MessageProposal.Message.Seq != 1 {
		t.Fatalf("after messageProposal: %+v", msg.MessageProposal)
	}
	frUnread += 2 // activated, and the message itself
	a.expectNotified("messaged", fr, "MESSAGE_RECEIVED", "Room", room.ID, frUnread)

	// They exchange messages; contact details are refused before a contract.
	send := `mutation($r: ID!, $b: String!) { sendMessage(input: {roomId: $r, body: $b}) { message { seq } } }`
	a.ok(fr, send, map[string]any{"r": room.ID, "b": "Monday works. What is the stack?"}, nil)
	clUnread++
	a.expectNotified("reply", client, "MESSAGE_RECEIVED", "Room", room.ID, clUnread)
	a.fails("CONTACT_INFO_NOT_ALLOWED", fr, send, map[string]any{"r": room.ID, "b": "Email me at frankie@example.com"})

	// Offer, accepted: a contract.
	var off struct {
		SendOffer struct {
			Offer    struct{ ID string }
			Proposal struct{ Status string }
		}
	}
	a.ok(client, `mutation($p: ID!) { sendOffer(input: {proposalId: $p, weeklyLimitHours: 20, message: "Let's go"}) { offer { id } proposal { status } } }`,
		map[string]any{"p": propID}, &off)
	if off.SendOffer.Proposal.Status != "OFFERED" {
		t.Errorf("proposal after offer: %+v", off.SendOffer.Proposal)
	}
	frUnread++
	a.expectNotified("offer", fr, "OFFER_RECEIVED", "Offer", off.SendOffer.Offer.ID, frUnread)
	var accOffer struct {
		AcceptOffer struct {
			Contract struct {
				ID     string
				Status string
				Terms  struct{ HourlyRate struct{ Amount string } }
			}
		}
	}
	a.ok(fr, `mutation($o: ID!) { acceptOffer(input: {offerId: $o}) { contract { id status terms { hourlyRate { amount } } } } }`,
		map[string]any{"o": off.SendOffer.Offer.ID}, &accOffer)
	contract := accOffer.AcceptOffer.Contract
	if contract.Status != "ACTIVE" || contract.Terms.HourlyRate.Amount != "65.00" {
		t.Errorf("contract: %+v", contract)
	}
	clUnread++
	a.expectNotified("offer accepted", client, "OFFER_ACCEPTED", "Contract", contract.ID, clUnread)

	// With a contract, contact details may be shared in the room.
	a.ok(fr, send, map[string]any{"r": room.ID, "b": "Great! Email me at frankie@example.com"}, nil)
	clUnread++
	var roomState struct {
		Room struct{ ContactSharingAllowed bool }
	}
	a.ok(client, `query($r: ID!) { room(id: $r) { contactSharingAllowed } }`, map[string]any{"r": room.ID}, &roomState)
	if !roomState.Room.ContactSharingAllowed {
		t.Error("contact sharing should be allowed once a contract exists")
	}

	// A bonus, then the client closes the job as hired.
	var bonus struct {
		PayBonus struct {
			Contract struct{ TotalBonus struct{ Amount string } }
		}
	}
	a.ok(client, `mutation($c: ID!) { payBonus(input: {contractId: $c, amount: {amount: "150.00"}, note: "Great kickoff"}) { contract { totalBonus { amount } } } }`,
		map[string]any{"c": contract.ID}, &bonus)
	if bonus.PayBonus.Contract.TotalBonus.Amount != "150.00" {
		t.Errorf("bonus: %+v", bonus.PayBonus)
	}
	frUnread++
	a.expectNotified("bonus", fr, "BONUS_PAID", "Contract", contract.ID, frUnread)

	var closed struct {
		CloseJob struct {
			Job              struct{ Status, CloseResult string }
			ConnectsRefunded int
		}
	}
	a.ok(client, `mutation($j: ID!) { closeJob(input: {jobId: $j, result: HIRED}) { job { status closeResult } connectsRefunded } }`,
		map[string]any{"j": jobID}, &closed)
	if c := closed.CloseJob; c.Job.Status != "CLOSED" || c.Job.CloseResult != "HIRED" || c.ConnectsRefunded != 0 {
		t.Errorf("closed job: %+v", c)
	}
	var prop struct {
		Proposal struct{ Status string }
	}
	a.ok(fr, `query($p: ID!) { proposal(id: $p) { status } }`, map[string]any{"p": propID}, &prop)
	if prop.Proposal.Status != "HIRED" {
		t.Errorf("the hired proposal should stay HIRED, got %s", prop.Proposal.Status)
	}
	// Everyone's counts are where the steps left them.
	if f := a.newestNotification(client); f.Viewer.UnreadNotificationCount != clUnread {
		t.Errorf("client unread %d, want %d", f.Viewer.UnreadNotificationCount, clUnread)
	}
	var all struct {
		MarkNotificationsRead struct{ UnreadCount int }
	}
	a.ok(fr, `mutation { markNotificationsRead(input: {all: true}) { unreadCount } }`, nil, &all)
	if all.MarkNotificationsRead.UnreadCount != 0 || a.newestNotification(fr).Viewer.UnreadNotificationCount != 0 {
		t.Errorf("after marking all read: %+v", all)
	}
}
