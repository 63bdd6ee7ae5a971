package hiring_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestEveryUseCaseIsTested fails when an exported method of the Service
// (a use case) or an exported function of the package is called by none of
// the package's tests: a use case added without its test is caught here.
func TestEveryUseCaseIsTested(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var tests strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			if f != "coverage_test.go" {
				src, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				tests.Write(src)
			}
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.IsExported() {
				if fn.Recv != nil {
					typ := fn.Recv.List[0].Type
					if star, ok := typ.(*ast.StarExpr); ok {
						typ = star.X
					}
					if id, ok := typ.(*ast.Ident); !ok || id.Name != "Service" {
						continue
					}
				}
				names = append(names, fn.Name.Name)
			}
		}
	}
	if len(names) < 40 {
		t.Fatalf("found only %d use cases: is the parse broken?", len(names))
	}
	var missing []string
	for _, n := range names {
		if !regexp.MustCompile(`\b` + n + `\(`).MatchString(tests.String()) {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d use cases of package hiring have no test calling them: %s", len(missing), strings.Join(missing, ", "))
	}
}
