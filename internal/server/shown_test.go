package server_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// The String inputs of the served schema that TestShownTextInputs does not
// expect to be refused before a contract, each with the reason. Every other
// String input, found by walking the schema, is shown to the other party
// and must refuse contact details.
var (
	// Not shown to the other party.
	notShownInputs = map[string]string{
		"MoneyInput.amount":   "a decimal amount, parsed strictly: it cannot carry text",
		"MoneyInput.currency": "a currency code, parsed strictly: it cannot carry text",
	}
	// Shown, but where a contract may exist: refused before a contract and
	// accepted after one (TestShownTextInputs/contract checks each).
	contractInputs = map[string]string{
		"SendMessageInput.body":     "room messages",
		"SendOfferInput.message":    "offers",
		"DeclineOfferInput.message": "offers",
		"PayBonusInput.note":        "only on a contract",
		"LogTimeInput.memo":         "only on a contract",
	}
)

// notShownByName: inputs that by their name are never shown to the other
// party: passwords, the account's own email address (log in, sign up,
// invitations by address) and identifiers the client chooses ("…Id",
// "…Key"; clientMessageId is limited to a safe alphabet and shown only to
// its sender, which TestShownTextInputs/clientMessageId shows).
func notShownByName(coord string) bool {
	f := coord[strings.LastIndexByte(coord, '.')+1:]
	return f == "password" || strings.HasSuffix(f, "Password") || f == "email" || strings.HasSuffix(f, "Email") ||
		strings.HasSuffix(f, "Id") || strings.HasSuffix(f, "Key")
}

// The contact details put into every shown field.
const (
	contactText = "Let's talk outside: john.doe@gmail.com, +1 415 555 0134, skype johndoe"
	contactLink = "https://wa.me/14155550134"
)

// introspected types, enough to walk input values.
type typeRef struct {
	Kind   string
	Name   *string
	OfType *typeRef
}

func (t *typeRef) named() (name string, nonNull, list bool) {
	for r := t; r != nil; r = r.OfType {
		switch r.Kind {
		case "NON_NULL":
			if !list {
				nonNull = true
			}
		case "LIST":
			list = true
		default:
			return *r.Name, nonNull, list
		}
	}
	return "", nonNull, list
}

type inputValue struct {
	Name string
	Type typeRef
}

type schemaType struct {
	Kind        string
	Name        string
	InputFields []inputValue
	EnumValues  []struct{ Name string }
}

const typeRefFields = `kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`

// servedSchema reads the mutations and the types of the schema the server
// serves, by introspection.
func (a *app) servedSchema() (mutations []struct {
	Name string
	Args []inputValue
}, types map[string]schemaType) {
	a.t.Helper()
	var d struct {
		Schema struct {
			MutationType struct {
				Fields []struct {
					Name string
					Args []inputValue
				}
			}
			Types []schemaType
		} `json:"__schema"`
	}
	a.ok("", `{ __schema {
	  mutationType { fields { name args { name type { `+typeRefFields+` } } } }
	  types { kind name inputFields { name type { `+typeRefFields+` } } enumValues { name } }
	} }`, nil, &d)
	types = map[string]schemaType{}
	for _, t := range d.Schema.Types {
		types[t.Name] = t
	}
	return d.Schema.MutationType.Fields, types
}

// stringInput is one String input of a mutation: its schema coordinate
// ("PostJobInput.skills") and the path of a value in it ("input.skills.0").
type stringInput struct {
	mutation, coord string
	path            []string // argument, then fields and list indexes
}

func (s stringInput) field() string { return strings.Join(s.path, ".") }

// stringInputs walks a mutation's arguments and lists every String in them
// (through nested input objects and lists: a list is given one element).
func stringInputs(mutation string, args []inputValue, types map[string]schemaType) []stringInput {
	var out []stringInput
	var walk func(t typeRef, coord string, path []string, depth int)
	walk = func(t typeRef, coord string, path []string, depth int) {
		name, _, list := t.named()
		if list {
			path = append(path[:len(path):len(path)], "0")
		}
		switch def := types[name]; {
		case name == "String":
			out = append(out, stringInput{mutation, coord, path})
		case def.Kind == "INPUT_OBJECT" && depth < 5:
			for _, f := range def.InputFields {
				walk(f.Type, name+"."+f.Name, append(path[:len(path):len(path)], f.Name), depth+1)
			}
		}
	}
	for _, a := range args {
		walk(a.Type, mutation+"("+a.Name+")", []string{a.Name}, 0)
	}
	return out
}

