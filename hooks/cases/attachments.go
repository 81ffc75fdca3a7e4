package cases

import (
	"errors"
	"path"
	"regexp"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
)

// Attachment is one file of a complaint as staff see it: the reporter's
// photos and documents (stored on the complaint) and the files handlers
// attached to their follow-ups (case_files). Whoever may see the complaint
// (canSee) may see its attachments.
type Attachment struct {
	Name     string `json:"name"`                // the stored file name (unique per complaint)
	Label    string `json:"label"`               // the name to show
	Kind     string `json:"kind"`                // "image" or "pdf"
	Source   string `json:"source"`              // "reporter" or "followup"
	EventUID string `json:"event_uid,omitempty"` // the follow-up's event
}

// Attachment sources.
const (
	SourceReporter = "reporter"
	SourceFollowup = "followup"
)

// storedSuffix is the random part PocketBase adds to a stored file name
// ("foto_a1b2c3d4e5.jpg").
var storedSuffix = regexp.MustCompile(`_[a-z0-9]{10}(\.[A-Za-z0-9]+)$`)

// fileLabel is a stored file name without PocketBase's random suffix.
func fileLabel(name string) string {
	return storedSuffix.ReplaceAllString(name, "$1")
}

func fileKind(name string) string {
	if strings.EqualFold(path.Ext(name), ".pdf") {
		return "pdf"
	}
	return "image"
}

// attachmentsOf lists c's attachments, the reporter's first, then the
// follow-ups' in the order they were added.
func attachmentsOf(app core.App, c *core.Record) ([]Attachment, error) {
	out := []Attachment{}
	for _, name := range c.GetStringSlice("attachments") {
		out = append(out, Attachment{Name: name, Label: fileLabel(name), Kind: fileKind(name), Source: SourceReporter})
	}
	files, err := app.FindRecordsByFilter(CaseFiles, "complaint = {:c}", "created", 0, 0, dbx.Params{"c": c.Id})
	if err != nil {
		return nil, err
	}
	labels := followupLabels(app, c)
	for _, f := range files {
		name := f.GetString("file")
		label := labels[name]
		if label == "" {
			label = fileLabel(name)
		}
		out = append(out, Attachment{Name: name, Label: label, Kind: fileKind(name), Source: SourceFollowup,
			EventUID: f.GetString("event_uid")})
	}
	return out, nil
}

// followupLabels maps stored follow-up file names to the names they were
// uploaded with (kept in the follow-up event's data).
func followupLabels(app core.App, c *core.Record) map[string]string {
	out := map[string]string{}
	evs, err := app.FindRecordsByFilter(model.ComplaintEvents, "complaint = {:c} && kind = {:k}", "seq", 0, 0,
		dbx.Params{"c": c.Id, "k": model.EventFollowUp})
	if err != nil {
		return out
	}
	for _, ev := range evs {
		var data struct {
			Files []struct{ Name, File string } `json:"files"`
		}
		if ev.UnmarshalJSONField("data", &data) != nil {
			continue
		}
		for _, f := range data.Files {
			if f.Name != "" {
				out[f.File] = f.Name
			}
		}
	}
	return out
}

// ErrNoFile is returned by AttachmentKey for a name that is not one of the
// complaint's attachments.
var ErrNoFile = errors.New("cases: no such attachment")

// AttachmentKey returns the storage key of the attachment name of c (for
// filesystem.System.Serve), after checking that actor may see c. Names
// are matched exactly against the stored ones, so no path can be built
// from what the request says.
func AttachmentKey(app core.App, actor Actor, c *core.Record, name string) (string, error) {
	if !canSee(actor, c) {
		return "", ErrNoAccess
	}
	for _, n := range c.GetStringSlice("attachments") {
		if n == name {
			return c.BaseFilesPath() + "/" + n, nil
		}
	}
	f, err := app.FindFirstRecordByFilter(CaseFiles, "complaint = {:c} && file = {:f}", dbx.Params{"c": c.Id, "f": name})
	if err != nil {
		return "", ErrNoFile
	}
	return f.BaseFilesPath() + "/" + f.GetString("file"), nil
}
