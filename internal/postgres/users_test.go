package postgres_test

import (
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

func TestUsers(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	now := e.Clock.Now()
	t.Run("CreateUser OK", func(t *testing.T) {
		u, err := c.CreateUser(e.Ctx, "Ada@Example.test", "Ada", "hash", now)
		if err != nil || u.ID == 0 || u.Name != "Ada" || !u.CreatedAt.Equal(now) {
			t.Fatalf("%+v, %v", u, err)
		}
		got, err := c.UserByEmail(e.Ctx, "Ada@Example.test")
		if err != nil || got.ID != u.ID || got.PasswordHash != "hash" {
			t.Fatalf("UserByEmail: %+v, %v", got, err)
		}
		ok, err := c.UserExists(e.Ctx, u.ID)
		if err != nil || !ok {
			t.Fatalf("UserExists: %v, %v", ok, err)
		}
	})
	t.Run("CreateUser ErrConflict", func(t *testing.T) {
		_, err := c.CreateUser(e.Ctx, "Ada@Example.test", "Ada again", "hash", now)
		hiringtest.WantCode(t, err, market.CodeConflict)
	})
	t.Run("UserByEmail ErrNotFound", func(t *testing.T) {
		_, err := c.UserByEmail(e.Ctx, "nobody@example.test")
		hiringtest.WantCode(t, err, market.CodeNotFound)
		ok, err := c.UserExists(e.Ctx, 1<<40)
		if err != nil || ok {
			t.Fatalf("UserExists of no one: %v, %v", ok, err)
		}
	})
	t.Run("UsersByID", func(t *testing.T) {
		a, b := e.MustCreateUser(), e.MustCreateUser()
		us, err := c.UsersByID(e.Ctx, []int64{a.ID, b.ID, 1 << 40})
		if err != nil {
			t.Fatal(err)
		}
		sameIDs(t, "UsersByID", ids(us, func(u *market.User) int64 { return u.ID }), []int64{a.ID, b.ID})
	})
	t.Run("UpsertProfile and ProfilesByUserID", func(t *testing.T) {
		u := e.MustCreateUser(hiringtest.UserOpts{NoProfile: true})
		rate := market.USD(4200)
		p := &market.FreelancerProfile{UserID: u.ID, Title: "Go dev", Skills: []string{"go"}, HourlyRate: &rate,
			Availability: market.AvailabilityPartTime, UpdatedAt: now}
		if err := c.UpsertProfile(e.Ctx, p); err != nil {
			t.Fatal(err)
		}
		p.Title, p.Skills = "Senior Go dev", []string{"go", "sql"}
		if err := c.UpsertProfile(e.Ctx, p); err != nil {
			t.Fatal(err)
		}
		ps, err := c.ProfilesByUserID(e.Ctx, []int64{u.ID, e.MustCreateClient().ID})
		if err != nil || len(ps) != 1 {
			t.Fatalf("%d profiles, %v (a client has none)", len(ps), err)
		}
		if got := ps[0]; got.Title != "Senior Go dev" || len(got.Skills) != 2 || got.HourlyRate.Minor != 4200 || got.Availability != market.AvailabilityPartTime {
			t.Fatalf("%+v", got)
		}
		locked := must[*market.FreelancerProfile](t)(lockProfile(e, u.ID))
		if locked.UserID != u.ID || locked.Title != "Senior Go dev" {
			t.Fatalf("LockProfile: %+v", locked)
		}
	})
	t.Run("BlockClient and IsBlocked", func(t *testing.T) {
		fr, client := e.MustCreateUser(), e.MustCreateClient()
		if blocked, err := c.IsBlocked(e.Ctx, fr.ID, client.ID); err != nil || blocked {
			t.Fatalf("blocked before: %v %v", blocked, err)
		}
		for range 2 { // idempotent
			if err := c.BlockClient(e.Ctx, fr.ID, client.ID, now); err != nil {
				t.Fatal(err)
			}
		}
		if blocked, err := c.IsBlocked(e.Ctx, fr.ID, client.ID); err != nil || !blocked {
			t.Fatalf("blocked after: %v %v", blocked, err)
		}
		if blocked, _ := c.IsBlocked(e.Ctx, client.ID, fr.ID); blocked {
			t.Fatal("blocking goes one way")
		}
	})
	t.Run("InsertFreelancers and CountUsersByEmailDomain", func(t *testing.T) {
		fs := []postgres.GeneratedFreelancer{
			{Email: "g1@gen.test", Name: "G1", Title: "T", Skills: []string{"go"}, RateMinor: 3000, Availability: market.AvailabilityAvailable},
			{Email: "g2@gen.test", Name: "G2", Title: "T", Skills: []string{"rust"}, RateMinor: 9000, Availability: market.AvailabilityUnavailable},
		}
		if err := c.InsertFreelancers(e.Ctx, fs, "hash", now); err != nil {
			t.Fatal(err)
		}
		if n, err := c.CountUsersByEmailDomain(e.Ctx, "gen.test"); err != nil || n != 2 {
			t.Fatalf("CountUsersByEmailDomain = %d, %v", n, err)
		}
		err := c.InsertFreelancers(e.Ctx, fs[:1], "hash", now)
		hiringtest.WantCode(t, err, market.CodeConflict)
		g2 := must[*market.User](t)(c.UserByEmail(e.Ctx, "g2@gen.test"))
		ps := must[[]*market.FreelancerProfile](t)(c.ProfilesByUserID(e.Ctx, []int64{g2.ID}))
		if len(ps) != 1 || ps[0].Skills[0] != "rust" || ps[0].HourlyRate.Minor != 9000 {
			t.Fatalf("generated profile: %+v", ps)
		}
	})
}

// lockProfile runs LockProfile in a transaction, as its callers do.
func lockProfile(e *hiringtest.Env, userID int64) (*market.FreelancerProfile, error) {
	var p *market.FreelancerProfile
	err := e.Store.Transact(e.Ctx, func(c *postgres.Conn) error {
		var err error
		p, err = c.LockProfile(e.Ctx, userID, e.Clock.Now())
		return err
	})
	return p, err
}

func TestAgencies(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	owner, manager, member, outsider := e.MustCreateUser(), e.MustCreateUser(), e.MustCreateUser(), e.MustCreateUser()
	a := e.MustCreateAgency(owner, 0, map[*market.User]market.AgencyRole{manager: market.RoleBusinessManager, member: market.RoleMember})

	t.Run("CreateAgency and AgenciesByID", func(t *testing.T) {
		b, err := c.CreateAgency(e.Ctx, "Second", e.Clock.Now())
		if err != nil || b.Name != "Second" {
			t.Fatalf("%+v %v", b, err)
		}
		as := must[[]*market.Agency](t)(c.AgenciesByID(e.Ctx, []int64{a.ID, b.ID}))
		sameIDs(t, "AgenciesByID", ids(as, func(a *market.Agency) int64 { return a.ID }), []int64{a.ID, b.ID})
	})
	t.Run("AgencyRole", func(t *testing.T) {
		for u, want := range map[*market.User]market.AgencyRole{owner: market.RoleOwner, manager: market.RoleBusinessManager, member: market.RoleMember, outsider: ""} {
			if got, err := c.AgencyRole(e.Ctx, a.ID, u.ID); err != nil || got != want {
				t.Errorf("AgencyRole(%s) = %q, %v; want %q", u.Name, got, err, want)
			}
		}
	})
	t.Run("AddAgencyMember changes a role", func(t *testing.T) {
		if err := c.AddAgencyMember(e.Ctx, a.ID, member.ID, market.RoleBusinessManager, e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if got, _ := c.AgencyRole(e.Ctx, a.ID, member.ID); got != market.RoleBusinessManager {
			t.Fatalf("role %q", got)
		}
		if err := c.AddAgencyMember(e.Ctx, a.ID, member.ID, market.RoleMember, e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("AgencyMembers and MembershipsOfUsers", func(t *testing.T) {
		ms := must[[]market.AgencyMember](t)(c.AgencyMembers(e.Ctx, a.ID))
		sameIDs(t, "AgencyMembers", ids(ms, func(m market.AgencyMember) int64 { return m.UserID }), []int64{owner.ID, manager.ID, member.ID})
		ms = must[[]market.AgencyMember](t)(c.MembershipsOfUsers(e.Ctx, []int64{member.ID, outsider.ID}))
		if len(ms) != 1 || ms[0].UserID != member.ID || ms[0].AgencyID != a.ID || ms[0].Role != market.RoleMember {
			t.Fatalf("MembershipsOfUsers: %+v", ms)
		}
	})
	t.Run("StaffAgencyIDs", func(t *testing.T) {
		for u, want := range map[*market.User]int{owner: 1, manager: 1, member: 0, outsider: 0} {
			got := must[[]int64](t)(c.StaffAgencyIDs(e.Ctx, u.ID))
			if len(got) != want || (want == 1 && got[0] != a.ID) {
				t.Errorf("StaffAgencyIDs(%s) = %v", u.Name, got)
			}
		}
	})
}

func TestConnects(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	fr := e.MustCreateUser(hiringtest.UserOpts{Connects: 10})
	other := e.MustCreateUser(hiringtest.UserOpts{Connects: 7})
	a := e.MustCreateAgency(fr, 20, nil)
	mine, theirs := market.ConnectsOwner{UserID: fr.ID}, market.ConnectsOwner{AgencyID: a.ID}

	t.Run("ConnectsBalance", func(t *testing.T) {
		if n := must[int](t)(c.ConnectsBalance(e.Ctx, mine)); n != 10 {
			t.Fatalf("user balance %d", n)
		}
		if n := must[int](t)(c.ConnectsBalance(e.Ctx, theirs)); n != 20 {
			t.Fatalf("agency balance %d", n)
		}
	})
	t.Run("AddLedgerEntry and LockConnects", func(t *testing.T) {
		e.Tx(func(c *postgres.Conn) error {
			if err := c.LockConnects(e.Ctx, mine); err != nil {
				return err
			}
			entry, err := c.AddLedgerEntry(e.Ctx, mine, market.LedgerApplication, -4, nil, "applied", e.Clock.Now())
			if err == nil && (entry.Amount != -4 || entry.Kind != market.LedgerApplication || *entry.UserID != fr.ID) {
				t.Errorf("entry %+v", entry)
			}
			return err
		})
		if n := must[int](t)(c.ConnectsBalance(e.Ctx, mine)); n != 6 {
			t.Fatalf("balance %d after spending 4 of 10", n)
		}
	})
	t.Run("ConnectsBalances", func(t *testing.T) {
		got := must[map[int64]int](t)(c.ConnectsBalances(e.Ctx, []int64{fr.ID, other.ID}))
		if got[fr.ID] != 6 || got[other.ID] != 7 {
			t.Fatalf("%v", got)
		}
	})
	t.Run("Ledger pages newest first", func(t *testing.T) {
		entries, total, err := c.Ledger(e.Ctx, mine, market.PageRequest{Limit: 1, Count: true})
		if err != nil || total != 2 || len(entries) != 2 || entries[0].Kind != market.LedgerApplication {
			t.Fatalf("page 1: %d entries of %d, %v", len(entries), total, err)
		}
		rest, _, err := c.Ledger(e.Ctx, mine, market.PageRequest{Limit: 10, AfterID: entries[0].ID})
		if err != nil || len(rest) != 1 || rest[0].Kind != market.LedgerGrant {
			t.Fatalf("page 2: %+v %v", rest, err)
		}
	})
}
