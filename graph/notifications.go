package graph

// Resolvers of the notification feed.

import (
	"context"
	"errors"

	"github.com/vikstrous/dataloadgen"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

var errNotImplementedD = errors.New("not implemented")

func (r *Resolver) markNotificationsRead(ctx context.Context, input model.MarkNotificationsReadInput) (*model.MarkNotificationsReadPayload, error) {
	return nil, errNotImplementedD
}

func (r *Resolver) notificationSubject(ctx context.Context, obj *market.Notification) (market.Node, error) {
	return nil, errNotImplementedD
}

func (r *Resolver) notificationActor(ctx context.Context, obj *market.Notification) (*market.User, error) {
	return nil, errNotImplementedD
}

func (r *Resolver) notificationRead(ctx context.Context, obj *market.Notification) (bool, error) {
	return false, errNotImplementedD
}

func (r *Resolver) queryNotifications(ctx context.Context, first *int, after *string, unreadOnly *bool) (*model.NotificationConnection, error) {
	return nil, errNotImplementedD
}

var (
	_ = model.PageInfo{}
	_ market.Node
)

// notificationLoaders are this area's per-request loaders (fields of Loaders).
type notificationLoaders struct{}

func newNotificationLoaders(h *hiring.Service, opts ...dataloadgen.Option) notificationLoaders {
	return notificationLoaders{}
}
