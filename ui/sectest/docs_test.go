package sectest

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// No comment or document points at a file outside the repository (the
// design notes the project started from are not in it), and every
// relative link in docs/ and README.md names a file that exists.
func TestNoReferenceOutsideTheRepository(t *testing.T) {
	root := "../.."
	outside := []string{"DESIGN" + ".md", "POCKETBASE" + ".md", "shared" + "/data", "../" + "shared/"}
	link := regexp.MustCompile(`\]\(([^)#:]+)(#[^)]*)?\)`)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".md") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, o := range outside {
			if strings.Contains(string(b), o) {
				t.Errorf("%s refers to %s, which is not in the repository", path, o)
			}
		}
		if strings.HasSuffix(path, ".md") {
			for _, m := range link.FindAllStringSubmatch(string(b), -1) {
				if _, err := os.Stat(filepath.Join(filepath.Dir(path), m[1])); err != nil {
					t.Errorf("%s links %s, which does not exist", path, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The office row is read in one place (hooks/settings: OfficeOf, cached
// and dropped on every edit): no other package looks the row up itself.
// Migrations, which run before the app's hooks, read it their own way.
func TestOfficeIsReadInOnePlace(t *testing.T) {
	root := "../.."
	read := regexp.MustCompile(`Find\w*\(model\.Offices|From\(model\.Offices|(?i)from offices\b|(?i)from\s*"\s*\+\s*model\.Offices\b`)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "node_modules" || rel == "migrations" || rel == filepath.Join("hooks", "settings") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if read.MatchString(line) {
				t.Errorf("%s:%d reads the offices row itself; use settings.OfficeOf: %s", rel, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
