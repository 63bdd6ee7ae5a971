package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// NotificationPage is a page of the viewer's feed with their unread count.
type NotificationPage struct {
	market.Page[*market.Notification]
	// UnreadCount counts every unread notification of the viewer, whatever
	// the filter.
	UnreadCount int
}

// Notifications returns a newest-first page of the viewer's own feed (R23),
// only the unread ones when unreadOnly; Total counts the filtered list.
func (s *Service) Notifications(ctx context.Context, viewerID int64, unreadOnly bool, p market.PageRequest) (*NotificationPage, error) {
	c := s.store.Read()
	total, unread, err := c.NotificationCounts(ctx, viewerID)
	if err != nil {
		return nil, err
	}
	if unreadOnly {
		total = unread
	}
	items, err := c.ListNotifications(ctx, viewerID, unreadOnly, p)
	if err != nil {
		return nil, err
	}
	return &NotificationPage{Page: market.Trim(items, p, total), UnreadCount: unread}, nil
}

// MarkReadResult is what markNotificationsRead changed.
type MarkReadResult struct {
	// Notifications are the ones named, in the order given (none with all).
	Notifications []*market.Notification
	UnreadCount   int
}

// MarkNotificationsRead marks the viewer's notifications ids (nil: not
// given), or with all every one of them, read at the service clock's time,
// in one transaction (R23). Those already read keep their time. Naming a
// notification that is not the viewer's changes nothing.
// Errors: VALIDATION_FAILED, NOT_FOUND.
func (s *Service) MarkNotificationsRead(ctx context.Context, viewerID int64, ids []int64, all bool) (*MarkReadResult, error) {
	if err := market.CheckMarkRead(ids, all); err != nil {
		return nil, err
	}
	ids = withoutRepeats(ids)
	var res *MarkReadResult
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		out := &MarkReadResult{Notifications: []*market.Notification{}}
		if all {
			if err := c.SetAllNotificationsRead(ctx, viewerID, now); err != nil {
				return err
			}
		} else {
			found, err := c.UserNotifications(ctx, viewerID, ids, true)
			if err != nil {
				return err
			}
			if len(found) != len(ids) {
				return market.NotFound("notification")
			}
			byID := make(map[int64]*market.Notification, len(found))
			var changed []int64
			for _, n := range found {
				byID[n.ID] = n
				if n.MarkRead(now) {
					changed = append(changed, n.ID)
				}
			}
			if len(changed) > 0 {
				if err := c.SetNotificationsRead(ctx, viewerID, changed, now); err != nil {
					return err
				}
			}
			for _, id := range ids {
				out.Notifications = append(out.Notifications, byID[id])
			}
		}
		unread, err := c.UnreadNotificationCount(ctx, viewerID)
		if err != nil {
			return err
		}
		out.UnreadCount = unread
		res = out
		return nil
	})
	return res, err
}

// withoutRepeats drops repeated ids, keeping the first occurrences' order.
func withoutRepeats(ids []int64) []int64 {
	if ids == nil {
		return nil
	}
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
