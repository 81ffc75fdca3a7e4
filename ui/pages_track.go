package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/intake"
)

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
	Hub          string // the parent hub's id for the report
	Lapor        string // SP4N-LAPOR!'s tracking id
	HandledBy    string // the office handling it now, when not the office of intake
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
	return FormatDate(lang, t, tz) + inZone(t, tz).Format(" 15:04 ") + vocab.Zone(tz)
}

// FormatDate writes the day of t in the office's zone: "2 Jan 2026".
func FormatDate(lang string, t time.Time, tz string) string {
	if t.IsZero() {
		return ""
	}
	t = inZone(t, tz)
	month := t.Format("Jan")
	if lang != "en" {
		month = monthsID[t.Month()-1]
	}
	return t.Format("2 ") + month + t.Format(" 2006")
}

func inZone(t time.Time, tz string) time.Time {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc)
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
	pv, err := intake.Track(p.app, code, e.RealIP())
	if res, limited := p.trackLimited(e, err); limited {
		return res
	}
	if err != nil || pv == nil {
		if err != nil {
			p.app.Logger().Error("ui: track failed", "error", err.Error())
		}
		return p.trackNotFound(e)
	}
	v := p.publicView(Lang(e), pv)
	v.Sent = e.Request.URL.Query().Get("sent") == "1"
	return p.render(e, http.StatusOK, "lacak_detail.html", v)
}

func (p *renderer) trackNotFound(e *core.RequestEvent) error {
	return p.render(e, http.StatusNotFound, "notfound.html", notFoundPage{
		Title: "track.notfound.title", Body: "track.notfound.body",
		Links: []link{{"/lacak", "nav.track"}, {"/lapor", "start.report"}},
	})
}

// publicView puts intake's public view of a complaint (never the
// reporter's identity; no title or notes for a confidential report) into
// the page's language and the office's time zone.
func (p *renderer) publicView(lang string, pv *intake.PublicView) trackPage {
	tz := p.office().TimeZone
	status := pv.Status
	v := trackPage{
		Code:         pv.TrackingCode,
		Status:       status,
		StatusLabel:  vocab.Status(lang, status),
		Next:         vocab.T(lang, "next."+status),
		Type:         vocab.T(lang, "type."+pv.Type),
		Category:     pv.Category.Name,
		Title:        pv.Title,
		Received:     FormatTime(lang, pv.Created, tz),
		Hub:          pv.HubTrackingID,
		Lapor:        pv.LaporTrackingID,
		HandledBy:    handledBy(pv),
		Confidential: pv.Confidential,
		CanReply:     status == model.StatusTertunda || status == model.StatusProses,
		CanRate:      status == model.StatusSelesai && !pv.Rated,
	}
	if status == model.StatusBukanWewenang && !p.linked() {
		// Nobody above will receive it: the staff's public note (required
		// for this move) tells the reporter where to go instead.
		v.Next = vocab.T(lang, "next.bw.unlinked")
	}
	if lang == "en" && pv.Category.NameEN != "" {
		v.Category = pv.Category.NameEN
	}
	if pv.DueAt != nil {
		v.Due = FormatTime(lang, *pv.DueAt, tz)
	}
	for _, ev := range pv.Timeline {
		item := timelineItem{At: FormatTime(lang, ev.At, tz), What: vocab.T(lang, "event."+ev.Kind), Note: ev.Note}
		if ev.Status != "" {
			item.Status = vocab.Status(lang, ev.Status)
		}
		v.Timeline = append(v.Timeline, item)
	}
	return v
}

func handledBy(pv *intake.PublicView) string {
	if pv.HandledBy == nil {
		return ""
	}
	return pv.HandledBy.Name
}
