package market

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRoomMembers shows R14 for every agency case.
func TestRoomMembers(t *testing.T) {
	const (
		client     = 1
		freelancer = 2
		manager    = 3
		owner      = 4
		member     = 5
		manager2   = 6
	)
	agency := func(ms ...AgencyMember) []AgencyMember { return ms }
	m := func(id int64, r AgencyRole) AgencyMember { return AgencyMember{AgencyID: 9, UserID: id, Role: r} }
	northwind := agency(m(owner, RoleOwner), m(manager, RoleBusinessManager), m(member, RoleMember))
	noManager := agency(m(owner, RoleOwner), m(member, RoleMember))

	cases := []struct {
		name         string
		freelancerID int64
		members      []AgencyMember
		isAgency     bool
		want         string
	}{
		{"R14 no agency: client and freelancer", freelancer, nil, false, "1:CLIENT 2:FREELANCER"},
		{"R14 no agency: memberships are ignored", member, northwind, false, "1:CLIENT 5:FREELANCER"},
		{"R14 agency member submits: the business manager joins", member, northwind, true, "1:CLIENT 5:FREELANCER 3:BUSINESS_MANAGER"},
		{"R14 the business manager submits: only them and the client", manager, northwind, true, "1:CLIENT 3:FREELANCER"},
		{"R14 the business manager submits: other managers stay out too", manager, agency(m(owner, RoleOwner), m(manager, RoleBusinessManager), m(manager2, RoleBusinessManager)), true, "1:CLIENT 3:FREELANCER"},
		{"R14 no business manager: the owner joins", member, noManager, true, "1:CLIENT 5:FREELANCER 4:AGENCY_OWNER"},
		{"R14 no business manager, the owner submits: once", owner, noManager, true, "1:CLIENT 4:FREELANCER"},
		{"R14 the owner submits with a manager: the manager joins", owner, northwind, true, "1:CLIENT 4:FREELANCER 3:BUSINESS_MANAGER"},
		{"R14 several business managers: all join, the owner does not", member, agency(m(owner, RoleOwner), m(manager, RoleBusinessManager), m(member, RoleMember), m(manager2, RoleBusinessManager)), true,
			"1:CLIENT 5:FREELANCER 3:BUSINESS_MANAGER 6:BUSINESS_MANAGER"},
		{"R14 agency without staff: client and freelancer", member, agency(m(member, RoleMember)), true, "1:CLIENT 5:FREELANCER"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := RoomMembers(client, c.freelancerID, c.members, c.isAgency)
			var parts []string
			for _, rm := range got {
				parts = append(parts, fmt.Sprintf("%d:%s", rm.UserID, rm.Role))
			}
			if s := strings.Join(parts, " "); s != c.want {
				t.Errorf("want %s, got %s", c.want, s)
			}
		})
	}
}

// TestRequireMessageable: R13, the client responds while the proposal is live.
func TestRequireMessageable(t *testing.T) {
	for _, c := range []struct {
		status ProposalStatus
		ok     bool
	}{
		{ProposalSubmitted, true}, {ProposalActive, true}, {ProposalOffered, true},
		{ProposalHired, false}, {ProposalWithdrawn, false}, {ProposalDeclined, false}, {ProposalArchived, false},
	} {
		err := RequireMessageable(&Proposal{Status: c.status})
		if c.ok != (err == nil) || (err != nil && !IsCode(err, CodeInvalidState)) {
			t.Errorf("%s: got %v", c.status, err)
		}
	}
}

// TestActivateForRoom: R10/R13, SUBMITTED becomes ACTIVE; later states stay.
func TestActivateForRoom(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := &Proposal{Status: ProposalSubmitted}
	if !ActivateForRoom(p, now) || p.Status != ProposalActive || !p.UpdatedAt.Equal(now) {
		t.Errorf("submitted: %+v", p)
	}
	o := &Proposal{Status: ProposalOffered}
	if ActivateForRoom(o, now) || o.Status != ProposalOffered {
		t.Errorf("offered: %+v", o)
	}
}

