package server

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/hiregraph/hiregraph/internal/market"
)

// maxInputListItems bounds every list an operation's arguments carry (ids,
// skills, answers, attachments...), so that no list multiplies the work of
// one request beyond what its use case expects.
const maxInputListItems = market.MaxPageSize

// inputGate is the one place where text input is checked before anything
// else sees it: after the document validated and the variables were
// coerced, and before anything runs, it walks every argument of every field
// of the operation along the schema's input types and passes each string
// through market.CheckWellFormed (valid UTF-8, no NUL or control characters,
// line breaks only in multi-line texts, not only invisible characters), and
// each list through the length bound. The first fault refuses the whole
// operation with VALIDATION_FAILED naming the argument's path
// (extensions.field, e.g. "input.answers.0.answer"). Fragments are walked
// once each, so the work is linear in the document and its variables.
type inputGate struct{ schema *ast.Schema }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &inputGate{}

func (*inputGate) ExtensionName() string { return "InputGate" }

func (g *inputGate) Validate(es graphql.ExecutableSchema) error {
	g.schema = es.Schema()
	return nil
}

func (g *inputGate) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	w := gateWalker{schema: g.schema, vars: opCtx.Variables, fragments: map[string]bool{}}
	err := w.selectionSet(opCtx.Operation.SelectionSet)
	if err == nil {
		return nil
	}
	var me *market.Error
	if !errors.As(err, &me) {
		return limitError(market.CodeValidationFailed, "%s", err.Error())
	}
	gerr := limitError(me.Code, "%s", me.Message)
	gerr.Extensions["field"] = me.Field
	return gerr
}

type gateWalker struct {
	schema    *ast.Schema
	vars      map[string]any
	fragments map[string]bool
}

func (w *gateWalker) selectionSet(set ast.SelectionSet) error {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Definition != nil {
				for _, arg := range s.Arguments {
					def := s.Definition.Arguments.ForName(arg.Name)
					if def == nil || arg.Value == nil {
						continue
					}
					v, err := arg.Value.Value(w.vars)
					if err != nil {
						continue // refused by validation already
					}
					if err := w.value(def.Type, v, arg.Name, arg.Name); err != nil {
						return err
					}
				}
			}
			if err := w.selectionSet(s.SelectionSet); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := w.selectionSet(s.SelectionSet); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && !w.fragments[s.Name] {
				w.fragments[s.Name] = true
				if err := w.selectionSet(s.Definition.SelectionSet); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// value checks v, of type t, at path; name is the argument's or input
// field's own name (which says whether its text is multi-line).
func (w *gateWalker) value(t *ast.Type, v any, path, name string) error {
	if v == nil || t == nil {
		return nil
	}
	if t.Elem != nil {
		items, ok := v.([]any)
		if !ok { // a single value where a list is expected is a list of one
			return w.value(t.Elem, v, path+".0", name)
		}
		if len(items) > maxInputListItems {
			return market.Invalid(path, "%s has %d items, more than the limit of %d", path, len(items), maxInputListItems)
		}
		for i, item := range items {
			if err := w.value(t.Elem, item, path+"."+strconv.Itoa(i), name); err != nil {
				return err
			}
		}
		return nil
	}
	def := w.schema.Types[t.NamedType]
	if def == nil {
		return nil
	}
	switch def.Kind {
	case ast.InputObject:
		fields, _ := v.(map[string]any)
		for _, f := range def.Fields {
			if fv, ok := fields[f.Name]; ok {
				if err := w.value(f.Type, fv, path+"."+f.Name, f.Name); err != nil {
					return err
				}
			}
		}
	case ast.Scalar:
		if s, ok := v.(string); ok {
			return market.CheckWellFormed(path, s, multiline(t.NamedType, name))
		}
	}
	return nil
}

// singleLine names the inputs whose text is one line: identifiers, names,
// titles, credentials, codes, amounts, links, cursors. Other text (bodies,
// messages, cover letters, descriptions, answers, notes) may span lines.
var singleLine = map[string]bool{
	"email": true, "password": true, "name": true, "title": true, "currency": true, "amount": true,
	"url": true, "contentType": true, "after": true, "before": true, "skills": true, "skill": true,
	"query": true, "token": true, "code": true, "idempotencyKey": true,
}

// multiline reports whether an input's text may hold line breaks and tabs.
func multiline(scalar, name string) bool {
	if scalar == "ID" || strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "ID") || strings.HasSuffix(name, "Ids") {
		return false
	}
	return !singleLine[name]
}
