package ui

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"simpul/hooks/intake"
	"simpul/hooks/platform/token"
)

// Held attachments. A browser cannot put a chosen file back into a file
// input, so when the complaint form comes back with an error the files it
// carried are held on the server for an hour, named on the form ("kept:
// foto.jpg") and sent again with the next try, unless the person drops
// them. They live under PocketBase's temporary directory (emptied at every
// start, left out of backups), in a directory named by a random token that
// only the form's page knows.
const (
	heldField = "held"      // the hidden input with the token
	heldDrop  = "held_drop" // checkboxes: indexes of held files to drop
	heldTTL   = time.Hour
)

var heldToken = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`) // token.New()

// heldFile is one held file as the form lists it.
type heldFile struct {
	Index int
	Name  string
}

type heldManifest struct {
	Names []string `json:"names"`
}

func heldRoot(app core.App) string {
	return filepath.Join(app.DataDir(), core.LocalTempDirName, "held")
}

// loadHeld returns the files held under token, minus the dropped indexes,
// or nil when the token is unknown, malformed or expired.
func loadHeld(app core.App, token string, drop map[int]bool) []*filesystem.File {
	if !heldToken.MatchString(token) {
		return nil
	}
	dir := filepath.Join(heldRoot(app), token)
	info, err := os.Stat(dir)
	if err != nil || time.Since(info.ModTime()) > heldTTL {
		return nil
	}
	var m heldManifest
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil || json.Unmarshal(raw, &m) != nil {
		return nil
	}
	var out []*filesystem.File
	for i, name := range m.Names {
		if drop[i] || i >= intake.MaxAttachments {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "f"+strconv.Itoa(i)))
		if err != nil {
			continue
		}
		f, err := filesystem.NewFileFromBytes(b, name)
		if err != nil {
			continue
		}
		out = append(out, f)
	}
	return out
}

// holdFiles writes files under a new token and returns it with the list
// the form shows; files over the limits are not held (intake will refuse
// them with its own message). It also removes held directories older
// than heldTTL.
func holdFiles(app core.App, files []*filesystem.File) (string, []heldFile) {
	sweepHeld(app)
	if len(files) == 0 {
		return "", nil
	}
	tok := token.New()
	dir := filepath.Join(heldRoot(app), tok)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		app.Logger().Warn("ui: hold attachments", "error", err.Error())
		return "", nil
	}
	var m heldManifest
	var list []heldFile
	for _, f := range files {
		if len(m.Names) == intake.MaxAttachments || f.Size > intake.MaxAttachmentSize {
			continue
		}
		r, err := f.Reader.Open()
		if err != nil {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(r, intake.MaxAttachmentSize+1))
		r.Close()
		if err != nil || len(data) == 0 || len(data) > intake.MaxAttachmentSize {
			continue
		}
		i := len(m.Names)
		if os.WriteFile(filepath.Join(dir, "f"+strconv.Itoa(i)), data, 0o600) != nil {
			continue
		}
		name := f.OriginalName
		if name == "" {
			name = f.Name
		}
		m.Names = append(m.Names, name)
		list = append(list, heldFile{Index: i, Name: name})
	}
	raw, _ := json.Marshal(m)
	if len(list) == 0 || os.WriteFile(filepath.Join(dir, "manifest.json"), raw, 0o600) != nil {
		_ = os.RemoveAll(dir)
		return "", nil
	}
	return tok, list
}

// dropHeld removes the files held under token (after a report was stored).
func dropHeld(app core.App, token string) {
	if heldToken.MatchString(token) {
		_ = os.RemoveAll(filepath.Join(heldRoot(app), token))
	}
}

func sweepHeld(app core.App) {
	entries, err := os.ReadDir(heldRoot(app))
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > heldTTL {
			_ = os.RemoveAll(filepath.Join(heldRoot(app), e.Name()))
		}
	}
}
