package hiring

import (
	"context"
	"errors"
	"slices"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/realtime"
)

// The subscriptions (R24). Each stream is read once per topic for all of
// this process's subscribers (realtime.Follow), and each subscriber's right
// to it is checked when it starts and against every shared read, so that a
// stream never shows what the typed queries would not.

// NotificationEvent is a notification with the unread count once it arrived.
type NotificationEvent struct {
	Notification *market.Notification
	UnreadCount  int
}

// InvitationEvent is a received invitation with the position of its
// notification in the viewer's feed, which orders the invitation stream.
type InvitationEvent struct {
	Seq        int64
	Invitation *market.Invitation
}

// MessagesAfter returns up to a page of a room's messages after seq
// `after`, to a member: a subscriber's own read (a resume's backlog).
// Errors: NOT_FOUND.
func (s *Service) MessagesAfter(ctx context.Context, viewerID, roomID, after int64) ([]*market.Message, error) {
	return s.messagesAfter(ctx, viewerID, roomID, after, realtime.FetchLimit)
}

func (s *Service) messagesAfter(ctx context.Context, viewerID, roomID, after int64, limit int) ([]*market.Message, error) {
	if _, err := s.Room(ctx, viewerID, roomID); err != nil {
		return nil, err
	}
	ms, _, err := s.store.Read().MessagesAndMembersAfter(ctx, roomID, after, limit)
	return ms, err
}

// NotificationsAfter returns up to a page of the viewer's notifications
// after seq `after`, each with the viewer's unread count as of that
// notification, in one statement.
func (s *Service) NotificationsAfter(ctx context.Context, viewerID, after int64) ([]NotificationEvent, error) {
	return s.notificationsAfter(ctx, viewerID, after, realtime.FetchLimit)
}

func (s *Service) notificationsAfter(ctx context.Context, viewerID, after int64, limit int) ([]NotificationEvent, error) {
	ns, unread, err := s.store.Read().NotificationsAfterWithUnread(ctx, viewerID, after, limit)
	if err != nil || len(ns) == 0 {
		return nil, err
	}
	out := make([]NotificationEvent, len(ns))
	for i := len(ns) - 1; i >= 0; i-- {
		out[i] = NotificationEvent{Notification: ns[i], UnreadCount: unread}
		if ns[i].ReadAt == nil {
			unread--
		}
	}
	return out, nil
}

// InvitationsAfter returns, for up to a page of the viewer's
// invitation-received notifications after feed position `after`, each
// position and its invitation; the invitation is nil where the viewer may
// not see it (the position still counts, so that a stream moves past it).
func (s *Service) InvitationsAfter(ctx context.Context, viewerID, after int64) ([]InvitationEvent, error) {
	return s.invitationsAfter(ctx, viewerID, after, realtime.FetchLimit)
}

func (s *Service) invitationsAfter(ctx context.Context, viewerID, after int64, limit int) ([]InvitationEvent, error) {
	ns, err := s.store.Read().NotificationsAfter(ctx, viewerID, after, []market.NotificationKind{market.NotifyInvitationReceived}, limit)
	if err != nil || len(ns) == 0 {
		return nil, err
	}
	ids := make([]int64, len(ns))
	for i, n := range ns {
		ids[i] = n.SubjectID
	}
	invs, err := s.InvitationsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]InvitationEvent, len(ns))
	for i, n := range ns {
		out[i] = InvitationEvent{Seq: n.Seq}
		if inv := invs[n.SubjectID]; inv != nil && inv.FreelancerID == viewerID {
			out[i].Invitation = inv
		}
	}
	return out, nil
}

// realtime returns the process's broker. Errors: INTERNAL without one.
func (s *Service) realtime() (*realtime.Broker, error) {
	if s.broker == nil {
		return nil, errors.New("realtime: no event broker configured")
	}
	return s.broker, nil
}

