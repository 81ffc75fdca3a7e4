package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"simpul/hooks/model"
	"simpul/hooks/trackcode"
)

func bindTrackPages(se *core.ServeEvent, p *renderer, page func(*router.Route[*core.RequestEvent])) {
	page(se.Router.GET("/lacak", p.trackForm))
	page(se.Router.GET("/lacak/{code}", p.trackView))
	page(se.Router.POST("/lacak/{code}", p.trackReply))
}

// trackLookup is the data of /lacak.
type trackLookup struct {
	Code  string
	Error string // an i18n key
}

// trackPage is the data of /lacak/{code}: only what the public may see.
type trackPage struct {
	Code         string
	Status       string
	StatusLabel  string
	Next         string
	Type         string
	Category     string
	Title        string // empty for confidential reports
	Received     string
	Due          string
	Hub          string
	Confidential bool
	Timeline     []timelineItem
	CanReply     bool
	CanRate      bool
	Sent         bool   // a reply or rating was just accepted
	ReplyError   string // why the last reply or rating was refused
	Message      string // what the reporter typed, kept after an error
}

// Stars are the choices of the rating form.
func (trackPage) Stars() []int { return []int{1, 2, 3, 4, 5} }

type timelineItem struct {
	At, What, Status, Note string
}

var monthsID = [...]string{"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}

// FormatTime writes t in the office's zone the way a receipt does:
// "2 Jan 2026 14:05 WIB" (Indonesian month abbreviations in "id").
func FormatTime(lang string, t time.Time, tz string) string {
	if t.IsZero() {
		return ""
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	t = t.In(loc)
	month := t.Format("Jan")
	if lang != "en" {
		month = monthsID[t.Month()-1]
	}
	return t.Format("2 ") + month + t.Format(" 2006 15:04 ") + TZLabel(tz)
}

// normalizeCode tolerates what people type and says what went wrong as an
// i18n key.
func normalizeCode(input string) (string, string) {
	code, err := trackcode.Normalize(input)
	switch {
	case err == nil:
		return code, ""
	case errors.Is(err, trackcode.ErrCheck):
		return "", "track.typo"
	default:
		return "", "track.malformed"
	}
}

func (p *renderer) trackForm(e *core.RequestEvent) error {
	input := strings.TrimSpace(e.Request.URL.Query().Get("code"))
	if input == "" {
		return p.render(e, http.StatusOK, "lacak.html", trackLookup{})
	}
	code, problem := normalizeCode(input)
	if problem != "" {
		return p.render(e, http.StatusBadRequest, "lacak.html", trackLookup{Code: input, Error: problem})
	}
	return e.Redirect(http.StatusSeeOther, "/lacak/"+url.PathEscape(code))
}

func (p *renderer) trackView(e *core.RequestEvent) error {
	input := e.Request.PathValue("code")
	code, problem := normalizeCode(input)
	if problem != "" {
		return p.render(e, http.StatusBadRequest, "lacak.html", trackLookup{Code: input, Error: problem})
	}
	if code != input { // one canonical URL per report
		return e.Redirect(http.StatusMovedPermanently, "/lacak/"+url.PathEscape(code))
	}
	rec, err := p.app.FindFirstRecordByFilter(model.Complaints, "tracking_code = {:code}", dbx.Params{"code": code})
	if err != nil {
		return p.render(e, http.StatusNotFound, "notfound.html", notFoundPage{
			Title: "track.notfound.title", Body: "track.notfound.body",
			Links: []link{{"/lacak", "nav.track"}, {"/lapor", "start.report"}},
		})
	}
	v := p.publicView(Lang(e), rec)
	v.Sent = e.Request.URL.Query().Get("sent") == "1"
	return p.render(e, http.StatusOK, "lacak_detail.html", v)
}

// publicView is what anybody holding the code may see: never the
// reporter's identity, and no title for a confidential report.
func (p *renderer) publicView(lang string, rec *core.Record) trackPage {
	tz := p.office().TimeZone
	status := rec.GetString("status")
	v := trackPage{
		Code:         rec.GetString("tracking_code"),
		Status:       status,
		StatusLabel:  StatusLabel(lang, status),
		Next:         T(lang, "next."+status),
		Type:         T(lang, "type."+rec.GetString("type")),
		Received:     FormatTime(lang, rec.GetDateTime("created").Time(), tz),
		Hub:          rec.GetString("hub_tracking_id"),
		Confidential: rec.GetString("privacy") == model.PrivacyConfidential,
		CanReply:     status == model.StatusTertunda || status == model.StatusProses,
		CanRate:      status == model.StatusSelesai && rec.GetInt("rating") == 0,
	}
	if !v.Confidential {
		v.Title = rec.GetString("title")
	}
	if status != model.StatusSelesai && status != model.StatusDiarsipkan && status != model.StatusTertunda {
		v.Due = FormatTime(lang, rec.GetDateTime("due_at").Time(), tz)
	}
	if c, err := p.app.FindRecordById(model.Categories, rec.GetString("category")); err == nil {
		v.Category = c.GetString("name")
		if lang == "en" && c.GetString("name_en") != "" {
			v.Category = c.GetString("name_en")
		}
	}
	events, err := p.app.FindRecordsByFilter(model.ComplaintEvents, "complaint = {:id} && public = true",
		"seq", 200, 0, dbx.Params{"id": rec.Id})
	if err != nil {
		p.app.Logger().Error("ui: timeline failed", "error", err.Error())
	}
	for _, ev := range events {
		at, _ := time.Parse(time.RFC3339Nano, ev.GetString("at"))
		item := timelineItem{At: FormatTime(lang, at, tz), What: T(lang, "event."+ev.GetString("kind"))}
		if to := ev.GetString("to_status"); to != "" {
			item.Status = StatusLabel(lang, to)
		}
		if !v.Confidential {
			item.Note = ev.GetString("note")
		}
		v.Timeline = append(v.Timeline, item)
	}
	return v
}
