package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/hiregraph/hiregraph/graph"
	"github.com/hiregraph/hiregraph/internal/server"
)

// textInput is one place in the schema where a client sends text: an
// argument of a field (reached by a selection path from a root type),
// possibly inside input objects and lists.
type textInput struct {
	op      string   // query, mutation, subscription
	selPath []string // fields from the root to the field taking the argument
	field   *ast.FieldDefinition
	arg     *ast.ArgumentDefinition
	path    []string // from the argument to the text ("input", "answers", "0", "answer")
	scalar  string
}

func (ti textInput) name() string {
	return ti.op + " " + strings.Join(ti.selPath, ".") + "(" + strings.Join(ti.path, ".") + ")"
}

// placeholder is a valid value of type t: required input fields filled,
// lists of one item.
func placeholder(s *ast.Schema, t *ast.Type, depth int) any {
	if t.Elem != nil {
		return []any{placeholder(s, t.Elem, depth)}
	}
	def := s.Types[t.NamedType]
	switch def.Kind {
	case ast.Enum:
		return def.EnumValues[0].Name
	case ast.InputObject:
		m := map[string]any{}
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil && depth < 5 {
				m[f.Name] = placeholder(s, f.Type, depth+1)
			}
		}
		return m
	}
	switch t.NamedType {
	case "Int":
		return 1
	case "Float":
		return 1.5
	case "Boolean":
		return false
	case "Time":
		return "2026-11-02T09:00:00Z"
	case "ID":
		return "VXNlcjox"
	}
	return "text"
}

// textPaths lists the paths to every text inside a value of type t.
func textPaths(s *ast.Schema, t *ast.Type, prefix []string, depth int, fn func(path []string, scalar string)) {
	if depth > 6 {
		return
	}
	if t.Elem != nil {
		textPaths(s, t.Elem, append(slices.Clone(prefix), "0"), depth+1, fn)
		return
	}
	def := s.Types[t.NamedType]
	switch def.Kind {
	case ast.InputObject:
		for _, f := range def.Fields {
			textPaths(s, f.Type, append(slices.Clone(prefix), f.Name), depth+1, fn)
		}
	case ast.Scalar:
		if t.NamedType != "Int" && t.NamedType != "Float" && t.NamedType != "Boolean" {
			fn(prefix, t.NamedType)
		}
	}
}

// schemaTextInputs walks the served schema from its root types (through
// object fields, interfaces and unions, each type once) and returns every
// text input of every argument it reaches.
func schemaTextInputs(s *ast.Schema) []textInput {
	var out []textInput
	seenField := map[string]bool{}
	type node struct {
		def  *ast.Definition
		path []string
	}
	for _, root := range []struct {
		op  string
		def *ast.Definition
	}{{"query", s.Query}, {"mutation", s.Mutation}, {"subscription", s.Subscription}} {
		if root.def == nil {
			continue
		}
		seenType := map[string]bool{root.def.Name: true}
		queue := []node{{root.def, nil}}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			for _, f := range n.def.Fields {
				if strings.HasPrefix(f.Name, "__") {
					continue
				}
				sel := append(slices.Clone(n.path), f.Name)
				key := n.def.Name + "." + f.Name
				if !seenField[key] {
					seenField[key] = true
					for _, a := range f.Arguments {
						textPaths(s, a.Type, []string{a.Name}, 0, func(path []string, scalar string) {
							out = append(out, textInput{op: root.op, selPath: sel, field: f, arg: a, path: path, scalar: scalar})
						})
					}
				}
				if root.op != "query" {
					continue // below mutation and subscription results, queries reach the same types
				}
				t := s.Types[f.Type.Name()]
				for _, next := range append([]*ast.Definition{t}, s.GetPossibleTypes(t)...) {
					if (next.Kind == ast.Object || next.Kind == ast.Interface) && !seenType[next.Name] {
						seenType[next.Name] = true
						queue = append(queue, node{next, sel})
					}
				}
			}
		}
	}
	return out
}

// document builds an operation reaching ti's field with every required
// argument as a placeholder and ti's argument as the variable $v.
func (ti textInput) document(s *ast.Schema, parentOf func([]string) []*ast.FieldDefinition) (string, map[string]any) {
	defs := parentOf(ti.selPath)
	vars := map[string]any{}
	var decls []string
	var open, close strings.Builder
	for i, f := range defs {
		var args []string
		for _, a := range f.Arguments {
			name := fmt.Sprintf("v%d_%s", i, a.Name)
			switch {
			case i == len(defs)-1 && a.Name == ti.arg.Name:
				name = "v"
			case !a.Type.NonNull || a.DefaultValue != nil:
				continue
			}
			vars[name] = placeholder(s, a.Type, 0)
			decls = append(decls, "$"+name+": "+a.Type.String())
			args = append(args, a.Name+": $"+name)
		}
		open.WriteString(f.Name)
		if len(args) > 0 {
			open.WriteString("(" + strings.Join(args, ", ") + ")")
		}
		t := s.Types[f.Type.Name()]
		if t.Kind == ast.Object || t.Kind == ast.Interface || t.Kind == ast.Union {
			if i == len(defs)-1 {
				open.WriteString(" { __typename }")
			} else {
				open.WriteString(" { ")
				// Reach the next field through a fragment on its type.
				next := defs[i+1]
				owner := ownerOf(s, t, next.Name)
				if owner != t.Name {
					open.WriteString("... on " + owner + " { ")
					close.WriteString(" }")
				}
				close.WriteString(" }")
			}
		}
	}
	doc := ti.op
	if len(decls) > 0 {
		doc += "(" + strings.Join(decls, ", ") + ")"
	}
	return doc + " { " + open.String() + close.String() + " }", vars
}

