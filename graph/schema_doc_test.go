package graph_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/hiregraph/hiregraph/graph"
)

// ruleNumber finds the product-rule numbers ("R6", "(R19a)") that mean
// something to the team but nothing to an API user.
var ruleNumber = regexp.MustCompile(`\bR[0-9]+a?\b`)

// TestSchemaIsDocumented fails when any element of the served schema — a
// type, field, argument, input field or enum value — has no description,
// or when a description cites an internal rule number instead of saying
// what it means.
func TestSchemaIsDocumented(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	var missing, numbered []string
	check := func(path, desc string) {
		switch {
		case strings.TrimSpace(desc) == "":
			missing = append(missing, path)
		case ruleNumber.MatchString(desc):
			numbered = append(numbered, path+": "+ruleNumber.FindString(desc))
		}
	}
	for name, def := range schema.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		check(name, def.Description)
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			check(name+"."+f.Name, f.Description)
			for _, a := range f.Arguments {
				check(name+"."+f.Name+"("+a.Name+")", a.Description)
			}
		}
		for _, v := range def.EnumValues {
			check(name+"."+v.Name, v.Description)
		}
	}
	for name, d := range schema.Directives {
		if d.Position != nil && d.Position.Src != nil && d.Position.Src.BuiltIn {
			continue
		}
		check("@"+name, d.Description)
		for _, a := range d.Arguments {
			check("@"+name+"("+a.Name+")", a.Description)
		}
	}
	sort.Strings(missing)
	sort.Strings(numbered)
	if len(missing) > 0 {
		t.Errorf("%d schema elements have no description:\n  %s", len(missing), strings.Join(missing, "\n  "))
	}
	if len(numbered) > 0 {
		t.Errorf("%d descriptions cite rule numbers; say what the rule means instead:\n  %s", len(numbered), strings.Join(numbered, "\n  "))
	}
}

// TestTimeIsSpecified checks that the Time scalar points at its
// specification, so clients and tools know its format.
func TestTimeIsSpecified(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	def := schema.Types["Time"]
	if def == nil {
		t.Fatal("no Time scalar in the schema")
	}
	var d *ast.Directive
	if d = def.Directives.ForName("specifiedBy"); d == nil {
		t.Fatal("scalar Time has no @specifiedBy")
	}
	if url := d.Arguments.ForName("url"); url == nil || !strings.HasPrefix(url.Value.Raw, "https://") {
		t.Fatalf("scalar Time's @specifiedBy has no https url: %v", d.Arguments)
	}
}
