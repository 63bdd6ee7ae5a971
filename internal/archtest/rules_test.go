package archtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// cited matches a rule number as the code cites it: R11, (R19a), "R2 ".
// A preceding letter, digit, underscore or dot rules out identifiers such as
// unicode.Nd.R32 or HR2.
var cited = regexp.MustCompile(`(?:^|[^\w.])(R[0-9]+a?)\b`)

// documented matches a rule's heading in rules.md: **R19a. Title.**
var documented = regexp.MustCompile(`(?m)^\*\*(R[0-9]+a?)\. `)

// TestRulesDocumented fails when the Go code, the schema or a migration
// cites a rule number that docs/rules.md does not define, or when rules.md
// misses one of R1..R29 (and R19a).
func TestRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	for _, m := range documented.FindAllStringSubmatch(string(doc), -1) {
		if defined[m[1]] {
			t.Errorf("rules.md defines %s twice", m[1])
		}
		defined[m[1]] = true
	}
	for _, want := range append(numbered(1, 29), "R19a") {
		if !defined[want] {
			t.Errorf("rules.md does not define %s", want)
		}
	}

	citations := map[string][]string{} // rule → files citing it
	root := "../.."
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", ".data":
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".graphqls", ".sql":
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range cited.FindAllStringSubmatch(string(b), -1) {
			if rel, _ := filepath.Rel(root, path); !slices.Contains(citations[m[1]], rel) {
				citations[m[1]] = append(citations[m[1]], rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(citations) < 20 {
		t.Fatalf("found only %d distinct rule numbers in the code: is the walk broken?", len(citations))
	}
	for rule, files := range citations {
		if !defined[rule] {
			t.Errorf("%s is cited in %s but not defined in docs/rules.md", rule, strings.Join(files, ", "))
		}
	}
}

func numbered(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, "R"+strconv.Itoa(i))
	}
	return out
}