// ownerOf names the type, t itself or one of its possible types, that has field.
func ownerOf(s *ast.Schema, t *ast.Definition, field string) string {
	if t.Fields.ForName(field) != nil {
		return t.Name
	}
	for _, p := range s.GetPossibleTypes(t) {
		if p.Fields.ForName(field) != nil {
			return p.Name
		}
	}
	return t.Name
}

// set puts v at path inside m, a value of type t, creating what is missing
// (optional input objects) from placeholders.
func set(s *ast.Schema, t *ast.Type, m any, path []string, v any) any {
	if len(path) == 0 {
		return v
	}
	if m == nil {
		m = placeholder(s, t, 0)
	}
	if t.Elem != nil {
		items := m.([]any)
		items[0] = set(s, t.Elem, items[0], path[1:], v)
		return items
	}
	obj := m.(map[string]any)
	f := s.Types[t.NamedType].Fields.ForName(path[0])
	obj[path[0]] = set(s, f.Type, obj[path[0]], path[1:], v)
	return obj
}

// TestEveryTextInputIsChecked: issue 11, acceptance 2. Every text input of
// the served schema, found by walking it, refuses a NUL byte, invalid UTF-8
// (raw bytes, and a lone surrogate escape), control characters, invisible-only
// text and, where it is one line, a line break: VALIDATION_FAILED with
// extensions.field naming the input, never INTERNAL.
func TestEveryTextInputIsChecked(t *testing.T) {
	a := newApp(t)
	s := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	inputs := schemaTextInputs(s)
	if len(inputs) < 30 {
		t.Fatalf("only %d text inputs found: the walk is broken", len(inputs))
	}
	// A selection path's field definitions, from the root.
	rootOf := map[string]*ast.Definition{"query": s.Query, "mutation": s.Mutation, "subscription": s.Subscription}
	const marker = "@@BAD@@"
	bad := map[string]string{ // name → what replaces the marker inside the JSON string
		"NUL":                 `a\u0000b`,
		"raw invalid UTF-8":   "a\xff\xfeb",
		"lone surrogate":      `a\ud800b`,
		"escape character":    `a\u001b[31mb`,
		"DEL":                 "a\x7fb",
		"invisible only":      `\u200b\u200c\u2060`,
		"line break (1 line)": `a\nb`,
	}
	checked := 0
	for _, ti := range inputs {
		parentOf := func(sel []string) []*ast.FieldDefinition {
			var defs []*ast.FieldDefinition
			def := rootOf[ti.op]
			for _, name := range sel {
				f := def.Fields.ForName(name)
				if f == nil {
					for _, p := range s.GetPossibleTypes(def) {
						if f = p.Fields.ForName(name); f != nil {
							break
						}
					}
				}
				defs = append(defs, f)
				def = s.Types[f.Type.Name()]
			}
			return defs
		}
		doc, vars := ti.document(s, parentOf)
		vars["v"] = set(s, ti.arg.Type, vars["v"], ti.path[1:], marker)
		field := strings.Join(ti.path, ".")
		for what, raw := range bad {
			if what == "line break (1 line)" && !singleLineInput(ti) {
				continue
			}
			body, _ := json.Marshal(map[string]any{"query": doc, "variables": vars})
			body = bytes.Replace(body, []byte(marker), []byte(raw), 1)
			_, raw := rawPost(t, a.URL, "", body)
			var out response
			if err := json.Unmarshal(raw, &out); err != nil {
				t.Fatalf("%s, %s: %v", ti.name(), what, err)
			}
			checked++
			if out.Code() != "VALIDATION_FAILED" || out.Errors[0].Extensions["field"] != field {
				t.Errorf("%s, %s: want VALIDATION_FAILED on %s, got %+v\n%s", ti.name(), what, field, out.Errors, doc)
			}
		}
	}
	t.Logf("%d text inputs, %d refusals checked", len(inputs), checked)
}

// singleLineInput mirrors which inputs the server holds to one line.
func singleLineInput(ti textInput) bool {
	name := ti.path[len(ti.path)-1]
	if name == "0" {
		name = ti.path[len(ti.path)-2]
	}
	return !server.Multiline(ti.scalar, name)
}
