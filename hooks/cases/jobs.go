package cases

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/mail"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
	"github.com/pocketbase/pocketbase/tools/types"

	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/vocab"
	"simpul/hooks/platform/clock"
	"simpul/hooks/platform/config"
	"simpul/hooks/sla"
)

// How often the auto-close job looks, and when the digest goes out (office
// time).
const (
	autoCloseEvery = 15 * time.Minute
	digestHour     = 7
)

// bindJobs starts the auto-close and digest jobs with the server and stops
// them when the app terminates (after every command and in test cleanup,
// hence the nil guard).
func bindJobs(app core.App, cfg config.Config) {
	var (
		mu gosync.Mutex
		s  gocron.Scheduler
	)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		mu.Lock()
		defer mu.Unlock()
		if s != nil {
			return se.Next()
		}
		loc := time.UTC
		if cal, err := sla.CalendarFor(se.App); err == nil {
			loc = cal.Location()
		}
		sch, err := gocron.NewScheduler(gocron.WithLocation(loc))
		if err != nil {
			return fmt.Errorf("cases: scheduler: %w", err)
		}
		_, err1 := sch.NewJob(gocron.DurationJob(autoCloseEvery),
			gocron.NewTask(func(ctx context.Context) { runAutoClose(se.App) }),
			gocron.WithName("cases.autoclose"), gocron.WithSingletonMode(gocron.LimitModeReschedule))
		_, err2 := sch.NewJob(gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(digestHour, 0, 0))),
			gocron.NewTask(func(ctx context.Context) { runDigest(se.App) }),
			gocron.WithName("cases.digest"), gocron.WithSingletonMode(gocron.LimitModeReschedule))
		_, err3 := sch.NewJob(gocron.DurationJob(autoCloseEvery),
			gocron.NewTask(func(ctx context.Context) { runExpirePostponed(se.App) }),
			gocron.WithName("cases.postpone_expiry"), gocron.WithSingletonMode(gocron.LimitModeReschedule))
		if err := errors.Join(err1, err2, err3); err != nil {
			_ = sch.Shutdown()
			return fmt.Errorf("cases: jobs: %w", err)
		}
		sch.Start()
		s = sch
		se.App.Store().Set(jobsKey, sch)
		return se.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		mu.Lock()
		defer mu.Unlock()
		if s != nil {
			if err := s.Shutdown(); err != nil {
				e.App.Logger().Warn("cases: scheduler shutdown", "error", err.Error())
			}
			s = nil
			e.App.Store().Remove(jobsKey)
		}
		return e.Next()
	})
}

const jobsKey = "simpul.cases.jobs"

// Jobs names app's running jobs and when each runs next: none before the
// app serves or after it terminates.
func Jobs(app core.App) map[string]time.Time {
	out := map[string]time.Time{}
	s, _ := app.Store().Get(jobsKey).(gocron.Scheduler)
	if s == nil {
		return out
	}
	for _, j := range s.Jobs() {
		next, _ := j.NextRun()
		out[j.Name()] = next
	}
	return out
}

func runAutoClose(app core.App) {
	n, err := AutoClose(app, clock.Now(app))
	if err != nil {
		app.Logger().Error("cases: auto-close failed", "closed", n, "error", err.Error())
		return
	}
	if n > 0 {
		app.Logger().Info("cases: auto-closed complaints", "closed", n)
	}
}

func runExpirePostponed(app core.App) {
	n, err := ExpirePostponed(app, clock.Now(app))
	if err != nil {
		app.Logger().Error("cases: postpone expiry failed", "archived", n, "error", err.Error())
		return
	}
	if n > 0 {
		app.Logger().Info("cases: archived postponed complaints", "archived", n)
	}
}

func runDigest(app core.App) {
	if _, err := SendOverdueDigest(app, clock.Now(app)); err != nil {
		app.Logger().Error("cases: overdue digest failed", "error", err.Error())
	}
}

// AutoCloseNote is the public note on an automatic closure.
const AutoCloseNote = "Ditutup otomatis: tidak ada tanggapan pelapor dalam batas waktu setelah tindak lanjut terakhir."

