package market

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMatchScore(t *testing.T) {
	for _, tc := range []struct {
		matched, skills int
		rate            bool
		avail           Availability
		want            float64
	}{
		{3, 3, true, AvailabilityAvailable, 1},
		{3, 3, true, AvailabilityPartTime, 0.9667},     // 3.625 / 3.75
		{3, 3, false, AvailabilityAvailable, 0.8667},   // 3.25 / 3.75
		{3, 3, false, AvailabilityUnavailable, 0.8},    // 3 / 3.75
		{2, 3, true, AvailabilityAvailable, 0.7333},    // 2.75 / 3.75
		{1, 4, false, AvailabilityUnavailable, 0.2105}, // 1 / 4.75
		{0, 0, true, AvailabilityAvailable, 1},
		{0, 2, false, AvailabilityUnavailable, 0},
	} {
		got := MatchScore(tc.matched, tc.skills, tc.rate, tc.avail)
		if got != tc.want {
			t.Errorf("MatchScore(%d, %d, %v, %s) = %v, want %v", tc.matched, tc.skills, tc.rate, tc.avail, got, tc.want)
		}
	}
}

// TestMatchScoreOrder checks that sorting by score is sorting by the
// ranking's keys: matched skills, then rate within budget, then availability.
func TestMatchScoreOrder(t *testing.T) {
	for _, skills := range []int{1, 2, 3, 5, 10, MaxSkills} {
		type key struct {
			matched int
			rate    bool
			avail   int
		}
		var keys []key
		for m := 0; m <= skills; m++ {
			for _, r := range []bool{false, true} {
				for a := range AvailabilityOrder {
					keys = append(keys, key{m, r, a})
				}
			}
		}
		// keys run from worst to best in ranking order.
		slices.SortFunc(keys, func(x, y key) int {
			if x.matched != y.matched {
				return x.matched - y.matched
			}
			if x.rate != y.rate {
				if x.rate {
					return 1
				}
				return -1
			}
			return y.avail - x.avail // index 0 (AVAILABLE) is best
		})
		prev := -1.0
		for _, k := range keys {
			s := MatchScore(k.matched, skills, k.rate, AvailabilityOrder[k.avail])
			if s <= prev || s < 0 || s > 1 {
				t.Fatalf("%d skills: %+v scores %v after %v: not increasing within 0..1", skills, k, s, prev)
			}
			prev = s
		}
		if prev != 1 {
			t.Errorf("%d skills: the best candidate scores %v, want 1", skills, prev)
		}
	}
}

func TestMatchCriteriaFor(t *testing.T) {
	max := USD(6000)
	hourly := &Job{ID: 1, ClientID: 2, Skills: []string{"go"}, ContractType: ContractHourly, HourlyMin: ptr(USD(3000)), HourlyMax: &max}
	if c := MatchCriteriaFor(hourly); c.MaxRate == nil || *c.MaxRate != max || c.JobID != 1 || c.ClientID != 2 || !slices.Equal(c.Skills, []string{"go"}) {
		t.Errorf("hourly: %+v", c)
	}
	fixed := &Job{ContractType: ContractFixed, Budget: ptr(USD(100000))}
	if c := MatchCriteriaFor(fixed); c.MaxRate != nil {
		t.Errorf("fixed: any rate fits, got max %v", c.MaxRate)
	}
}

func TestFeature(t *testing.T) {
	for _, tc := range []struct {
		name     string
		job      Job
		want     bool
		wantCode Code
	}{
		{"OK", Job{Status: JobOpen}, true, ""},
		{"AlreadyFeatured", Job{Status: JobOpen, Featured: true}, false, ""},
		{"ErrClosed", Job{Status: JobClosed, CloseResult: ptr(JobNoHire)}, false, CodeInvalidState},
		{"ErrClosedFeatured", Job{Status: JobClosed, CloseResult: ptr(JobExpired), Featured: true}, false, CodeInvalidState},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := tc.job
			got, err := j.Feature()
			if tc.wantCode != "" {
				if !IsCode(err, tc.wantCode) {
					t.Fatalf("want %s, got %v", tc.wantCode, err)
				}
				return
			}
			if err != nil || got != tc.want || !j.Featured {
				t.Fatalf("Feature() = %v, %v; featured %v", got, err, j.Featured)
			}
		})
	}
	if AutoInvites(0) != DefaultAutoInvites || AutoInvites(-1) != DefaultAutoInvites || AutoInvites(3) != 3 {
		t.Error("AutoInvites: 0 or less means the default")
	}
}

