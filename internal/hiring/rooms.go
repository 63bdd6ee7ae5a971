package hiring

// Active proposals and their message rooms (R13-R17).

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// MessageProposalInput is the client's message responding to a proposal.
type MessageProposalInput struct {
	ProposalID      int64
	Body            string
	ClientMessageID *string
}

// MessageProposalResult is what responding changed.
type MessageProposalResult struct {
	Proposal *market.Proposal
	Room     *market.Room
	Message  *market.Message
	// Opened reports whether this call created the room.
	Opened bool
}

// MessageProposal is the client's response to a proposal (R13): the first
// call opens the proposal's room with the R14 members and makes a SUBMITTED
// proposal ACTIVE, notifying the freelancer side; every call then sends the
// message as SendMessage does. The job row, then the proposal row, are
// locked first, so simultaneous calls open one room.
// Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE, VALIDATION_FAILED,
// CONTACT_INFO_NOT_ALLOWED.
func (s *Service) MessageProposal(ctx context.Context, viewerID int64, in MessageProposalInput) (*MessageProposalResult, error) {
	cmid, err := market.CheckClientMessageID("input.clientMessageId", in.ClientMessageID)
	if err != nil {
		return nil, err
	}
	var res *MessageProposalResult
	err = s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		peek, err := c.Proposal(ctx, in.ProposalID, false)
		if err != nil {
			return err
		}
		// Lock order: job, then proposal, then room. The job is locked for
		// update (not share) because the client's message touches it (R2).
		job, err := c.Job(ctx, peek.JobID, true)
		if err != nil {
			return err
		}
		prop, err := c.Proposal(ctx, in.ProposalID, true)
		if err != nil {
			return err
		}
		role, err := roleIn(ctx, c, prop.AgencyID, viewerID)
		if err != nil {
			return err
		}
		if err := prop.AuthorizeClientAction(viewerID, role, job, "respond to a proposal with messageProposal; send messages in the proposal's room with sendMessage"); err != nil {
			return err
		}
		if err := market.RequireMessageable(prop); err != nil {
			return err
		}
		body, err := market.CheckMessageBody("input.body", in.Body)
		if err != nil {
			return err
		}
		res = &MessageProposalResult{Proposal: prop}
		room, err := c.RoomOfProposal(ctx, prop.ID, true)
		var members []*market.RoomMember
		switch {
		case market.IsCode(err, market.CodeNotFound):
			room, members, err = openRoom(ctx, c, job, prop, now)
			res.Opened = true
		case err == nil:
			members, err = c.MembersOfRooms(ctx, []int64{room.ID})
		}
		if err != nil {
			return err
		}
		msg, err := appendMessage(ctx, c, outgoing{room: room, members: members, job: job, senderID: viewerID, body: body, clientMessageID: cmid, now: now})
		if err != nil {
			return err
		}
		res.Room, res.Message = room, msg
		return nil
	})
	return res, err
}

// openRoom creates the room of a proposal with its R14 members, activates
// the proposal and tells the freelancer side (bell and user stream).
func openRoom(ctx context.Context, c *postgres.Conn, job *market.Job, prop *market.Proposal, now time.Time) (*market.Room, []*market.RoomMember, error) {
	var staff []market.AgencyMember
	if prop.AgencyID != nil {
		var err error
		if staff, err = c.AgencyMembers(ctx, *prop.AgencyID); err != nil {
			return nil, nil, err
		}
	}
	members := market.RoomMembers(job.ClientID, prop.FreelancerID, staff, prop.AgencyID != nil)
	room, err := c.CreateRoom(ctx, prop.ID, job.ClientID, members, now)
	if err != nil {
		return nil, nil, err
	}
	if market.ActivateForRoom(prop, now) {
		if err := c.ActivateProposal(ctx, prop); err != nil {
			return nil, nil, err
		}
	}
	out := make([]*market.RoomMember, len(members))
	for i, m := range members {
		m.RoomID, m.JoinedAt = room.ID, now
		out[i] = &m
	}
	for _, m := range byUserID(out) {
		if m.UserID == job.ClientID {
			continue
		}
		if _, err := c.AddNotification(ctx, market.NewNotification{
			UserID: m.UserID, Kind: market.NotifyProposalActivated, SubjectType: market.SubjectRoom, SubjectID: room.ID,
			ActorID: &job.ClientID, Title: fmt.Sprintf("The client responded to the proposal for %q: a message room is open", job.Title),
		}, now); err != nil {
			return nil, nil, err
		}
		if err := c.Notify(ctx, market.Event{Topic: market.UserTopic(m.UserID), Kind: market.EventProposal, ID: prop.ID}); err != nil {
			return nil, nil, err
		}
	}
	return room, out, nil
}

