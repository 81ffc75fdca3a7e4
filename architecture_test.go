package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// docs/architecture.md names every Go package of the tree, and the layers
// it draws hold in the code: hooks/* imports neither sync/* nor ui/*, and
// sync/* does not import ui/* (test files aside: tests use ui/testkit).
func TestArchitectureMatchesTree(t *testing.T) {
	doc, err := os.ReadFile("docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := map[string][]string{"hooks": {"simpul/sync/", "simpul/ui"}, "sync": {"simpul/ui"}}
	pkgs := map[string]bool{}
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "tools" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		pkgs[dir] = true
		if strings.HasSuffix(path, "_test.go") {
			return nil
		}
		layer, _, _ := strings.Cut(dir, "/")
		if forbidden[layer] == nil {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden[layer] {
				if strings.HasPrefix(p, bad) {
					t.Errorf("%s imports %s: %s/* must not depend on %s*", path, p, layer, bad)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 20 {
		t.Fatalf("found only %d packages: is the test running from the repository's root?", len(pkgs))
	}
	for dir := range pkgs {
		if dir == "." {
			continue // main.go, named as such
		}
		if !strings.Contains(string(doc), "`"+dir+"`") && !strings.Contains(string(doc), "`"+dir+"/`") {
			t.Errorf("docs/architecture.md does not name the package %s", dir)
		}
	}
}
