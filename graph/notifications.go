package graph

// Resolvers of the notification feed (R23).

import (
	"context"
	"fmt"

	"github.com/vikstrous/dataloadgen"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

func (r *Resolver) markNotificationsRead(ctx context.Context, input model.MarkNotificationsReadInput) (*model.MarkNotificationsReadPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	if input.Ids != nil {
		ids = make([]int64, len(input.Ids))
		for i, s := range input.Ids {
			if ids[i], err = decodeID(fmt.Sprintf("input.ids.%d", i), kindNotification, s); err != nil {
				return nil, err
			}
		}
	}
	all := input.All != nil && *input.All
	res, err := r.Hiring.MarkNotificationsRead(ctx, v, ids, all)
	if err != nil {
		return nil, err
	}
	return &model.MarkNotificationsReadPayload{Notifications: res.Notifications, UnreadCount: res.UnreadCount}, nil
}

// notificationSubject resolves what a notification links to through the
// request's loaders, so that a page of notifications costs one statement per
// kind of subject. A subject that no longer exists is null.
func (r *Resolver) notificationSubject(ctx context.Context, obj *market.Notification) (market.Node, error) {
	l := r.loaders(ctx)
	id := &obj.SubjectID
	switch obj.SubjectType {
	case market.SubjectInvitation:
		return nilIfMissing(loadOptional(ctx, l.Invitation, id))
	case market.SubjectProposal:
		return nilIfMissing(loadOptional(ctx, l.Proposal, id))
	case market.SubjectRoom:
		return nilIfMissing(loadOptional(ctx, l.Room, id))
	case market.SubjectOffer:
		return nilIfMissing(loadOptional(ctx, l.Offer, id))
	case market.SubjectContract:
		return nilIfMissing(loadOptional(ctx, l.Contract, id))
	case market.SubjectAgencyInvitation:
		return nilIfMissing(loadOptional(ctx, l.AgencyInvitation, id))
	case market.SubjectAgency:
		return nilIfMissing(loadOptional(ctx, l.Agency, id))
	}
	return nil, nil
}

func (r *Resolver) notificationActor(ctx context.Context, obj *market.Notification) (*market.User, error) {
	return loadOptional(ctx, r.loaders(ctx).User, obj.ActorID)
}

func (r *Resolver) notificationRead(_ context.Context, obj *market.Notification) (bool, error) {
	return obj.ReadAt != nil, nil
}

func (r *Resolver) queryNotifications(ctx context.Context, first *int, after *string, unreadOnly *bool) (*model.NotificationConnection, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	p, err := pageRequest(first, after)
	if err != nil {
		return nil, err
	}
	page, err := r.Hiring.Notifications(ctx, v, unreadOnly != nil && *unreadOnly, p)
	if err != nil {
		return nil, err
	}
	edges, info := connection(page.Page, func(n *market.Notification) int64 { return n.ID },
		func(c string, n *market.Notification) *model.NotificationEdge {
			return &model.NotificationEdge{Cursor: c, Node: n}
		})
	return &model.NotificationConnection{Edges: edges, PageInfo: info, TotalCount: page.Total, UnreadCount: page.UnreadCount}, nil
}

// notificationLoaders are this area's per-request loaders (fields of
// Loaders). The feed has no one-to-many relation of its own: a
// notification's subject and actor go through the shared by-id loaders
// (Invitation, Proposal, Room, Offer, Contract, User), so it needs none.
type notificationLoaders struct{}

func newNotificationLoaders(_ *hiring.Service, _ ...dataloadgen.Option) notificationLoaders {
	return notificationLoaders{}
}
