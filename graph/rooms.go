package graph

// Resolvers of message rooms and messages.

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

// roomChanged drops what this request's loaders know about a room that a
// mutation just changed, so that its payload (and later mutations of the
// same request) read it afresh.
func (r *Resolver) roomChanged(ctx context.Context, room *market.Room) {
	l := r.loaders(ctx)
	l.RoomMembers.Clear(room.ID)
	l.LastMessage.Clear(room.ID)
	l.RoomByProposal.Clear(room.ProposalID)
	l.ContactSharing.Clear(room.ID)
	l.Proposal.Clear(room.ProposalID)
	l.Room.Clear(room.ID)
	l.Room.Prime(room.ID, room)
}

// Message cursors encode the message's seq; room cursors the room's list
// position (last activity and id).

func seqCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("seq:" + strconv.FormatInt(seq, 10)))
}

func decodeSeqCursor(field string, s *string) (int64, error) {
	if s == nil || *s == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*s)
	rest, ok := strings.CutPrefix(string(b), "seq:")
	var seq int64
	if err == nil && ok {
		seq, err = strconv.ParseInt(rest, 10, 64)
	}
	if err != nil || !ok || seq <= 0 {
		return 0, market.Invalid(field, "not a valid cursor")
	}
	return seq, nil
}

func roomCursor(k market.RoomKey) string {
	return base64.RawURLEncoding.EncodeToString([]byte("room:" + strconv.FormatInt(k.ActiveAt.UnixMicro(), 10) + ":" + strconv.FormatInt(k.ID, 10)))
}

func decodeRoomCursor(field string, s *string) (*market.RoomKey, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	bad := market.Invalid(field, "not a valid cursor")
	b, err := base64.RawURLEncoding.DecodeString(*s)
	if err != nil {
		return nil, bad
	}
	rest, ok := strings.CutPrefix(string(b), "room:")
	at, id, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 {
		return nil, bad
	}
	micros, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 {
		return nil, bad
	}
	return &market.RoomKey{ActiveAt: time.UnixMicro(micros).UTC(), ID: n}, nil
}

func (r *Resolver) messageRoom(ctx context.Context, obj *market.Message) (*market.Room, error) {
	return load(ctx, r.loaders(ctx).Room, obj.RoomID, "room")
}

func (r *Resolver) messageSender(ctx context.Context, obj *market.Message) (*market.User, error) {
	return load(ctx, r.loaders(ctx).User, obj.SenderID, "user")
}

func (r *Resolver) messageProposal(ctx context.Context, input model.MessageProposalInput) (*model.MessageProposalPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("input.proposalId", kindProposal, input.ProposalID)
	if err != nil {
		return nil, err
	}
	res, err := r.Hiring.MessageProposal(ctx, v, hiring.MessageProposalInput{ProposalID: id, Body: input.Body, ClientMessageID: input.ClientMessageID})
	if err != nil {
		return nil, err
	}
	r.roomChanged(ctx, res.Room)
	r.loaders(ctx).Proposal.Prime(res.Proposal.ID, res.Proposal)
	return &model.MessageProposalPayload{Proposal: res.Proposal, Room: res.Room, Message: res.Message}, nil
}

func (r *Resolver) sendMessage(ctx context.Context, input model.SendMessageInput) (*model.SendMessagePayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("input.roomId", kindRoom, input.RoomID)
	if err != nil {
		return nil, err
	}
	res, err := r.Hiring.SendMessage(ctx, v, hiring.SendMessageInput{RoomID: id, Body: input.Body, ClientMessageID: input.ClientMessageID})
	if err != nil {
		return nil, err
	}
	r.roomChanged(ctx, res.Room)
	return &model.SendMessagePayload{Message: res.Message, Room: res.Room}, nil
}

func (r *Resolver) markRoomRead(ctx context.Context, input model.MarkRoomReadInput) (*model.MarkRoomReadPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("input.roomId", kindRoom, input.RoomID)
	if err != nil {
		return nil, err
	}
	var seq *int64
	if input.Seq != nil {
		n := int64(*input.Seq)
		seq = &n
	}
	room, err := r.Hiring.MarkRoomRead(ctx, v, id, seq)
	if err != nil {
		return nil, err
	}
	r.roomChanged(ctx, room)
	return &model.MarkRoomReadPayload{Room: room}, nil
}