// TestCheckMessageBody: R15, 1 to 5,000 characters after trimming.
func TestCheckMessageBody(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
		ok             bool
	}{
		{"trimmed", "  hello \n", "hello", true},
		{"one character", "x", "x", true},
		{"5000 characters", strings.Repeat("é", 5000), strings.Repeat("é", 5000), true},
		{"empty", "", "", false},
		{"blank", " \t\n ", "", false},
		{"5001 characters", strings.Repeat("a", 5001), "", false},
	} {
		got, err := CheckMessageBody("input.body", c.in)
		if c.ok != (err == nil) || got != c.want {
			t.Errorf("%s: got %q, %v", c.name, got, err)
		}
		if err != nil {
			if e := err.(*Error); e.Code != CodeValidationFailed || e.Field != "input.body" {
				t.Errorf("%s: want VALIDATION_FAILED on input.body, got %+v", c.name, e)
			}
		}
	}
}

func TestCheckClientMessageID(t *testing.T) {
	s := func(v string) *string { return &v }
	if got, err := CheckClientMessageID("f", nil); got != nil || err != nil {
		t.Errorf("nil: %v %v", got, err)
	}
	if got, err := CheckClientMessageID("f", s("  ")); got != nil || err != nil {
		t.Errorf("blank: %v %v", got, err)
	}
	if got, err := CheckClientMessageID("f", s(" a1 ")); err != nil || *got != "a1" {
		t.Errorf("trimmed: %v %v", got, err)
	}
	if _, err := CheckClientMessageID("f", s(strings.Repeat("x", MaxClientMessageIDLen+1))); !IsCode(err, CodeValidationFailed) {
		t.Errorf("too long: %v", err)
	}
}

// TestReadTarget: R15 read positions move forwards only, within the room.
func TestReadTarget(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	for _, c := range []struct {
		name      string
		last, cur int64
		req       *int64
		want      int64
		ok        bool
	}{
		{"to the newest", 7, 2, nil, 7, true},
		{"to a seq", 7, 2, n(5), 5, true},
		{"never backwards", 7, 5, n(3), 5, true},
		{"to the last exactly", 7, 0, n(7), 7, true},
		{"zero", 7, 0, n(0), 0, true},
		{"empty room", 0, 0, nil, 0, true},
		{"beyond the last", 7, 0, n(8), 0, false},
		{"negative", 7, 0, n(-1), 0, false},
	} {
		got, err := ReadTarget(c.last, c.cur, c.req)
		if c.ok != (err == nil) || got != c.want {
			t.Errorf("%s: got %d, %v", c.name, got, err)
		}
		if err != nil && (!IsCode(err, CodeValidationFailed) || err.(*Error).Field != "input.seq") {
			t.Errorf("%s: want VALIDATION_FAILED on input.seq, got %v", c.name, err)
		}
	}
	if UnreadCount(7, 5) != 2 || UnreadCount(7, 7) != 0 || UnreadCount(3, 5) != 0 {
		t.Error("UnreadCount")
	}
}