// SendMessageInput is a message to a room.
type SendMessageInput struct {
	RoomID          int64
	Body            string
	ClientMessageID *string
}

// SentMessage is a message and its room after sending.
type SentMessage struct {
	Room    *market.Room
	Message *market.Message
}

// SendMessage sends a message to a room the viewer is a member of (R15,
// R16). The message gets the room's next sequence number under the room's
// row lock; a message the sender already sent with the same clientMessageId
// is returned as stored, and nothing changes. Before a contract exists
// between the room's client and the proposal's freelancer the body may not
// carry contact details (R17). Errors: NOT_FOUND, VALIDATION_FAILED,
// CONTACT_INFO_NOT_ALLOWED.
func (s *Service) SendMessage(ctx context.Context, viewerID int64, in SendMessageInput) (*SentMessage, error) {
	cmid, err := market.CheckClientMessageID("input.clientMessageId", in.ClientMessageID)
	if err != nil {
		return nil, err
	}
	var res *SentMessage
	err = s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		peek, members, err := roomOfMember(ctx, c, viewerID, in.RoomID)
		if err != nil {
			return err
		}
		body, err := market.CheckMessageBody("input.body", in.Body)
		if err != nil {
			return err
		}
		prop, err := c.Proposal(ctx, peek.ProposalID, false)
		if err != nil {
			return err
		}
		// Lock order: the job first when the client writes (their message
		// touches it), then the room.
		job, err := c.Job(ctx, prop.JobID, viewerID == peek.ClientID)
		if err != nil {
			return err
		}
		room, err := c.Room(ctx, in.RoomID, true)
		if err != nil {
			return err
		}
		msg, err := appendMessage(ctx, c, outgoing{room: room, members: members, job: job, senderID: viewerID, body: body, clientMessageID: cmid, now: now})
		if err != nil {
			return err
		}
		res = &SentMessage{Room: room, Message: msg}
		return nil
	})
	return res, err
}

// outgoing is a message about to be appended to a locked room.
type outgoing struct {
	room            *market.Room // locked for update
	members         []*market.RoomMember
	job             *market.Job
	senderID        int64
	body            string // checked for length
	clientMessageID *string
	now             time.Time
}

// appendMessage stores a message in a room whose row the transaction has
// locked: idempotent on the sender's clientMessageId, R17 before a contract,
// next sequence number, the sender's read position, the other members'
// bells, the room's event, and the job's activity when the client writes.
func appendMessage(ctx context.Context, c *postgres.Conn, o outgoing) (*market.Message, error) {
	if o.clientMessageID != nil {
		m, err := c.MessageByClientID(ctx, o.room.ID, o.senderID, *o.clientMessageID)
		if err == nil {
			// A retry gets the stored message and changes nothing; another
			// message under the same id is a CONFLICT.
			return m, market.CheckReplay("input.clientMessageId", m, o.body)
		}
		if !market.IsCode(err, market.CodeNotFound) {
			return nil, err
		}
	}
	withContract, err := c.RoomsWithContract(ctx, []int64{o.room.ID})
	if err != nil {
		return nil, err
	}
	if len(withContract) == 0 {
		if err := noContactInfo("input.body", o.body); err != nil {
			return nil, err
		}
	}
	msg, err := c.AppendMessage(ctx, o.room.ID, o.senderID, o.body, o.clientMessageID, o.now)
	if err != nil {
		return nil, err
	}
	o.room.LastSeq = msg.Seq
	if err := c.AdvanceRoomRead(ctx, o.room.ID, o.senderID, msg.Seq); err != nil {
		return nil, err
	}
	// Bells in user id order: user rows are locked last and in one order
	// everywhere, so that concurrent sends to rooms sharing users cannot deadlock.
	for _, m := range byUserID(o.members) {
		if m.UserID == o.senderID {
			m.LastReadSeq = max(m.LastReadSeq, msg.Seq)
			continue
		}
		if _, err := c.AddNotification(ctx, market.NewNotification{
			UserID: m.UserID, Kind: market.NotifyMessageReceived, SubjectType: market.SubjectRoom, SubjectID: o.room.ID,
			ActorID: &o.senderID, Title: fmt.Sprintf("New message about %q", o.job.Title),
		}, o.now); err != nil {
			return nil, err
		}
	}
	if err := c.Notify(ctx, market.Event{Topic: market.RoomTopic(o.room.ID), Kind: market.EventMessage, ID: msg.ID, Seq: msg.Seq}); err != nil {
		return nil, err
	}
	if o.senderID == o.room.ClientID {
		if err := c.TouchJob(ctx, o.job.ID, o.now); err != nil {
			return nil, err
		}
	}
	return msg, nil
}