// proposalRoom is the proposal's room for its members; null for everyone
// else (R16), as for a proposal without a room.
func (r *Resolver) proposalRoom(ctx context.Context, obj *market.Proposal) (*market.Room, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	room, err := loadOptional(ctx, r.loaders(ctx).RoomByProposal, &obj.ID)
	if err != nil || room == nil {
		return nil, err
	}
	me, err := r.viewerMembership(ctx, v, room.ID)
	if err != nil || me == nil {
		return nil, err
	}
	return room, nil
}

// viewerMembership is the viewer's membership of a room (nil: not a member).
func (r *Resolver) viewerMembership(ctx context.Context, viewerID, roomID int64) (*market.RoomMember, error) {
	members, err := loadOptional(ctx, r.loaders(ctx).RoomMembers, &roomID)
	if err != nil {
		return nil, err
	}
	return market.FindMember(members, viewerID), nil
}

func (r *Resolver) queryRooms(ctx context.Context, first *int, after *string) (*model.RoomConnection, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	p, err := market.NewPageRequest(first, 0)
	if err != nil {
		return nil, err
	}
	key, err := decodeRoomCursor("after", after)
	if err != nil {
		return nil, err
	}
	page, err := r.Hiring.Rooms(ctx, v, market.RoomPageRequest{Limit: p.Limit, After: key})
	if err != nil {
		return nil, err
	}
	rooms := make([]*market.Room, len(page.Items))
	for i, it := range page.Items {
		rooms[i] = it.Room
	}
	r.prefetchRooms(ctx, rooms)
	edges := make([]*model.RoomEdge, len(page.Items))
	info := &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: key != nil}
	for i, it := range page.Items {
		c := roomCursor(it.Key)
		edges[i] = &model.RoomEdge{Cursor: c, Node: it.Room}
		if i == 0 {
			info.StartCursor = &c
		}
		info.EndCursor = &c
	}
	return &model.RoomConnection{Edges: edges, PageInfo: info, TotalCount: page.Total}, nil
}

// prefetchRooms loads, one batch per relation, what the requested fields of
// listed rooms will ask their loaders for, so that the per-room resolvers
// find it cached. A loader's short wait alone can split a long list's loads
// into several batches when the resolvers' goroutines are slow to run; this
// makes the room list cost the same statements whatever its length: the
// rooms' own relations first, then the users and jobs they point to.
func (r *Resolver) prefetchRooms(ctx context.Context, rooms []*market.Room) {
	if len(rooms) == 0 || !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return
	}
	want := connectionNodeFields(ctx)
	l := r.loaders(ctx)
	var ids, withMessages, proposalIDs []int64
	for _, room := range rooms {
		l.Room.Prime(room.ID, room)
		l.RoomByProposal.Prime(room.ProposalID, room)
		ids = append(ids, room.ID)
		proposalIDs = append(proposalIDs, room.ProposalID)
		if room.LastSeq > 0 {
			withMessages = append(withMessages, room.ID)
		}
	}
	var (
		members   func() ([][]*market.RoomMember, error)
		last      func() ([]*market.Message, error)
		proposals func() ([]*market.Proposal, error)
	)
	if want["members"] != nil || want["unreadCount"] != nil {
		members = l.RoomMembers.LoadAllThunk(ctx, ids)
	}
	if want["lastMessage"] != nil && len(withMessages) > 0 {
		last = l.LastMessage.LoadAllThunk(ctx, withMessages)
	}
	if want["contactSharingAllowed"] != nil {
		l.ContactSharing.LoadAllThunk(ctx, ids)
	}
	if want["proposal"] != nil || want["job"] != nil {
		proposals = l.Proposal.LoadAllThunk(ctx, proposalIDs)
	}

	// Second level: the users and jobs those point to. Errors are left for
	// the resolvers to report.
	var users, jobs []int64
	if members != nil && want["members"]["user"] {
		lists, _ := members()
		for _, ms := range lists {
			for _, m := range ms {
				users = append(users, m.UserID)
			}
		}
	}
	if last != nil && want["lastMessage"]["sender"] {
		msgs, _ := last()
		for _, m := range msgs {
			if m != nil {
				users = append(users, m.SenderID)
			}
		}
	}
	if want["job"]["client"] {
		for _, room := range rooms {
			users = append(users, room.ClientID)
		}
	}
	if proposals != nil && (want["job"] != nil || want["proposal"]["freelancer"] || want["proposal"]["submittedBy"]) {
		ps, _ := proposals()
		for _, p := range ps {
			if p == nil {
				continue
			}
			if want["job"] != nil {
				jobs = append(jobs, p.JobID)
			}
			if want["proposal"]["freelancer"] {
				users = append(users, p.FreelancerID)
			}
			if want["proposal"]["submittedBy"] {
				users = append(users, p.SubmittedBy)
			}
		}
	}
	if len(users) > 0 {
		l.User.LoadAllThunk(ctx, dedupe(users))
	}
	if len(jobs) > 0 {
		l.Job.LoadAllThunk(ctx, dedupe(jobs))
	}
}