// AutoClose closes every complaint in proses whose auto-close time (the
// SLA's working days after the last follow-up) has passed by now with no
// reply from the reporter since. Copies of cases another office handles
// (field office; autoclose_at travels with them) are left to that office,
// which acts on the case: two offices closing one case would make two
// closings. Each closure is its own transaction through Transition; it
// returns how many closed and the joined errors of those that failed.
func AutoClose(app core.App, now time.Time) (int, error) {
	nowDT, _ := types.ParseDateTime(now.UTC())
	var ids []string
	err := app.DB().Select("id").From(model.Complaints).
		Where(dbx.NewExp("status = {:s} AND autoclose_at != '' AND autoclose_at <= {:now} AND (office = '' OR office = {:local})",
			dbx.Params{"s": model.StatusProses, "now": nowDT.String(), "local": OfficeCode(app)})).
		OrderBy("autoclose_at").Limit(1000).Column(&ids)
	if err != nil {
		return 0, fmt.Errorf("cases: auto-close query: %w", err)
	}
	return systemSteps(app, ids, "auto-close", func(r *core.Record) (Request, bool) {
		// A reply after the last follow-up stops the clock (the reply
		// route clears autoclose_at; this guards a race with it).
		if reply, last := r.GetDateTime("last_reply_at"), r.GetDateTime("last_followup_at"); !reply.IsZero() && reply.After(last) {
			return Request{}, false
		}
		return Request{To: model.StatusSelesai, Note: AutoCloseNote, At: now}, true
	})
}

// systemSteps moves each complaint of ids as the system, each in its own
// transaction through Transition, with the request decide makes of the
// complaint read again inside it (false: nothing to do any more); the
// reporter hears of each step. It returns how many moved and the joined
// errors of those that failed, each named by what and the complaint's id.
func systemSteps(app core.App, ids []string, what string, decide func(r *core.Record) (Request, bool)) (int, error) {
	moved := 0
	var errs []error
	for _, id := range ids {
		var rec *core.Record
		err := app.RunInTransaction(func(tx core.App) error {
			r, err := tx.FindRecordById(model.Complaints, id)
			if err != nil {
				return err
			}
			rec = r
			req, ok := decide(r)
			if !ok {
				return errSkip
			}
			return Transition(tx, r, Actor{Role: lifecycle.RoleSystem, Name: "Sistem"}, req)
		})
		switch {
		case errors.Is(err, errSkip):
		case err != nil:
			errs = append(errs, fmt.Errorf("cases: %s %s: %w", what, id, err))
		default:
			moved++
			notifierFor(app).step(rec)
		}
	}
	return moved, errors.Join(errs...)
}

var errSkip = errors.New("cases: skip")

// PostponeExpiredNote is the public note on a report the job archives
// because the reporter did not complete it in time; %d is the policy's
// postpone_max_days.
const PostponeExpiredNote = "Diarsipkan otomatis: informasi yang diminta tidak dilengkapi pelapor dalam %d hari kerja. " +
	"Anda dapat mengirim laporan baru dengan informasi yang lengkap."

// ExpirePostponed archives every tertunda complaint of this office whose
// upper bound (postpone_expires_at: the policy's postpone_max_days after it
// was postponed) has passed by now, with reason "incomplete" and a public
// note, so the clock cannot be parked. Copies of cases another office
// handles (field office) are left to that office. Each
// archive is its own transaction through Transition; it returns how many
// were archived and the joined errors of those that failed.
func ExpirePostponed(app core.App, now time.Time) (int, error) {
	p, err := sla.PolicyFor(app)
	if err != nil {
		return 0, fmt.Errorf("cases: policy: %w", err)
	}
	nowDT, _ := types.ParseDateTime(now.UTC())
	var ids []string
	// "postpone_expires_at != ''" repeats the partial index's condition,
	// which lets idx_complaints_postpone_expiry serve.
	err = app.DB().Select("id").From(model.Complaints).
		Where(dbx.NewExp("postpone_expires_at != '' AND postpone_expires_at <= {:now} AND status = {:s} AND (office = '' OR office = {:local})",
			dbx.Params{"s": model.StatusTertunda, "now": nowDT.String(), "local": OfficeCode(app)})).
		OrderBy("postpone_expires_at").Limit(1000).Column(&ids)
	if err != nil {
		return 0, fmt.Errorf("cases: postpone expiry query: %w", err)
	}
	note := fmt.Sprintf(PostponeExpiredNote, p.PostponeMaxDays)
	return systemSteps(app, ids, "postpone expiry", func(r *core.Record) (Request, bool) {
		// The reporter answered in the meantime (resumed): nothing to do.
		if r.GetString("status") != model.StatusTertunda {
			return Request{}, false
		}
		return Request{To: model.StatusDiarsipkan, Reason: lifecycle.ReasonIncomplete, Note: note, At: now}, true
	})
}

// digestPerOffice bounds the cases the digest lists for one office (the
// count says how many there are).
const digestPerOffice = 100

