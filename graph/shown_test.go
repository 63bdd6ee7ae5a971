package graph

import (
	"strings"
	"testing"
)

// TestShownTextLists: every input field the contact-info gate treats
// differently (notShown, untilContract, shownAs) is a String input of the
// schema, so that a renamed field cannot silently lose its treatment.
// (internal/server's TestShownTextInputs checks the behaviour end to end.)
func TestShownTextLists(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	var coords []string
	for c := range notShown {
		coords = append(coords, c)
	}
	for c := range untilContract {
		coords = append(coords, c)
	}
	for c := range shownAs {
		coords = append(coords, c)
	}
	for _, c := range coords {
		typ, field, _ := strings.Cut(c, ".")
		def := schema.Types[typ]
		if def == nil || def.Fields.ForName(field) == nil {
			t.Errorf("%s is not an input field of the schema", c)
			continue
		}
		if n := def.Fields.ForName(field).Type; n.Name() != "String" {
			t.Errorf("%s is a %s, not a String", c, n.String())
		}
	}
	for _, c := range []string{"LoginInput.password", "LoginInput.email", "SendMessageInput.clientMessageId", "BuyInput.idempotencyKey"} {
		if !notShownName(c) {
			t.Errorf("%s should not be shown by its name", c)
		}
	}
	for _, c := range []string{"PostJobInput.title", "CreateAgencyInput.name", "AttachmentInput.name"} {
		if notShownName(c) {
			t.Errorf("%s is shown", c)
		}
	}
}