func dedupe(ids []int64) []int64 {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// connectionNodeFields names the fields selected on edges.node of the
// connection field being resolved, each with the names selected below it.
func connectionNodeFields(ctx context.Context) map[string]map[string]bool {
	op := graphql.GetOperationContext(ctx)
	out := map[string]map[string]bool{}
	for _, edges := range graphql.CollectFieldsCtx(ctx, nil) {
		if edges.Name != "edges" {
			continue
		}
		for _, node := range graphql.CollectFields(op, edges.Selections, nil) {
			if node.Name != "node" {
				continue
			}
			for _, f := range graphql.CollectFields(op, node.Selections, nil) {
				if out[f.Name] == nil {
					out[f.Name] = map[string]bool{}
				}
				for _, sub := range graphql.CollectFields(op, f.Selections, nil) {
					out[f.Name][sub.Name] = true
				}
			}
		}
	}
	return out
}

func (r *Resolver) queryRoom(ctx context.Context, id string) (*market.Room, error) {
	return withID(ctx, "id", kindRoom, id, r.Hiring.Room)
}

func (r *Resolver) roomProposal(ctx context.Context, obj *market.Room) (*market.Proposal, error) {
	return load(ctx, r.loaders(ctx).Proposal, obj.ProposalID, "proposal")
}

func (r *Resolver) roomJob(ctx context.Context, obj *market.Room) (*market.Job, error) {
	p, err := r.roomProposal(ctx, obj)
	if err != nil {
		return nil, err
	}
	return load(ctx, r.loaders(ctx).Job, p.JobID, "job")
}

func (r *Resolver) roomMembers(ctx context.Context, obj *market.Room) ([]*market.RoomMember, error) {
	ms, err := loadOptional(ctx, r.loaders(ctx).RoomMembers, &obj.ID)
	if ms == nil && err == nil {
		ms = []*market.RoomMember{}
	}
	return ms, err
}

func (r *Resolver) roomUnreadCount(ctx context.Context, obj *market.Room) (int, error) {
	v, err := viewer(ctx)
	if err != nil {
		return 0, err
	}
	me, err := r.viewerMembership(ctx, v, obj.ID)
	if err != nil || me == nil {
		return 0, err
	}
	return market.UnreadCount(obj.LastSeq, me.LastReadSeq), nil
}

func (r *Resolver) roomLastMessage(ctx context.Context, obj *market.Room) (*market.Message, error) {
	if obj.LastSeq == 0 {
		return nil, nil
	}
	return loadOptional(ctx, r.loaders(ctx).LastMessage, &obj.ID)
}

func (r *Resolver) roomMessages(ctx context.Context, obj *market.Room, first *int, after *string, last *int, before *string) (*model.MessageConnection, error) {
	afterSeq, err := decodeSeqCursor("after", after)
	if err != nil {
		return nil, err
	}
	beforeSeq, err := decodeSeqCursor("before", before)
	if err != nil {
		return nil, err
	}
	p, err := market.NewMessagePageRequest(first, afterSeq, last, beforeSeq)
	if err != nil {
		return nil, err
	}
	page, err := r.Hiring.RoomMessages(ctx, obj, p)
	if err != nil {
		return nil, err
	}
	edges := make([]*model.MessageEdge, len(page.Items))
	info := &model.PageInfo{HasNextPage: page.HasNext, HasPreviousPage: page.HasPrevious}
	for i, m := range page.Items {
		c := seqCursor(m.Seq)
		edges[i] = &model.MessageEdge{Cursor: c, Node: m}
		if i == 0 {
			info.StartCursor = &c
		}
		info.EndCursor = &c
	}
	return &model.MessageConnection{Edges: edges, PageInfo: info, TotalCount: page.Total}, nil
}

func (r *Resolver) roomContactSharingAllowed(ctx context.Context, obj *market.Room) (bool, error) {
	return loadOptional(ctx, r.loaders(ctx).ContactSharing, &obj.ID)
}

func (r *Resolver) roomMemberUser(ctx context.Context, obj *market.RoomMember) (*market.User, error) {
	return load(ctx, r.loaders(ctx).User, obj.UserID, "user")
}
