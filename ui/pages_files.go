package ui

import (
	"errors"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/cases"
)

// Attachments on the case page: GET /staf/laporan/{code}/lampiran/{name}
// serves one of the complaint's files (the reporter's or a follow-up's) to
// a signed-in staff member who may see the complaint; ?thumb=1 serves a
// small preview of an image instead (made once, kept beside the file,
// where PocketBase keeps its own thumbnails). Files are protected in
// storage: this route and PocketBase's file API with a file token are the
// only ways to them.
const thumbSize = "320x240f"

// attachmentView is one attachment as the case page links it.
type attachmentView struct {
	cases.Attachment
	Href, Thumb string
}

func attachmentViews(code string, list []cases.Attachment) (reporter, followups []attachmentView) {
	for _, a := range list {
		href := "/staf/laporan/" + url.PathEscape(code) + "/lampiran/" + url.PathEscape(a.Name)
		v := attachmentView{Attachment: a, Href: href}
		if a.Kind == "image" {
			v.Thumb = href + "?thumb=1"
		}
		if a.Source == cases.SourceFollowup {
			followups = append(followups, v)
		} else {
			reporter = append(reporter, v)
		}
	}
	return reporter, followups
}

func (p *renderer) staffAttachment(e *core.RequestEvent) error {
	staff, rec, err := p.loadForStaff(e)
	if staff == nil || rec == nil {
		return err
	}
	name := e.Request.PathValue("name")
	key, err := cases.AttachmentKey(p.app, cases.StaffActor(staff, p.office().Code), rec, name)
	switch {
	case errors.Is(err, cases.ErrNoAccess):
		return p.render(e, http.StatusForbidden, "notfound.html", notFoundPage{
			Title: "files.title", Body: "files.forbidden", Links: []link{{"/staf", "nav.staff"}}})
	case err != nil:
		return p.render(e, http.StatusNotFound, "notfound.html", notFoundPage{
			Title: "files.notfound", Body: "files.notfound.body", Links: []link{{"/staf", "nav.staff"}}})
	}
	fsys, err := p.app.NewFilesystem()
	if err != nil {
		return e.InternalServerError("", err)
	}
	defer fsys.Close()
	served, servedName := key, name
	if e.Request.URL.Query().Get("thumb") == "1" && !strings.EqualFold(path.Ext(name), ".pdf") {
		thumb := path.Dir(key) + "/thumbs_" + name + "/" + thumbSize + "_" + name
		if ok, _ := fsys.Exists(thumb); !ok {
			if err := fsys.CreateThumb(key, thumb, thumbSize); err != nil {
				p.app.Logger().Warn("ui: thumbnail failed", "error", err.Error())
				thumb = key // the original then, scaled by the page
			}
		}
		served = thumb
	}
	h := e.Response.Header()
	// Personal data: this browser may keep it for a while, nobody between.
	h.Set("Cache-Control", "private, max-age=3600")
	if err := fsys.Serve(e.Response, e.Request, served, servedName); err != nil {
		return p.render(e, http.StatusNotFound, "notfound.html", notFoundPage{
			Title: "files.notfound", Body: "files.notfound.body", Links: []link{{"/staf", "nav.staff"}}})
	}
	p.app.Logger().Info("attachment_viewed", "staff_id", staff.Id, "complaint_id", rec.Id)
	return nil
}
