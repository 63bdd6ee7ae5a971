package graph

import (
	"context"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// Every text one party shows the other goes through the contact-information
// check before a contract (R17) on ONE path: ShownTextGate, a field
// middleware that walks the input of every mutation along the schema and
// checks every String in it (nested input objects and lists included),
// before the resolver runs. Nothing has to be listed for a text to be
// checked: a new mutation or a new input field (an agency name, a search
// alert title…) is covered the moment it is in the schema.
//
// Only two kinds of String input are treated differently, each listed here
// with its reason:
//   - notShown (and notShownName: passwords, the account's own email,
//     client-chosen "…Id"/"…Key" identifiers): never shown to the other
//     party, so the check does not apply;
//   - untilContract: texts exchanged where a contract may already exist
//     (rooms, offers, contracts); hiring checks them in the transaction,
//     against the contract between the two parties, with the same
//     hiring.CheckShownText, and lets them through once a contract runs.
//
// and shownAs gives a field a stricter checker than free text (attachment
// links). The use cases in hiring also check the texts they know, with the
// same functions, so that callers other than the API are held to R17 too;
// the gate is what guarantees that no field of the API is forgotten. Adding a field that is shown to the other party needs no code;
// adding one that is not needs an entry in notShown with its reason, which
// TestShownTextInputs (internal/server) asks for.
var (
	notShown = map[string]string{
		"LoginInput.email":                     "the viewer's own credentials, never shown",
		"LoginInput.password":                  "the viewer's own credentials, never shown",
		"MoneyInput.amount":                    "a decimal amount, parsed strictly (digits and one point)",
		"MoneyInput.currency":                  "a three-letter currency code, parsed strictly",
		"MessageProposalInput.clientMessageId": "limited to [A-Za-z0-9_-]{1,64} and shown only to its sender",
		"SendMessageInput.clientMessageId":     "limited to [A-Za-z0-9_-]{1,64} and shown only to its sender",
	}
	untilContract = map[string]string{
		"SendMessageInput.body":     "room messages: contact details are allowed once a contract starts",
		"SendOfferInput.message":    "offers may follow an earlier contract between the same two parties",
		"DeclineOfferInput.message": "offers may follow an earlier contract between the same two parties",
		"PayBonusInput.note":        "only on a running contract",
		"LogTimeInput.memo":         "only on a running contract",
	}
	shownAs = map[string]func(field, text string) error{
		"AttachmentInput.url": hiring.CheckShownLink,
	}
)

// ShownTextGate returns the field middleware that checks the String inputs
// of every mutation for contact information (see above).
// Errors: CONTACT_INFO_NOT_ALLOWED naming the field ("input.skills.2").
func ShownTextGate(schema *ast.Schema) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		fc := graphql.GetFieldContext(ctx)
		if fc == nil || fc.Object != "Mutation" || fc.Field.Field == nil || fc.Field.Definition == nil {
			return next(ctx)
		}
		var vars map[string]any
		if oc := graphql.GetOperationContext(ctx); oc != nil {
			vars = oc.Variables
		}
		args := fc.Field.ArgumentMap(vars)
		var err error
		for _, a := range fc.Field.Definition.Arguments {
			if v, ok := args[a.Name]; ok {
				err = walkShown(schema, a.Type, "", a.Name, v, checkShown)
				if err != nil {
					return nil, err
				}
			}
		}
		return next(ctx)
	}
}

// notShownName reports the String inputs that, by their name, are never
// shown to the other party: passwords ("password", "newPassword"), the
// account's own email address ("email": logging in, signing up, inviting
// someone by address) and identifiers the client chooses ("…Id", "…Key":
// idempotency keys), which their own validation limits to a safe alphabet.
func notShownName(coord string) bool {
	f := coord[strings.LastIndexByte(coord, '.')+1:]
	return f == "password" || strings.HasSuffix(f, "Password") || f == "email" || strings.HasSuffix(f, "Email") ||
		strings.HasSuffix(f, "Id") || strings.HasSuffix(f, "Key")
}

func checkShown(coord, path, text string) error {
	if _, skip := notShown[coord]; skip || notShownName(coord) {
		return nil
	}
	if _, later := untilContract[coord]; later {
		return nil
	}
	if check, ok := shownAs[coord]; ok {
		return check(path, text)
	}
	return hiring.CheckShownText(path, text)
}

// walkShown calls fn for every String value in v, of type t, with its
// schema coordinate ("PostJobInput.skills") and its path ("input.skills.2").
func walkShown(schema *ast.Schema, t *ast.Type, coord, path string, v any, fn func(coord, path, text string) error) error {
	if v == nil {
		return nil
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok { // a single value where a list is expected is a list of one
			return walkShown(schema, t.Elem, coord, path, v, fn)
		}
		for i, e := range list {
			if err := walkShown(schema, t.Elem, coord, path+"."+strconv.Itoa(i), e, fn); err != nil {
				return err
			}
		}
		return nil
	}
	def := schema.Types[t.NamedType]
	if def == nil {
		return nil
	}
	switch def.Kind {
	case ast.Scalar:
		if s, ok := v.(string); ok && t.NamedType == "String" {
			return fn(coord, path, s)
		}
	case ast.InputObject:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		for _, f := range def.Fields {
			if fv, ok := m[f.Name]; ok {
				if err := walkShown(schema, f.Type, def.Name+"."+f.Name, path+"."+f.Name, fv, fn); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