// valueFor builds a value of type t with every required field filled in
// (ids, numbers, enums: the first value, strings: "fine"); when target,
// the string s is put at path (field names and list indexes) instead.
func valueFor(t typeRef, types map[string]schemaType, path []string, target bool, s string) any {
	name, _, list := t.named()
	if list {
		if target && len(path) > 0 {
			path = path[1:] // the index "0"
		}
		return []any{valueFor(*elemType(&t), types, path, target, s)}
	}
	def := types[name]
	switch {
	case name == "String":
		if target && len(path) == 0 {
			return s
		}
		return "fine"
	case name == "ID":
		return "UHJvcG9zYWw6MQ" // a well-formed global id
	case name == "Int":
		return 1
	case name == "Float":
		return 1.0
	case name == "Boolean":
		return false
	case name == "Time":
		return "2026-11-02T09:00:00Z"
	case def.Kind == "ENUM":
		return def.EnumValues[0].Name
	case def.Kind == "INPUT_OBJECT":
		m := map[string]any{}
		for _, f := range def.InputFields {
			_, required, _ := f.Type.named()
			if target && len(path) > 0 && path[0] == f.Name {
				m[f.Name] = valueFor(f.Type, types, path[1:], true, s)
			} else if required {
				m[f.Name] = valueFor(f.Type, types, nil, false, s)
			}
		}
		return m
	}
	return nil
}

// elemType returns the element type of a list type (under NON_NULL).
func elemType(t *typeRef) *typeRef {
	for r := t; r != nil; r = r.OfType {
		if r.Kind == "LIST" {
			return r.OfType
		}
	}
	return t
}