// SendOverdueDigest e-mails every active coordinator, admin and supervisor
// the open cases past their deadline, per office: this office first, then
// every office whose cases it holds (on a hub, its child offices' and
// theirs), each case with its code, status, unit and deadline, never
// reporter data. Only open cases (baru, tertunda, terdisposisi, proses)
// are listed: a closed, archived or bukan_wewenang case is not, whatever
// deadline its row still carries. It goes through PocketBase's mailer when
// SMTP is configured and returns how many e-mails went out.
func SendOverdueDigest(app core.App, now time.Time) (int, error) {
	if !app.Settings().SMTP.Enabled {
		return 0, nil
	}
	text, total, err := overdueDigest(app, now)
	if err != nil || total == 0 {
		return 0, err
	}
	staff, err := app.FindRecordsByFilter(model.Staff,
		"active = true && (role = {:c} || role = {:a} || role = {:s})", "", 0, 0,
		dbx.Params{"c": model.RoleCoordinator, "a": model.RoleAdmin, "s": model.RoleSupervisor})
	if err != nil {
		return 0, fmt.Errorf("cases: digest recipients: %w", err)
	}
	s := app.Settings()
	sent := 0
	var errs []error
	for _, st := range staff {
		if st.Email() == "" {
			continue
		}
		msg := &mailer.Message{
			From:    mail.Address{Name: s.Meta.SenderName, Address: s.Meta.SenderAddress},
			To:      []mail.Address{{Address: st.Email(), Name: st.GetString("name")}},
			Subject: fmt.Sprintf("Simpul: %d laporan melewati batas waktu", total),
			Text:    text,
			HTML:    "<pre>" + html.EscapeString(text) + "</pre>",
		}
		if err := app.NewMailClient().Send(msg); err != nil {
			errs = append(errs, fmt.Errorf("cases: digest to staff %s: %w", st.Id, err))
			continue
		}
		sent++
	}
	return sent, errors.Join(errs...)
}

// overdueDigest writes the digest's text and counts the open overdue cases
// in it. The offices and their counts are the oversight view's
// (OfficeCounts), so the digest and /api/staff/oversight agree.
func overdueDigest(app core.App, now time.Time) (string, int, error) {
	offices, err := OfficeCounts(app, now)
	if err != nil {
		return "", 0, fmt.Errorf("cases: digest offices: %w", err)
	}
	loc := time.UTC
	if cal, err := sla.CalendarFor(app); err == nil {
		loc = cal.Location()
	}
	nowDT := dtString(now)
	list := app.DB().NewQuery("SELECT c.tracking_code, c.status, c.due_at, COALESCE(u.name, c.unit_name, '') AS unit_name" +
		" FROM " + model.Complaints + " c INDEXED BY " + idxOfficeDue +
		" LEFT JOIN " + model.Units + " u ON u.id = c.unit" +
		" WHERE c.office = {:o} AND c.due_at > '' AND c.due_at < {:now} AND c.status IN (" + openStatusList + ")" +
		" ORDER BY c.due_at, c.id LIMIT " + strconv.Itoa(digestPerOffice)).Prepare()
	defer list.Close()
	var body strings.Builder
	total := 0
	for _, oc := range offices {
		if oc.Overdue == 0 {
			continue
		}
		var rows []struct {
			Code   string `db:"tracking_code"`
			Status string `db:"status"`
			Due    string `db:"due_at"`
			Unit   string `db:"unit_name"`
		}
		if err := list.Bind(dbx.Params{"o": oc.Code, "now": nowDT}).All(&rows); err != nil {
			return "", 0, fmt.Errorf("cases: digest query: %w", err)
		}
		total += oc.Overdue
		fmt.Fprintf(&body, "\n%s (%s): %d\n", oc.Name, oc.Code, oc.Overdue)
		for _, r := range rows {
			due, _ := types.ParseDateTime(r.Due)
			fmt.Fprintf(&body, "- %s  %s  %s  batas %s\n", r.Code, vocab.T(vocab.ID, "notice.status."+r.Status), r.Unit,
				due.Time().In(loc).Format("02-01-2006"))
		}
		if more := oc.Overdue - len(rows); more > 0 {
			fmt.Fprintf(&body, "- … dan %d lainnya\n", more)
		}
	}
	if total == 0 {
		return "", 0, nil
	}
	return fmt.Sprintf("Laporan melewati batas waktu per %s: %d\n", now.In(loc).Format("02-01-2006 15:04"), total) + body.String(), total, nil
}
