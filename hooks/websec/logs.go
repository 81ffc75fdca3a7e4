package websec

import (
	"net/url"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// PocketBase's request log records the URL (with its query string) and
// the Referer of every failed request, and of every request when the
// minimum log level is DEBUG. Query strings can carry what must never be
// logged: a phone number searched for at the counter or in the staff API
// (q=), a kiosk token (/kiosk/setup?token=), a receipt token, an Open311
// client's key and a reporter's details (Open311 clients may send a
// report's fields in the query string), a collection filter.
//
// redactLoggedURL runs inside PocketBase's activity logger: after the
// handler is done, it replaces the value of every query parameter not in
// loggableParams with "REDACTED" in the URL and the Referer the logger is
// about to record. The handler itself saw the real values.

// RedactedValue replaces a query value in the request log.
const RedactedValue = "REDACTED"

// loggableParams are query parameters whose values are never personal
// data or secrets: paging, language, formats and the filters staff use.
var loggableParams = map[string]bool{
	"lang": true, "page": true, "perPage": true, "skipTotal": true, "sort": true, "fields": true, "expand": true,
	"format": true, "size": true, "queue": true, "status": true, "type": true, "unit": true, "category": true,
	"from": true, "to": true, "month": true, "sent": true, "ok": true, "cursor": true,
	"service_code": true, "start_date": true, "end_date": true, "page_size": true, "jurisdiction_id": true,
}

// RedactQuery returns rawQuery with the values of every parameter not in
// loggableParams replaced by RedactedValue (an unparseable query is
// replaced whole).
func RedactQuery(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	v, err := url.ParseQuery(rawQuery)
	if err != nil {
		return RedactedValue
	}
	changed := false
	for k, vals := range v {
		if loggableParams[k] {
			continue
		}
		for i := range vals {
			vals[i] = RedactedValue
		}
		changed = true
	}
	if !changed {
		return rawQuery
	}
	return v.Encode()
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return RedactedValue
	}
	if u.RawQuery != "" {
		u.RawQuery = RedactQuery(u.RawQuery)
	}
	u.Fragment = ""
	return u.String()
}

func redactLoggedURL() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "simpulRedactLoggedURL",
		Priority: apis.DefaultActivityLoggerMiddlewarePriority + 2, // just inside the logger
		Func: func(e *core.RequestEvent) error {
			err := e.Next()
			if q := e.Request.URL.RawQuery; q != "" {
				if r := RedactQuery(q); r != q {
					u := *e.Request.URL
					u.RawQuery = r
					e.Request.URL = &u
				}
			}
			if ref := e.Request.Header.Get("Referer"); ref != "" {
				e.Request.Header.Set("Referer", redactURL(ref))
			}
			return err
		},
	}
}