// TestShownTextInputs walks the served schema's mutations and checks that
// every String input the other party sees refuses contact details before a
// contract (CONTACT_INFO_NOT_ALLOWED naming the field, nothing changed),
// except the few listed above with their reasons; that the inputs where a
// contract may exist refuse them before one and accept them after; and that
// clientMessageId is limited to a safe alphabet and shown only to its sender.
func TestShownTextInputs(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	client := a.login(hiring.DemoClient)
	mutations, types := a.servedSchema()

	var prop, roomID string // the proposal and room of the contract subtest
	seen := map[string]bool{}
	var checked, skipped []string
	t.Run("schema", func(t *testing.T) {
		before := a.hiringState()
		for _, m := range mutations {
			for _, in := range stringInputs(m.Name, m.Args, types) {
				seen[in.coord] = true
				if _, ok := notShownInputs[in.coord]; ok || notShownByName(in.coord) {
					if !slices.Contains(skipped, in.coord) {
						skipped = append(skipped, in.coord)
					}
					continue
				}
				if _, ok := contractInputs[in.coord]; ok {
					continue
				}
				text := contactText
				if strings.HasSuffix(in.coord, ".url") {
					text = contactLink
				}
				vars := map[string]any{}
				var decl, args []string
				for i, arg := range m.Args {
					v := fmt.Sprintf("v%d", i)
					target := arg.Name == in.path[0]
					if _, required, _ := arg.Type.named(); !required && !target {
						continue
					}
					vars[v] = valueFor(arg.Type, types, in.path[1:], target, text)
					decl = append(decl, "$"+v+": "+typeString(arg.Type))
					args = append(args, arg.Name+": $"+v)
				}
				q := fmt.Sprintf("mutation(%s) { %s(%s) { __typename } }", strings.Join(decl, ", "), m.Name, strings.Join(args, ", "))
				r := a.post(fr, q, vars)
				switch {
				case r.Code() != "CONTACT_INFO_NOT_ALLOWED":
					t.Errorf("%s %s: want CONTACT_INFO_NOT_ALLOWED, got %+v", m.Name, in.field(), r.Errors)
				case r.Errors[0].Extensions["field"] != in.field():
					t.Errorf("%s %s: the error names field %v", m.Name, in.field(), r.Errors[0].Extensions["field"])
				case len(r.Errors[0].Path) != 1 || r.Errors[0].Path[0] != m.Name || len(r.Errors[0].Locations) != 1:
					// The mutation field's own error: its path, its position.
					t.Errorf("%s %s: the error is at path %v, locations %v", m.Name, in.field(), r.Errors[0].Path, r.Errors[0].Locations)
				}
				checked = append(checked, m.Name+" "+in.field())
			}
		}
		if after := a.hiringState(); after != before {
			t.Errorf("refused mutations changed the database:\n%s\n%s", before, after)
		}
		sort.Strings(checked)
		t.Logf("%d shown String inputs refuse contact details:\n%s", len(checked), strings.Join(checked, "\n"))
		t.Logf("not shown to the other party: %s", strings.Join(skipped, ", "))
		for _, list := range []map[string]string{notShownInputs, contractInputs} {
			for coord := range list {
				if !seen[coord] {
					t.Errorf("%s is listed but is not a String input of the schema any more", coord)
				}
			}
		}
		if len(checked) < 15 {
			t.Errorf("only %d String inputs found: is the walk broken?", len(checked))
		}
	})

	t.Run("contract", func(t *testing.T) {
		done := map[string]bool{}
		refuse := func(coord, token, query string, vars map[string]any, field string) {
			t.Helper()
			r := a.post(token, query, vars)
			if r.Code() != "CONTACT_INFO_NOT_ALLOWED" || r.Errors[0].Extensions["field"] != field {
				t.Errorf("%s before a contract: want CONTACT_INFO_NOT_ALLOWED on %s, got %+v", coord, field, r.Errors)
			}
			done[coord+" refused"] = true
		}
		accept := func(coord, token, query string, vars map[string]any) {
			t.Helper()
			if r := a.post(token, query, vars); len(r.Errors) > 0 {
				t.Errorf("%s on a contract: want it accepted, got %+v", coord, r.Errors)
			}
			done[coord+" accepted"] = true
		}
		prop = a.freelancerProposal(fr, nil)
		roomID = a.messageProposal(client, prop, "Hello, a few questions about your proposal.").MessageProposal.Room.ID
		refuse("SendMessageInput.body", fr, sendMessageMutation, map[string]any{"in": map[string]any{"roomId": roomID, "body": contactText}}, "input.body")
		refuse("SendOfferInput.message", client, sendOfferMutation, map[string]any{"in": map[string]any{"proposalId": prop, "message": contactText}}, "input.message")
		o, _ := a.sendOffer(client, map[string]any{"proposalId": prop, "message": "Happy to start on Monday."})
		refuse("DeclineOfferInput.message", fr, declineOfferMutation, map[string]any{"id": o.ID, "m": contactText}, "input.message")
		_, k := a.acceptOffer(fr, o.ID)

		accept("SendMessageInput.body", fr, sendMessageMutation, map[string]any{"in": map[string]any{"roomId": roomID, "body": contactText}})
		accept("PayBonusInput.note", client, payBonusMutation, map[string]any{"in": map[string]any{"contractId": k.ID, "amount": map[string]any{"amount": "10"}, "note": contactText}})
		accept("LogTimeInput.memo", fr, logTimeMutation, map[string]any{"in": map[string]any{"contractId": k.ID, "minutes": 30, "memo": contactText}})
		if got := a.room(client, roomID); !got.ContactSharingAllowed {
			t.Error("the room does not allow contact sharing on a contract")
		}
		for coord := range contractInputs {
			// Offers on a contract are another contract's business; bonus
			// notes and time memos exist only on a contract.
			if !done[coord+" refused"] && !strings.HasPrefix(coord, "PayBonus") && !strings.HasPrefix(coord, "LogTime") {
				t.Errorf("%s is not shown to be refused before a contract", coord)
			}
			if !done[coord+" accepted"] && !strings.Contains(coord, "Offer") {
				t.Errorf("%s is not shown to be accepted on a contract", coord)
			}
		}
	})

	t.Run("clientMessageId", func(t *testing.T) {
		if roomID == "" {
			t.Skip("needs the contract subtest's room")
		}
		// Checked before anything else, and the same on both mutations.
		for _, id := range []string{"john.doe@gmail.com", "+1 415 555 0134", "skype: johndoe", "a b", strings.Repeat("x", 65), "ünïcode"} {
			for _, c := range []struct{ query, key, id string }{
				{sendMessageMutation, "roomId", roomID}, {messageProposalMutation, "proposalId", prop},
			} {
				r := a.post(client, c.query, map[string]any{"in": map[string]any{c.key: c.id, "body": "Hello", "clientMessageId": id}})
				if r.Code() != "VALIDATION_FAILED" || r.Errors[0].Extensions["field"] != "input.clientMessageId" {
					t.Errorf("clientMessageId %q: want VALIDATION_FAILED on input.clientMessageId, got %+v", id, r.Errors)
				}
			}
		}
		var d sendResult
		const id = "0f8c2a9e-7b1d-4c3e-9a55-Z_64"
		a.ok(client, sendMessageMutation, map[string]any{"in": map[string]any{"roomId": roomID, "body": "Hello again", "clientMessageId": id}}, &d)
		if got := d.SendMessage.Message.ClientMessageID; got == nil || *got != id {
			t.Errorf("the sender's own clientMessageId: %v", got)
		}
		var page struct {
			Room struct {
				Messages struct {
					Edges []struct {
						Node struct {
							Body            string
							ClientMessageID *string `json:"clientMessageId"`
						}
					}
				}
			}
		}
		a.ok(fr, `query($id: ID!) { room(id: $id) { messages(last: 1) { edges { node { body clientMessageId } } } } }`,
			map[string]any{"id": roomID}, &page)
		if e := page.Room.Messages.Edges; len(e) != 1 || e[0].Node.ClientMessageID != nil {
			t.Errorf("the other party sees the sender's clientMessageId: %+v", e)
		}
	})
}

// typeString writes an introspected type in GraphQL syntax ("[String!]!").
func typeString(t typeRef) string {
	switch t.Kind {
	case "NON_NULL":
		return typeString(*t.OfType) + "!"
	case "LIST":
		return "[" + typeString(*t.OfType) + "]"
	}
	return *t.Name
}
