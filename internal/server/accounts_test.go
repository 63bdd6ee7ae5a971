package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/wstest"
)

// TestSignUpRules: emails are normalized and unique regardless of case, the
// password policy and the name's contact-details check refuse with clear
// codes and change nothing, and the new account signs in with login.
func TestSignUpRules(t *testing.T) {
	a := startApp(t, false)
	first := a.signUp("Dana@Example.com", "Dana", "FREELANCER")
	signUp := func(email, password, name string, roles ...string) *response {
		in := map[string]any{"email": email, "password": password, "name": name}
		if roles != nil {
			in["roles"] = roles
		}
		return a.post("", signUpMutation, map[string]any{"in": in})
	}
	before := a.state()
	for _, c := range []struct {
		code, field, email, password, name string
		roles                              []string
	}{
		{"CONFLICT", "input.email", " DANA@example.COM ", "another long secret", "Dana Again", nil},
		{"VALIDATION_FAILED", "input.email", "not-an-email", "a long enough secret", "Eve", nil},
		{"VALIDATION_FAILED", "input.email", "Eve <eve@example.com>", "a long enough secret", "Eve", nil},
		{"VALIDATION_FAILED", "input.email", "", "a long enough secret", "Eve", nil},
		{"VALIDATION_FAILED", "input.password", "eve@example.com", "short", "Eve", nil},
		{"VALIDATION_FAILED", "input.password", "eve@example.com", "Password123", "Eve", nil},
		{"VALIDATION_FAILED", "input.password", "eve@example.com", "qwertyuiop", "Eve", nil},
		{"VALIDATION_FAILED", "input.password", "eve@example.com", "aaaaaaaaaaaa", "Eve", nil},
		{"VALIDATION_FAILED", "input.password", "eve@example.com", "eve@example.com", "Eve", nil},
		{"VALIDATION_FAILED", "input.name", "eve@example.com", "a long enough secret", "   ", nil},
		{"VALIDATION_FAILED", "input.roles", "eve@example.com", "a long enough secret", "Eve", []string{}},
		{"CONTACT_INFO_NOT_ALLOWED", "input.name", "eve@example.com", "a long enough secret", "Eve eve@gmail.com", nil},
		{"CONTACT_INFO_NOT_ALLOWED", "input.name", "eve@example.com", "a long enough secret", "Eve call +1 415 555 0100", nil},
	} {
		r := signUp(c.email, c.password, c.name, c.roles...)
		if r.Code() != c.code || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("signUp(%q, %q, %q, %v): %+v, want %s on %s", c.email, c.password, c.name, c.roles, r.Errors, c.code, c.field)
		}
	}
	if a.state() != before {
		t.Fatal("a refused sign-up changed the database")
	}
	var d struct {
		Login struct {
			User struct{ User struct{ ID string } }
		}
	}
	a.ok("", `mutation { login(input: {email: "DANA@example.com", password: "correct horse battery staple"}) { user { user { id } } } }`, nil, &d)
	if d.Login.User.User.ID != first.ID {
		t.Errorf("login found %q, want %q", d.Login.User.User.ID, first.ID)
	}
	// Posting a job makes a freelancer a client too.
	var v struct{ Viewer struct{ Roles []string } }
	a.postFixedJob(first, "Logo design", "A logo for a bakery.", 1)
	a.ok(first.Token, `{ viewer { roles } }`, nil, &v)
	if len(v.Viewer.Roles) != 2 {
		t.Errorf("roles after posting a job: %v", v.Viewer.Roles)
	}
}

