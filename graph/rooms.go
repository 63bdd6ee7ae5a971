package graph

// Resolvers of message rooms and messages.

import (
	"context"
	"errors"

	"github.com/vikstrous/dataloadgen"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

var errNotImplementedB = errors.New("not implemented")

func (r *Resolver) messageRoom(ctx context.Context, obj *market.Message) (*market.Room, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) messageSender(ctx context.Context, obj *market.Message) (*market.User, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) messageProposal(ctx context.Context, input model.MessageProposalInput) (*model.MessageProposalPayload, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) sendMessage(ctx context.Context, input model.SendMessageInput) (*model.SendMessagePayload, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) markRoomRead(ctx context.Context, input model.MarkRoomReadInput) (*model.MarkRoomReadPayload, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) proposalRoom(ctx context.Context, obj *market.Proposal) (*market.Room, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) queryRooms(ctx context.Context, first *int, after *string) (*model.RoomConnection, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) queryRoom(ctx context.Context, id string) (*market.Room, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) roomProposal(ctx context.Context, obj *market.Room) (*market.Proposal, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) roomJob(ctx context.Context, obj *market.Room) (*market.Job, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) roomMembers(ctx context.Context, obj *market.Room) ([]*market.RoomMember, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) roomUnreadCount(ctx context.Context, obj *market.Room) (int, error) {
	return 0, errNotImplementedB
}

func (r *Resolver) roomLastMessage(ctx context.Context, obj *market.Room) (*market.Message, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) roomMessages(ctx context.Context, obj *market.Room, first *int, after *string, last *int, before *string) (*model.MessageConnection, error) {
	return nil, errNotImplementedB
}

func (r *Resolver) roomContactSharingAllowed(ctx context.Context, obj *market.Room) (bool, error) {
	return false, errNotImplementedB
}

func (r *Resolver) roomMemberUser(ctx context.Context, obj *market.RoomMember) (*market.User, error) {
	return nil, errNotImplementedB
}

var (
	_ = model.PageInfo{}
	_ market.Node
)

// roomLoaders are this area's per-request loaders (fields of Loaders).
type roomLoaders struct{}

func newRoomLoaders(h *hiring.Service, opts ...dataloadgen.Option) roomLoaders {
	return roomLoaders{}
}
