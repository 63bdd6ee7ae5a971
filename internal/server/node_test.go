package server_test

import (
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// TestNode resolves global ids through node(id), with the same visibility
// as the typed queries: what the viewer may not see is null.
func TestNode(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	owner := a.login(hiring.DemoOwner)
	inv := a.invitations(fr, map[string]any{"status": "PENDING"}).byTitle(t, "React dashboard")
	q := `query($id: ID!) { node(id: $id) { __typename id ... on Invitation { status } ... on Job { title } } }`
	var d struct {
		Node *struct {
			Typename string `json:"__typename"`
			ID       string
			Status   string
			Title    string
		}
	}
	a.ok(fr, q, map[string]any{"id": inv.ID}, &d)
	if d.Node == nil || d.Node.Typename != "Invitation" || d.Node.ID != inv.ID || d.Node.Status != "PENDING" {
		t.Errorf("invitation node: %+v", d.Node)
	}
	a.ok(fr, q, map[string]any{"id": inv.Job.ID}, &d)
	if d.Node == nil || d.Node.Typename != "Job" || d.Node.Title != inv.Job.Title {
		t.Errorf("job node: %+v", d.Node)
	}
	d.Node = nil
	a.ok(owner, q, map[string]any{"id": inv.ID}, &d)
	if d.Node != nil {
		t.Errorf("someone else's invitation must be null, got %+v", d.Node)
	}
	a.fails("VALIDATION_FAILED", fr, q, map[string]any{"id": "garbage"})
}
