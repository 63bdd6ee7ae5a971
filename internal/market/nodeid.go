package market

import (
	"encoding/base64"
	"strconv"
)

// GlobalID is the API's opaque id of an entity: its GraphQL type name and
// number ("Invitation:12"), base64url-encoded.
func GlobalID(typeName string, id int64) string {
	var raw [64]byte
	var enc [96]byte
	s := strconv.AppendInt(append(append(raw[:0], typeName...), ':'), id, 10)
	return string(base64.RawURLEncoding.AppendEncode(enc[:0], s)) // one allocation: ids are on every item of every list
}

// NodeID methods give each entity's global id. The API binds its id fields
// to them: a plain method call needs no resolver of its own (gqlgen runs
// every resolver field in a goroutine of its own, a cost per item of every
// list).

func (u *User) NodeID() string         { return GlobalID("User", u.ID) }
func (a *Agency) NodeID() string       { return GlobalID("Agency", a.ID) }
func (j *Job) NodeID() string          { return GlobalID("Job", j.ID) }
func (q *Question) NodeID() string     { return GlobalID("ScreeningQuestion", q.ID) }
func (i *Invitation) NodeID() string   { return GlobalID("Invitation", i.ID) }
func (r *Reason) NodeID() string       { return GlobalID("Reason", r.ID) }
func (p *Proposal) NodeID() string     { return GlobalID("Proposal", p.ID) }
func (e *LedgerEntry) NodeID() string  { return GlobalID("ConnectsLedgerEntry", e.ID) }
func (r *Room) NodeID() string         { return GlobalID("Room", r.ID) }
func (m *Message) NodeID() string      { return GlobalID("Message", m.ID) }
func (o *Offer) NodeID() string        { return GlobalID("Offer", o.ID) }
func (c *Contract) NodeID() string     { return GlobalID("Contract", c.ID) }
func (b *Bonus) NodeID() string        { return GlobalID("Bonus", b.ID) }
func (t *TimeEntry) NodeID() string    { return GlobalID("TimeEntry", t.ID) }
func (n *Notification) NodeID() string { return GlobalID("Notification", n.ID) }
