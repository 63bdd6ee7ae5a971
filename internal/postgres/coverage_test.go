package postgres_test

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

// TestEveryStoreMethodIsTested fails when an exported function or method of
// this package is called by none of its tests: a store method added without
// a test against the real database is caught here. It reads the package's
// source (go/ast) for the exported names and the test files for calls.
func TestEveryStoreMethodIsTested(t *testing.T) {
	names := exportedFuncs(t, ".")
	if len(names) < 50 {
		t.Fatalf("found only %d exported functions: is the parse broken?", len(names))
	}
	tests := testSources(t, ".", "coverage_test.go")
	var missing []string
	for _, n := range names {
		if !regexp.MustCompile(`\.` + n + `\b`).MatchString(tests) {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d exported functions of package postgres have no test calling them: %s", len(missing), strings.Join(missing, ", "))
	}
}

// exportedFuncs lists the exported functions, and exported methods of
// exported types, of the non-test Go files in dir.
func exportedFuncs(t *testing.T, dir string) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || !fn.Name.IsExported() {
				continue
			}
			if fn.Recv != nil {
				typ := fn.Recv.List[0].Type
				if star, ok := typ.(*ast.StarExpr); ok {
					typ = star.X
				}
				if id, ok := typ.(*ast.Ident); !ok || !id.IsExported() {
					continue
				}
				// Error and Unwrap make OpError an error; they are tested
				// through errors.Is/As, not called by name.
				if fn.Name.Name == "Error" || fn.Name.Name == "Unwrap" {
					continue
				}
			}
			if !seen[fn.Name.Name] {
				seen[fn.Name.Name] = true
				out = append(out, fn.Name.Name)
			}
		}
	}
	return out
}

// testSources concatenates the package's test files but skip.
func testSources(t *testing.T, dir, skip string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range files {
		if filepath.Base(f) == skip {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(src)
	}
	return b.String()
}