// byUserID returns the members sorted by user id.
func byUserID(members []*market.RoomMember) []*market.RoomMember {
	return slices.SortedFunc(slices.Values(members), func(a, b *market.RoomMember) int { return cmp.Compare(a.UserID, b.UserID) })
}

// roomOfMember loads a room and its members if the viewer is one of them
// (R16). Errors: NOT_FOUND.
func roomOfMember(ctx context.Context, c *postgres.Conn, viewerID, roomID int64) (*market.Room, []*market.RoomMember, error) {
	room, err := c.Room(ctx, roomID, false)
	if err != nil {
		return nil, nil, err
	}
	members, err := c.MembersOfRooms(ctx, []int64{room.ID})
	if err != nil {
		return nil, nil, err
	}
	if market.FindMember(members, viewerID) == nil {
		return nil, nil, market.NotFound("room")
	}
	return room, members, nil
}

// MarkRoomRead moves the viewer's read position in a room to seq, or to the
// newest message when seq is nil; it never moves backwards.
// Errors: NOT_FOUND, VALIDATION_FAILED.
func (s *Service) MarkRoomRead(ctx context.Context, viewerID, roomID int64, seq *int64) (*market.Room, error) {
	var out *market.Room
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		room, members, err := roomOfMember(ctx, c, viewerID, roomID)
		if err != nil {
			return err
		}
		me := market.FindMember(members, viewerID)
		target, err := market.ReadTarget(room.LastSeq, me.LastReadSeq, seq)
		if err != nil {
			return err
		}
		out = room
		if target == me.LastReadSeq {
			return nil
		}
		return c.AdvanceRoomRead(ctx, room.ID, viewerID, target)
	})
	return out, err
}

// Room returns a room the viewer is a member of (R16). Errors: NOT_FOUND.
func (s *Service) Room(ctx context.Context, viewerID, id int64) (*market.Room, error) {
	room, _, err := roomOfMember(ctx, s.store.Read(), viewerID, id)
	return room, err
}

// Rooms lists the rooms the viewer is a member of, most recently active first.
func (s *Service) Rooms(ctx context.Context, viewerID int64, p market.RoomPageRequest) (market.Page[market.RoomListItem], error) {
	items, total, err := s.store.Read().RoomsOfMember(ctx, viewerID, p)
	if err != nil {
		return market.Page[market.RoomListItem]{}, err
	}
	return market.Trim(items, market.PageRequest{Limit: p.Limit}, total), nil
}

// RoomMessages pages through a room's history as of room.LastSeq. It does
// not authorize: the room was reached through an authorized read.
func (s *Service) RoomMessages(ctx context.Context, room *market.Room, p market.MessagePageRequest) (market.MessagePage, error) {
	ms, err := s.store.Read().ListMessages(ctx, room.ID, p, room.LastSeq)
	if err != nil {
		return market.MessagePage{}, err
	}
	return p.Page(ms, room.LastSeq), nil
}

// Batch loads of rooms, for dataloaders (see batch.go).

// MembersByRoomID loads the members of rooms.
func (s *Service) MembersByRoomID(ctx context.Context, ids []int64) (map[int64][]*market.RoomMember, error) {
	ms, err := s.store.Read().MembersOfRooms(ctx, ids)
	return groupBy(ms, func(m *market.RoomMember) int64 { return m.RoomID }), err
}

// LastMessageByRoomID loads the newest message of rooms.
func (s *Service) LastMessageByRoomID(ctx context.Context, ids []int64) (map[int64]*market.Message, error) {
	ms, err := s.store.Read().LastMessagesOfRooms(ctx, ids)
	return byID(ms, func(m *market.Message) int64 { return m.RoomID }), err
}

// RoomByProposalID loads the rooms of proposals.
func (s *Service) RoomByProposalID(ctx context.Context, ids []int64) (map[int64]*market.Room, error) {
	rs, err := s.store.Read().RoomsByProposalID(ctx, ids)
	return byID(rs, func(r *market.Room) int64 { return r.ProposalID }), err
}

// ContactSharingByRoomID reports, per room, whether a contract exists
// between its client and its proposal's freelancer (R17).
func (s *Service) ContactSharingByRoomID(ctx context.Context, ids []int64) (map[int64]bool, error) {
	with, err := s.store.Read().RoomsWithContract(ctx, ids)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = false
	}
	for _, id := range with {
		m[id] = true
	}
	return m, nil
}