func TestProfileUpdate(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	t.Run("OK", func(t *testing.T) {
		u := ProfileUpdate{Title: ptr("  Go engineer "), Skills: []string{" Go", "go", "GraphQL"}, HourlyRate: ptr(USD(5500)),
			Availability: ptr(AvailabilityPartTime)}
		if err := u.Validate(); err != nil {
			t.Fatal(err)
		}
		p := NewProfile(7)
		p.Overview = "kept"
		u.Apply(p, now)
		if p.Title != "Go engineer" || p.Overview != "kept" || !slices.Equal(p.Skills, []string{"go", "graphql"}) ||
			p.HourlyRate.Minor != 5500 || p.Availability != AvailabilityPartTime || !p.UpdatedAt.Equal(now) {
			t.Fatalf("%+v", p)
		}
		clear := ProfileUpdate{Skills: []string{}}
		if err := clear.Validate(); err != nil {
			t.Fatal(err)
		}
		clear.Apply(p, now)
		if len(p.Skills) != 0 || p.Title != "Go engineer" {
			t.Fatalf("an empty list clears the skills, the rest stays: %+v", p)
		}
	})
	for _, tc := range []struct {
		name  string
		u     ProfileUpdate
		field string
	}{
		{"EmptyTitle", ProfileUpdate{Title: ptr("  ")}, "input.title"},
		{"LongTitle", ProfileUpdate{Title: ptr(strings.Repeat("a", MaxProfileTitleLen+1))}, "input.title"},
		{"LongOverview", ProfileUpdate{Overview: ptr(strings.Repeat("a", MaxOverviewLen+1))}, "input.overview"},
		{"EmptySkill", ProfileUpdate{Skills: []string{"go", " "}}, "input.skills"},
		{"TooManySkills", ProfileUpdate{Skills: slices.Repeat([]string{"x"}, MaxSkills+1)}, "input.skills"},
		{"RateTooLow", ProfileUpdate{HourlyRate: ptr(USD(299))}, "input.hourlyRate.amount"},
		{"RateTooHigh", ProfileUpdate{HourlyRate: ptr(USD(100000))}, "input.hourlyRate.amount"},
		{"Availability", ProfileUpdate{Availability: ptr(Availability("SOMETIMES"))}, "input.availability"},
	} {
		t.Run("Err"+tc.name, func(t *testing.T) {
			err := tc.u.Validate()
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeValidationFailed || e.Field != tc.field {
				t.Fatalf("want VALIDATION_FAILED on %s, got %v", tc.field, err)
			}
		})
	}
}

func TestBadgeFor(t *testing.T) {
	h := time.Hour
	for _, tc := range []struct {
		responded int
		median    time.Duration
		want      ResponseBadge // "" for none
	}{
		{0, 0, ""},
		{2, time.Minute, ""},
		{3, time.Minute, BadgeWithin24Hours},
		{3, 24 * h, BadgeWithin24Hours},
		{3, 24*h + time.Second, BadgeWithin3Days},
		{10, 72 * h, BadgeWithin3Days},
		{10, 72*h + time.Second, BadgeOver3Days},
		{4, 30 * 24 * h, BadgeOver3Days},
	} {
		got := BadgeFor(tc.responded, tc.median)
		if (got == nil) != (tc.want == "") || (got != nil && *got != tc.want) {
			t.Errorf("BadgeFor(%d, %v) = %v, want %q", tc.responded, tc.median, got, tc.want)
		}
	}
}

func TestInvitationStats(t *testing.T) {
	none := InvitationStats{}
	if none.ResponseRate() != nil || none.MedianResponseTime() != nil || none.Badge() != nil {
		t.Errorf("no data: %v %v %v", none.ResponseRate(), none.MedianResponseTime(), none.Badge())
	}
	unanswered := InvitationStats{Received: 2}
	if r := unanswered.ResponseRate(); r == nil || *r != 0 || unanswered.MedianResponseTime() != nil || unanswered.Badge() != nil {
		t.Errorf("received, no responses: %+v", unanswered)
	}
	s := InvitationStats{Received: 3, Responded: 2, MedianResponseSeconds: ptr(5400.4)}
	if r := s.ResponseRate(); *r != 0.6667 {
		t.Errorf("rate %v", *r)
	}
	if m := s.MedianResponseTime(); *m != 5400 {
		t.Errorf("median %v", *m)
	}
	if s.Badge() != nil {
		t.Error("two responses are not enough for a badge")
	}
	s.Responded, s.Received = 3, 3
	if b := s.Badge(); b == nil || *b != BadgeWithin24Hours {
		t.Errorf("badge %v", b)
	}
}
