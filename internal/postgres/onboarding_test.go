package postgres_test

import (
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// TestAccountsStore: sign-up, user locks, password and token generation.
func TestAccountsStore(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	now := e.Clock.Now()
	u, err := c.SignUp(e.Ctx, "dana@example.test", "Dana", "hash", true, now)
	if err != nil || !u.IsClient || u.TokenGeneration != 0 {
		t.Fatalf("SignUp: %+v, %v", u, err)
	}
	_, err = c.SignUp(e.Ctx, "DANA@example.test", "Dana again", "hash", false, now)
	hiringtest.WantCode(t, err, market.CodeConflict)
	if ok, err := c.HasProfile(e.Ctx, u.ID); err != nil || ok {
		t.Fatalf("HasProfile of a client: %v, %v", ok, err)
	}
	e.Tx(func(c *postgres.Conn) error {
		locked, err := c.LockUser(e.Ctx, u.ID)
		if err != nil || locked.Email != "dana@example.test" {
			t.Errorf("LockUser: %+v, %v", locked, err)
		}
		if _, err := c.LockUser(e.Ctx, 1<<40); !market.IsCode(err, market.CodeNotFound) {
			t.Errorf("LockUser of no one: %v", err)
		}
		if err := c.SetPasswordHash(e.Ctx, u.ID, "hash2"); err != nil {
			return err
		}
		gen, err := c.NextTokenGeneration(e.Ctx, u.ID)
		if err != nil || gen != 1 {
			t.Errorf("NextTokenGeneration: %d, %v", gen, err)
		}
		return err
	})
	if st, err := c.TokenState(e.Ctx, u.ID, "no-such-token"); err != nil || !st.UserExists || st.Generation != 1 || st.Revoked {
		t.Errorf("TokenState: %+v %v", st, err)
	}
	if got, _ := c.UserByEmail(e.Ctx, "dana@example.test"); got.PasswordHash != "hash2" {
		t.Errorf("SetPasswordHash: %q", got.PasswordHash)
	}
}

// TestAgenciesStore: the agency lock, memberships, invitations to join and
// leaving the agency's rooms.
func TestAgenciesStore(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	now := e.Clock.Now()
	owner, bm, member, outsider := e.MustCreateUser(), e.MustCreateUser(), e.MustCreateUser(), e.MustCreateUser()
	a := e.MustCreateAgency(owner, 50, map[*market.User]market.AgencyRole{bm: market.RoleBusinessManager, member: market.RoleMember})
	e.Tx(func(c *postgres.Conn) error {
		got, err := c.LockAgency(e.Ctx, a.ID)
		if err != nil || got.ID != a.ID {
			t.Errorf("LockAgency: %+v, %v", got, err)
		}
		_, err = c.LockAgency(e.Ctx, 1<<40)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		return nil
	})
	ms, err := c.AgencyMembersFull(e.Ctx, a.ID)
	if err != nil || len(ms) != 3 || ms[0].UserID != owner.ID || ms[1].UserID != bm.ID || ms[0].JoinedAt.IsZero() {
		t.Fatalf("AgencyMembersFull: %+v, %v", ms, err)
	}

	inv, err := c.CreateAgencyInvitation(e.Ctx, &market.AgencyInvitation{AgencyID: a.ID, UserID: outsider.ID, Role: market.RoleMember, InvitedBy: owner.ID, CreatedAt: now})
	if err != nil || inv.Status != market.AgencyInvitationPending {
		t.Fatalf("CreateAgencyInvitation: %+v, %v", inv, err)
	}
	_, err = c.CreateAgencyInvitation(e.Ctx, &market.AgencyInvitation{AgencyID: a.ID, UserID: outsider.ID, Role: market.RoleMember, InvitedBy: bm.ID, CreatedAt: now})
	hiringtest.WantCode(t, err, market.CodeConflict)
	for _, q := range [][2]int64{{outsider.ID, 0}, {0, a.ID}} {
		got, err := c.PendingAgencyInvitations(e.Ctx, q[0], q[1])
		if err != nil || len(got) != 1 || got[0].ID != inv.ID {
			t.Errorf("PendingAgencyInvitations(%v): %+v, %v", q, got, err)
		}
	}
	if err := inv.Respond(outsider.ID, false, now); err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateAgencyInvitation(e.Ctx, inv); err != nil {
		t.Fatal(err)
	}
	got, err := c.AgencyInvitation(e.Ctx, inv.ID, false)
	if err != nil || got.Status != market.AgencyInvitationDeclined || got.RespondedAt == nil {
		t.Errorf("AgencyInvitation after decline: %+v, %v", got, err)
	}
	byID, err := c.AgencyInvitationsByID(e.Ctx, []int64{inv.ID, 1 << 40})
	if err != nil || len(byID) != 1 {
		t.Errorf("AgencyInvitationsByID: %+v, %v", byID, err)
	}
	_, err = c.AgencyInvitation(e.Ctx, 1<<40, false)
	hiringtest.WantCode(t, err, market.CodeNotFound)

	// An agency proposal of the member, with a room holding the member and the manager.
	client := e.MustCreateClient()
	job := e.MustCreateJob(client)
	p := e.MustCreateProposal(job, member)
	if _, err := e.DB.ExecContext(e.Ctx, `UPDATE proposals SET agency_id = $1 WHERE id = $2`, a.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	p.AgencyID = &a.ID
	room := e.MustCreateRoom(job, p)
	if err := c.SetAgencyRole(e.Ctx, a.ID, bm.ID, market.RoleMember); err != nil {
		t.Fatal(err)
	}
	if role, _ := c.AgencyRole(e.Ctx, a.ID, bm.ID); role != market.RoleMember {
		t.Errorf("SetAgencyRole: %q", role)
	}
	if err := c.LeaveAgencyRooms(e.Ctx, a.ID, bm.ID, market.RoomRolesLost(market.RoleMember)); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveAgencyMember(e.Ctx, a.ID, member.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.LeaveAgencyRooms(e.Ctx, a.ID, member.ID, market.RoomRolesLost("")); err != nil {
		t.Fatal(err)
	}
	members, err := c.MembersOfRooms(e.Ctx, []int64{room.ID})
	if err != nil || len(members) != 1 || members[0].UserID != client.ID {
		t.Errorf("room members after the manager's demotion and the member's removal: %+v, %v", members, err)
	}
	if role, _ := c.AgencyRole(e.Ctx, a.ID, member.ID); role != "" {
		t.Errorf("RemoveAgencyMember: still %q", role)
	}
}

// TestPurchasesStore: a purchase is a ledger entry and a charge; a key is
// its buyer's, once.
func TestPurchasesStore(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	now := e.Clock.Now()
	u := e.MustCreateUser(hiringtest.UserOpts{Connects: -1})
	pkg := market.ConnectsPackage{Connects: 40, Price: market.USD(600)}
	prev, err := c.PurchaseByKey(e.Ctx, u.ID, "key-00001")
	if err != nil || prev != nil {
		t.Fatalf("PurchaseByKey before: %+v, %v", prev, err)
	}
	var p *market.ConnectsPurchase
	e.Tx(func(c *postgres.Conn) error {
		var err error
		p, err = c.CreatePurchase(e.Ctx, u.ID, market.ConnectsOwner{UserID: u.ID}, pkg, "key-00001", now)
		return err
	})
	if p.Connects != 40 || p.PriceMinor != 600 || *p.UserID != u.ID {
		t.Fatalf("CreatePurchase: %+v", p)
	}
	err = e.Store.Transact(e.Ctx, func(c *postgres.Conn) error {
		_, err := c.CreatePurchase(e.Ctx, u.ID, market.ConnectsOwner{UserID: u.ID}, pkg, "key-00001", now)
		return err
	})
	hiringtest.WantCode(t, err, market.CodeConflict)
	prev, err = c.PurchaseByKey(e.Ctx, u.ID, "key-00001")
	if err != nil || prev == nil || prev.ID != p.ID {
		t.Fatalf("PurchaseByKey: %+v, %v", prev, err)
	}
	ps, err := c.PurchasesByID(e.Ctx, []int64{p.ID})
	if err != nil || len(ps) != 1 {
		t.Errorf("PurchasesByID: %+v, %v", ps, err)
	}
	es, err := c.LedgerEntriesByID(e.Ctx, []int64{p.LedgerEntryID})
	if err != nil || len(es) != 1 || es[0].Kind != market.LedgerPurchase || es[0].Amount != 40 {
		t.Errorf("LedgerEntriesByID: %+v, %v", es, err)
	}
	if n, _ := c.ConnectsBalance(e.Ctx, market.ConnectsOwner{UserID: u.ID}); n != 40 {
		t.Errorf("balance %d", n)
	}
}

// TestSearchStore: ranked full-text search over open jobs and profiles,
// paged after a position; proposals and pending invitations per job.
func TestSearchStore(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	client := e.MustCreateClient()
	e.Tx(func(c *postgres.Conn) error {
		return c.InsertJobs(e.Ctx, client.ID, []postgres.GeneratedJob{
			{Title: "Kubernetes operator", Description: "Write one.", Skills: []string{"go"}, ContractType: market.ContractFixed, BudgetMinor: 50000, Connects: 2},
			{Title: "Backend work", Description: "Some kubernetes.", Skills: []string{"go"}, ContractType: market.ContractHourly, HourlyMinMinor: 3000, HourlyMaxMinor: 6000, Connects: 2},
			{Title: "Logo", Description: "A logo.", ContractType: market.ContractFixed, BudgetMinor: 20000, Connects: 1},
		}, e.Clock.Now())
	})
	req := market.SearchRequest{Query: "kubernetes", Limit: 1}
	hits, total, err := c.SearchJobs(e.Ctx, req)
	if err != nil || total != 2 || len(hits) != 2 || hits[0].Rank <= hits[1].Rank {
		t.Fatalf("SearchJobs: %+v %d %v", hits, total, err)
	}
	req.After = &market.SearchPosition{Rank: hits[0].Rank, ID: hits[0].ID}
	next, _, err := c.SearchJobs(e.Ctx, req)
	if err != nil || len(next) != 1 || next[0].ID != hits[1].ID {
		t.Errorf("SearchJobs after the first: %+v, %v", next, err)
	}
	hourly := market.ContractHourly
	if _, total, _ := c.SearchJobs(e.Ctx, market.SearchRequest{ContractType: &hourly, Limit: 10}); total != 1 {
		t.Errorf("hourly jobs: %d", total)
	}
	f := e.MustCreateUser(hiringtest.UserOpts{Skills: []string{"kubernetes", "go"}})
	e.MustCreateUser(hiringtest.UserOpts{Skills: []string{"design"}})
	ph, total, err := c.SearchProfiles(e.Ctx, market.SearchRequest{Query: "kubernetes", Skills: []string{"go"}, Limit: 10})
	if err != nil || total != 1 || ph[0].ID != f.ID {
		t.Errorf("SearchProfiles: %+v %d %v", ph, total, err)
	}

	job := e.MustCreateJob(client)
	if ok, err := c.HasProposal(e.Ctx, job.ID, f.ID); err != nil || ok {
		t.Errorf("HasProposal before: %v %v", ok, err)
	}
	inv := e.MustCreateInvitation(job, f)
	if id, err := c.PendingInvitationID(e.Ctx, job.ID, f.ID); err != nil || id != inv.ID {
		t.Errorf("PendingInvitationID: %d %v", id, err)
	}
	e.MustAccept(f, inv)
	if ok, err := c.HasProposal(e.Ctx, job.ID, f.ID); err != nil || !ok {
		t.Errorf("HasProposal after: %v %v", ok, err)
	}
	if id, err := c.PendingInvitationID(e.Ctx, job.ID, f.ID); err != nil || id != 0 {
		t.Errorf("PendingInvitationID after accepting: %d %v", id, err)
	}
}