// SubscribeMessages streams a room's messages after seq `after`, then live,
// to a member (R16, R24). A member who leaves the room gets NOT_FOUND and the
// stream ends. Errors: NOT_FOUND.
func (s *Service) SubscribeMessages(ctx context.Context, viewerID, roomID, after int64, sink realtime.Sink[*market.Message]) error {
	b, err := s.realtime()
	if err != nil {
		return err
	}
	if _, err := s.Room(ctx, viewerID, roomID); err != nil {
		return err
	}
	return realtime.Follow(ctx, b, realtime.Source[*market.Message]{
		Topic: market.RoomTopic(roomID), Key: "messages", Kinds: []string{market.EventMessage},
		Read: func(ctx context.Context, after int64, limit int) ([]*market.Message, any, error) {
			ms, members, err := s.store.Read().MessagesAndMembersAfter(ctx, roomID, after, limit)
			return ms, members, err
		},
		Seq: func(m *market.Message) int64 { return m.Seq },
	}, realtime.Subscriber[*market.Message]{
		After: after,
		// A resume's backlog goes through the authorized read.
		Fetch: func(ctx context.Context, after int64, limit int) ([]*market.Message, any, error) {
			ms, err := s.messagesAfter(ctx, viewerID, roomID, after, limit)
			return ms, []int64{viewerID}, err
		},
		Visible: func(meta any, _ *market.Message) (bool, error) {
			if members, _ := meta.([]int64); !slices.Contains(members, viewerID) {
				return false, market.NotFound("room")
			}
			return true, nil
		},
		Sink: sink,
	})
}

// SubscribeNotifications streams the viewer's notifications after feed
// position `after`, then live, each with the unread count (R23, R24).
func (s *Service) SubscribeNotifications(ctx context.Context, viewerID, after int64, sink realtime.Sink[NotificationEvent]) error {
	b, err := s.realtime()
	if err != nil {
		return err
	}
	return realtime.Follow(ctx, b, realtime.Source[NotificationEvent]{
		Topic: market.UserTopic(viewerID), Key: "notifications", Kinds: []string{market.EventNotification},
		Read: func(ctx context.Context, after int64, limit int) ([]NotificationEvent, any, error) {
			evs, err := s.notificationsAfter(ctx, viewerID, after, limit)
			return evs, nil, err
		},
		Seq: func(e NotificationEvent) int64 { return e.Notification.Seq },
	}, realtime.Subscriber[NotificationEvent]{After: after, Sink: sink})
}

// SubscribeInvitations streams the invitations the viewer receives after
// feed position `after`, then live (R24).
func (s *Service) SubscribeInvitations(ctx context.Context, viewerID, after int64, sink realtime.Sink[InvitationEvent]) error {
	b, err := s.realtime()
	if err != nil {
		return err
	}
	return realtime.Follow(ctx, b, realtime.Source[InvitationEvent]{
		Topic: market.UserTopic(viewerID), Key: "invitations", Kinds: []string{market.EventNotification},
		Read: func(ctx context.Context, after int64, limit int) ([]InvitationEvent, any, error) {
			evs, err := s.invitationsAfter(ctx, viewerID, after, limit)
			return evs, nil, err
		},
		Seq: func(e InvitationEvent) int64 { return e.Seq },
	}, realtime.Subscriber[InvitationEvent]{
		After:   after,
		Visible: func(_ any, e InvitationEvent) (bool, error) { return e.Invitation != nil, nil },
		Sink:    sink,
	})
}

// SubscribeProposals streams, live, the proposals the viewer is party to
// whenever their status or viewed state changes (either side).
func (s *Service) SubscribeProposals(ctx context.Context, viewerID int64, sink realtime.Sink[*market.Proposal]) error {
	b, err := s.realtime()
	if err != nil {
		return err
	}
	return realtime.Watch(ctx, b, market.UserTopic(viewerID), []string{market.EventProposal},
		func(ctx context.Context, e market.Event) (*market.Proposal, bool) {
			p, err := s.Proposal(ctx, viewerID, e.ID)
			return p, err == nil // an error: no longer visible
		}, sink)
}
