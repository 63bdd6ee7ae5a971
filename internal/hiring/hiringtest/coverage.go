package hiringtest

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

// Untested returns the exported functions of the Go package in dir, and its
// exported methods on the receiver types named in recv (all exported types
// when recv is empty), that none of the package's test files but skip
// calls: the check behind "every store method / use case has a test".
// Error and Unwrap are left out (they make a type an error and are tested
// through errors.Is/As).
func Untested(tb testing.TB, dir, skip string, recv ...string) (untested []string, exported int) {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		tb.Fatal(err)
	}
	fset := token.NewFileSet()
	var names []string
	seen := map[string]bool{}
	var tests strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			if filepath.Base(f) != skip {
				src, err := os.ReadFile(f)
				if err != nil {
					tb.Fatal(err)
				}
				tests.Write(src)
			}
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			tb.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || !fn.Name.IsExported() || fn.Name.Name == "Error" || fn.Name.Name == "Unwrap" {
				continue
			}
			if fn.Recv != nil && !receiverIn(fn.Recv.List[0].Type, recv) {
				continue
			}
			if !seen[fn.Name.Name] {
				seen[fn.Name.Name] = true
				names = append(names, fn.Name.Name)
			}
		}
	}
	src := tests.String()
	for _, n := range names {
		if !regexp.MustCompile(`\.` + n + `\(`).MatchString(src) {
			untested = append(untested, n)
		}
	}
	sort.Strings(untested)
	return untested, len(names)
}

func receiverIn(typ ast.Expr, recv []string) bool {
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	id, ok := typ.(*ast.Ident)
	if !ok || !id.IsExported() {
		return false
	}
	if len(recv) == 0 {
		return true
	}
	for _, r := range recv {
		if r == id.Name {
			return true
		}
	}
	return false
}