func TestNewMessagePageRequest(t *testing.T) {
	n := func(v int) *int { return &v }
	for _, c := range []struct {
		name          string
		first, last   *int
		after, before int64
		want          MessagePageRequest
		errField      string
	}{
		{"default forwards", nil, nil, 0, 0, MessagePageRequest{Limit: DefaultPageSize}, ""},
		{"default backwards from before", nil, nil, 0, 9, MessagePageRequest{Limit: DefaultPageSize, Backward: true, BeforeSeq: 9}, ""},
		{"first after", n(3), nil, 4, 0, MessagePageRequest{Limit: 3, AfterSeq: 4}, ""},
		{"last before", nil, n(3), 0, 4, MessagePageRequest{Limit: 3, Backward: true, BeforeSeq: 4}, ""},
		{"first 100", n(100), nil, 0, 0, MessagePageRequest{Limit: 100}, ""},
		{"first 101", n(101), nil, 0, 0, MessagePageRequest{}, "first"},
		{"last 101", nil, n(101), 0, 0, MessagePageRequest{}, "last"},
		{"negative first", n(-1), nil, 0, 0, MessagePageRequest{}, "first"},
		{"first and last", n(2), n(2), 0, 0, MessagePageRequest{}, "last"},
	} {
		got, err := NewMessagePageRequest(c.first, c.after, c.last, c.before)
		if c.errField != "" {
			if !IsCode(err, CodeValidationFailed) || err.(*Error).Field != c.errField {
				t.Errorf("%s: want VALIDATION_FAILED on %s, got %v", c.name, c.errField, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: got %+v, %v", c.name, got, err)
		}
	}
}

// TestMessagePage pages over a room of 7 messages (seq 1..7) both ways.
func TestMessagePage(t *testing.T) {
	const last = 7
	all := make([]*Message, last)
	for i := range all {
		all[i] = &Message{Seq: int64(i + 1)}
	}
	// fetch is what the store returns: up to Limit+1 messages inside the bounds, ascending.
	fetch := func(r MessagePageRequest) []*Message {
		var in []*Message
		for _, m := range all {
			if m.Seq > r.AfterSeq && (r.BeforeSeq == 0 || m.Seq < r.BeforeSeq) {
				in = append(in, m)
			}
		}
		if len(in) > r.Limit+1 {
			if r.Backward {
				in = in[len(in)-r.Limit-1:]
			} else {
				in = in[:r.Limit+1]
			}
		}
		return in
	}
	seqs := func(p MessagePage) string {
		var s []string
		for _, m := range p.Items {
			s = append(s, fmt.Sprint(m.Seq))
		}
		return fmt.Sprintf("%s next=%v prev=%v", strings.Join(s, ","), p.HasNext, p.HasPrevious)
	}
	for _, c := range []struct {
		name string
		req  MessagePageRequest
		want string
	}{
		{"forwards page 1", MessagePageRequest{Limit: 3}, "1,2,3 next=true prev=false"},
		{"forwards page 2", MessagePageRequest{Limit: 3, AfterSeq: 3}, "4,5,6 next=true prev=true"},
		{"forwards page 3", MessagePageRequest{Limit: 3, AfterSeq: 6}, "7 next=false prev=true"},
		{"forwards past the end", MessagePageRequest{Limit: 3, AfterSeq: 7}, " next=false prev=true"},
		{"backwards page 1", MessagePageRequest{Limit: 3, Backward: true}, "5,6,7 next=false prev=true"},
		{"backwards page 2", MessagePageRequest{Limit: 3, Backward: true, BeforeSeq: 5}, "2,3,4 next=true prev=true"},
		{"backwards page 3", MessagePageRequest{Limit: 3, Backward: true, BeforeSeq: 2}, "1 next=true prev=false"},
		{"exactly a page", MessagePageRequest{Limit: 7}, "1,2,3,4,5,6,7 next=false prev=false"},
		{"zero items", MessagePageRequest{Limit: 0, Backward: true}, " next=false prev=true"},
	} {
		p := c.req.Page(fetch(c.req), last)
		if got := seqs(p); got != c.want {
			t.Errorf("%s: want %s, got %s", c.name, c.want, got)
		}
		if p.Total != last {
			t.Errorf("%s: total %d", c.name, p.Total)
		}
		if !slices.IsSortedFunc(p.Items, func(a, b *Message) int { return int(a.Seq - b.Seq) }) {
			t.Errorf("%s: not ascending", c.name)
		}
	}
	if p := (MessagePageRequest{Limit: 3}).Page(nil, 0); len(p.Items) != 0 || p.HasNext || p.HasPrevious || p.Total != 0 {
		t.Errorf("empty room: %+v", p)
	}
}
