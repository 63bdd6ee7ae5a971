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
// check before a contract (R17) on ONE path: ShownTextGate, a root-field
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

// ShownTextGate returns the root-field middleware that checks the String
// inputs of every mutation for contact information (see above). It runs on
// root fields only, which is where every mutation's input is: a field
// middleware would put a closure and an interface call on every field of
// every query and event for nothing.
// Errors: CONTACT_INFO_NOT_ALLOWED naming the field ("input.skills.2"), on
// the mutation's path, whose resolver does not run.
func ShownTextGate(schema *ast.Schema) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		// The root field context's Object is the field's name; the
		// operation's type is on the field context around it.
		rc, fc := graphql.GetRootFieldContext(ctx), graphql.GetFieldContext(ctx)
		if rc == nil || fc == nil || fc.Object != "Mutation" || rc.Field.Field == nil || rc.Field.Definition == nil {
			return next(ctx)
		}
		var vars map[string]any
		if oc := graphql.GetOperationContext(ctx); oc != nil {
			vars = oc.Variables
		}
		args := rc.Field.ArgumentMap(vars)
		for _, a := range rc.Field.Definition.Arguments {
			v, ok := args[a.Name]
			if !ok {
				continue
			}
			if err := walkShown(schema, a.Type, "", a.Name, v, checkShown); err != nil {
				// Reported as the mutation field's own error, as its resolver's
				// would be: on its path, at its position.
				fctx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: fc.Object, Field: rc.Field})
				graphql.AddError(fctx, graphql.AddFieldLocationToError(fctx, err))
				return graphql.Null
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