// TestAgencyBadInput: each refusal of the agency operations has its code
// and changes nothing; agency names are checked for contact details.
func TestAgencyBadInput(t *testing.T) {
	f := newAgencyFixture(t)
	a := f.a
	var pending struct {
		InviteAgencyMember struct{ Invitation struct{ ID string } }
	}
	a.ok(f.olga.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency, "userId": f.xavier.ID}}, &pending)
	invID := pending.InviteAgencyMember.Invitation.ID
	before := a.state()
	for _, c := range []struct {
		name, code, token, query string
		vars                     map[string]any
	}{
		{"empty name", "VALIDATION_FAILED", f.xavier.Token, createAgencyMutation, map[string]any{"name": "  "}},
		{"short name", "VALIDATION_FAILED", f.xavier.Token, createAgencyMutation, map[string]any{"name": "X"}},
		{"long name", "VALIDATION_FAILED", f.xavier.Token, createAgencyMutation, map[string]any{"name": string(make([]byte, 101))}},
		{"email in name", "CONTACT_INFO_NOT_ALLOWED", f.xavier.Token, createAgencyMutation, map[string]any{"name": "Studio studio@mail.com"}},
		{"url in name", "CONTACT_INFO_NOT_ALLOWED", f.xavier.Token, createAgencyMutation, map[string]any{"name": "Studio www.studio.io"}},
		{"phone in name", "CONTACT_INFO_NOT_ALLOWED", f.xavier.Token, createAgencyMutation, map[string]any{"name": "Studio 415 555 0100"}},
		{"client creates", "FORBIDDEN", f.alice.Token, createAgencyMutation, map[string]any{"name": "Alice Agency"}},
		{"anonymous", "UNAUTHENTICATED", "", createAgencyMutation, map[string]any{"name": "Nobody Agency"}},
		{"invite nobody", "VALIDATION_FAILED", f.olga.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency}}},
		{"invite both", "VALIDATION_FAILED", f.olga.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency, "userId": f.xavier.ID, "email": "x@example.com"}}},
		{"invite bad email", "VALIDATION_FAILED", f.olga.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency, "email": "nope"}}},
		{"invite unknown", "NOT_FOUND", f.olga.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency, "email": "ghost@example.com"}}},
		{"invite a client", "VALIDATION_FAILED", f.olga.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency, "userId": f.alice.ID}}},
		{"invite a member", "CONFLICT", f.olga.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency, "userId": f.mia.ID}}},
		{"invite twice", "CONFLICT", f.olga.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency, "email": "XAVIER@example.com"}}},
		{"bad agency id", "VALIDATION_FAILED", f.olga.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.mia.ID, "userId": f.xavier.ID}}},
		{"manager invites manager", "FORBIDDEN", f.mark.Token, inviteMemberMutation, map[string]any{"in": map[string]any{"agencyId": f.agency, "email": "alice@example.com", "role": "BUSINESS_MANAGER"}}},
		{"accept for another", "FORBIDDEN", f.olga.Token, acceptMemberMutation, map[string]any{"id": invID}},
		{"outsider accepts", "NOT_FOUND", f.mia.Token, acceptMemberMutation, map[string]any{"id": invID}},
		{"bad invitation id", "VALIDATION_FAILED", f.xavier.Token, acceptMemberMutation, map[string]any{"id": f.agency}},
		{"role of non-member", "NOT_FOUND", f.olga.Token, setRoleMutation, map[string]any{"a": f.agency, "u": f.xavier.ID, "r": "MEMBER"}},
		{"remove non-member", "NOT_FOUND", f.olga.Token, removeMutation, map[string]any{"a": f.agency, "u": f.xavier.ID}},
		{"leave as outsider", "NOT_FOUND", f.xavier.Token, leaveMutation, map[string]any{"a": f.agency}},
	} {
		if r := a.post(c.token, c.query, c.vars); r.Code() != c.code {
			t.Errorf("%s: %q %+v, want %s", c.name, r.Code(), r.Errors, c.code)
		}
	}
	if a.state() != before {
		t.Fatal("a refused agency operation changed the database")
	}
	a.ok(f.xavier.Token, `mutation($id: ID!) { declineAgencyInvitation(input: {invitationId: $id}) { invitation { status } } }`, map[string]any{"id": invID}, nil)
	a.fails("INVALID_STATE", f.xavier.Token, acceptMemberMutation, map[string]any{"id": invID})
	var bell struct {
		Notifications struct {
			Edges []struct {
				Node struct {
					Kind    string
					Subject struct{ Status string }
				}
			}
		}
	}
	a.ok(f.olga.Token, `{ notifications(first: 1) { edges { node { kind subject { ... on AgencyInvitation { status } } } } } }`, nil, &bell)
	if len(bell.Notifications.Edges) != 1 || bell.Notifications.Edges[0].Node.Kind != "AGENCY_INVITATION_DECLINED" || bell.Notifications.Edges[0].Node.Subject.Status != "DECLINED" {
		t.Errorf("the owner's bell: %+v", bell.Notifications.Edges)
	}
}

// TestChangePassword: the current password is needed and the policy
// applies; a change revokes every token the user holds (another session's
// and the request's own), HTTP and websocket alike, and the payload's fresh
// token works; the old password no longer signs in, the new one does.
func TestChangePassword(t *testing.T) {
	a := startApp(t, false)
	u := a.signUp("dana@example.com", "Dana", "FREELANCER")
	var other struct {
		Login struct{ Token string }
	}
	login := `mutation($p: String!) { login(input: {email: "dana@example.com", password: $p}) { token } }`
	a.ok("", login, map[string]any{"p": "correct horse battery staple"}, &other)
	change := `mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) { token viewer { email } } }`
	before := a.state()
	for _, c := range []struct{ current, next, field string }{
		{"wrong password here", "a brand new secret", "input.currentPassword"},
		{"correct horse battery staple", "short", "input.newPassword"},
		{"correct horse battery staple", "password1234", "input.newPassword"},
		{"correct horse battery staple", "correct horse battery staple", "input.newPassword"},
	} {
		r := a.fails("VALIDATION_FAILED", u.Token, change, map[string]any{"c": c.current, "n": c.next})
		if r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("changePassword(%q, %q): field %v, want %s", c.current, c.next, r.Errors[0].Extensions["field"], c.field)
		}
	}
	a.fails("UNAUTHENTICATED", "", change, map[string]any{"c": "correct horse battery staple", "n": "a brand new secret"})
	if a.state() != before {
		t.Fatal("a refused change changed the database")
	}
	a.viewerID(other.Login.Token) // both sessions work before

	var d struct {
		ChangePassword struct{ Token string }
	}
	a.ok(u.Token, change, map[string]any{"c": "correct horse battery staple", "n": "a brand new secret"}, &d)
	for name, tok := range map[string]string{"the other session": other.Login.Token, "the request's own token": u.Token} {
		a.fails("UNAUTHENTICATED", tok, `{ viewer { id } }`, nil)
		c := a.dial(wstest.Protocols[0], tok)
		if code, reason := c.ExpectClose(5 * time.Second); code != 4401 || !strings.Contains(reason, "revoked") {
			t.Errorf("%s over websocket: closed with %d %q, want 4401 and why", name, code, reason)
		}
	}
	if id := a.viewerID(d.ChangePassword.Token); id != u.ID {
		t.Errorf("the fresh token is %s's, want %s", id, u.ID)
	}
	a.fails("UNAUTHENTICATED", "", login, map[string]any{"p": "correct horse battery staple"})
	a.ok("", login, map[string]any{"p": "a brand new secret"}, nil)
}
