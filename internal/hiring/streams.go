package hiring

import (
	"context"
	"errors"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/realtime"
)

// Reads behind the subscriptions (R24). Each checks the viewer's right to
// the stream on every read, so a stream never shows what the typed queries
// would not.

// MessagesAfter returns the messages of a room after seq `after`, to a
// member. Errors: NOT_FOUND.
func (s *Service) MessagesAfter(ctx context.Context, viewerID, roomID, after int64) ([]*market.Message, error) {
	if _, err := s.Room(ctx, viewerID, roomID); err != nil {
		return nil, err
	}
	return s.store.Read().MessagesAfter(ctx, roomID, after, realtime.FetchLimit)
}

// NotificationEvent is a notification with the unread count once it arrived.
type NotificationEvent struct {
	Notification *market.Notification
	UnreadCount  int
}

// NotificationsAfter returns the viewer's notifications after seq `after`,
// each with the viewer's unread count as of that notification.
func (s *Service) NotificationsAfter(ctx context.Context, viewerID, after int64) ([]NotificationEvent, error) {
	c := s.store.Read()
	ns, err := c.NotificationsAfter(ctx, viewerID, after, nil, realtime.FetchLimit)
	if err != nil || len(ns) == 0 {
		return nil, err
	}
	unread, err := c.UnreadNotificationsUpTo(ctx, viewerID, ns[len(ns)-1].Seq)
	if err != nil {
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

// InvitationEvent is a received invitation with the position of its
// notification in the viewer's feed, which orders the invitation stream.
type InvitationEvent struct {
	Seq        int64
	Invitation *market.Invitation
}

// InvitationsAfter returns the invitations the viewer received after feed
// position `after`, in the order they arrived.
func (s *Service) InvitationsAfter(ctx context.Context, viewerID, after int64) ([]InvitationEvent, error) {
	c := s.store.Read()
	ns, err := c.NotificationsAfter(ctx, viewerID, after, []market.NotificationKind{market.NotifyInvitationReceived}, realtime.FetchLimit)
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
	out := make([]InvitationEvent, 0, len(ns))
	for _, n := range ns {
		if inv := invs[n.SubjectID]; inv != nil && inv.FreelancerID == viewerID {
			out = append(out, InvitationEvent{Seq: n.Seq, Invitation: inv})
		}
	}
	return out, nil
}

// subscribe opens a broker subscription. Errors: INTERNAL without a broker.
func (s *Service) subscribe(topic string) (*realtime.Sub, error) {
	if s.broker == nil {
		return nil, errors.New("realtime: no event broker configured")
	}
	return s.broker.Subscribe(topic), nil
}

// SubscribeMessages streams a room's messages after seq `after`, then live,
// to a member (R16, R24). Errors: NOT_FOUND.
func (s *Service) SubscribeMessages(ctx context.Context, viewerID, roomID, after int64) (<-chan *market.Message, error) {
	if _, err := s.Room(ctx, viewerID, roomID); err != nil {
		return nil, err
	}
	sub, err := s.subscribe(market.RoomTopic(roomID))
	if err != nil {
		return nil, err
	}
	out := make(chan *market.Message)
	go realtime.Stream(ctx, sub, after, func(ctx context.Context, after int64) ([]*market.Message, error) {
		return s.MessagesAfter(ctx, viewerID, roomID, after)
	}, func(m *market.Message) int64 { return m.Seq }, out)
	return out, nil
}

// SubscribeNotifications streams the viewer's notifications after feed
// position `after`, then live, each with the unread count (R23, R24).
func (s *Service) SubscribeNotifications(ctx context.Context, viewerID, after int64) (<-chan NotificationEvent, error) {
	sub, err := s.subscribe(market.UserTopic(viewerID))
	if err != nil {
		return nil, err
	}
	out := make(chan NotificationEvent)
	go realtime.Stream(ctx, sub, after, func(ctx context.Context, after int64) ([]NotificationEvent, error) {
		return s.NotificationsAfter(ctx, viewerID, after)
	}, func(e NotificationEvent) int64 { return e.Notification.Seq }, out)
	return out, nil
}

// SubscribeInvitations streams the invitations the viewer receives after
// feed position `after`, then live (R24).
func (s *Service) SubscribeInvitations(ctx context.Context, viewerID, after int64) (<-chan InvitationEvent, error) {
	sub, err := s.subscribe(market.UserTopic(viewerID))
	if err != nil {
		return nil, err
	}
	out := make(chan InvitationEvent)
	go realtime.Stream(ctx, sub, after, func(ctx context.Context, after int64) ([]InvitationEvent, error) {
		return s.InvitationsAfter(ctx, viewerID, after)
	}, func(e InvitationEvent) int64 { return e.Seq }, out)
	return out, nil
}

// SubscribeProposals streams, live, the proposals the viewer is party to
// whenever their status or viewed state changes (either side).
func (s *Service) SubscribeProposals(ctx context.Context, viewerID int64) (<-chan *market.Proposal, error) {
	sub, err := s.subscribe(market.UserTopic(viewerID))
	if err != nil {
		return nil, err
	}
	out := make(chan *market.Proposal)
	go func() {
		defer close(out)
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case <-sub.Resync: // live only: nothing to re-read
			case e := <-sub.C:
				if e.Kind != market.EventProposal {
					continue
				}
				p, err := s.Proposal(ctx, viewerID, e.ID)
				if err != nil {
					continue // no longer visible
				}
				select {
				case out <- p:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}
