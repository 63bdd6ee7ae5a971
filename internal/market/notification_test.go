package market_test

import (
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
)

// TestCheckMarkRead: markNotificationsRead takes exactly one of a non-empty
// list of ids or all: true (R23).
func TestCheckMarkRead(t *testing.T) {
	tooMany := make([]int64, market.MaxMarkRead+1)
	for _, tc := range []struct {
		name  string
		ids   []int64
		all   bool
		field string // "" when valid
	}{
		{"OK ids", []int64{1, 2}, false, ""},
		{"OK all", nil, true, ""},
		{"OK the most ids", make([]int64, market.MaxMarkRead), false, ""},
		{"ErrBoth", []int64{1}, true, "input"},
		{"ErrEmptyIdsAndAll", []int64{}, true, "input"},
		{"ErrNeither", nil, false, "input.ids"},
		{"ErrEmptyIds", []int64{}, false, "input.ids"},
		{"ErrTooMany", tooMany, false, "input.ids"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := market.CheckMarkRead(tc.ids, tc.all)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var e *market.Error
			if !market.IsCode(err, market.CodeValidationFailed) {
				t.Fatalf("want VALIDATION_FAILED, got %v", err)
			}
			if e = err.(*market.Error); e.Field != tc.field {
				t.Errorf("want field %s, got %s", tc.field, e.Field)
			}
		})
	}
}

// TestNotificationMarkRead: marking read sets the time once; a read
// notification keeps the time it was first read (R23).
func TestNotificationMarkRead(t *testing.T) {
	t1 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var n market.Notification
	if !n.MarkRead(t1) || n.ReadAt == nil || !n.ReadAt.Equal(t1) {
		t.Fatalf("first read: %+v", n)
	}
	if n.MarkRead(t1.Add(time.Hour)) || !n.ReadAt.Equal(t1) {
		t.Errorf("a read notification changed: %+v", n)
	}
}
