package cases

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"simpul/hooks/domain/lifecycle"
	"simpul/hooks/domain/model"
	"simpul/hooks/domain/trackcode"
	"simpul/hooks/domain/workdays"
	"simpul/hooks/events"
	"simpul/hooks/platform/config"
	"simpul/hooks/search"
	"simpul/hooks/sla"
)

// SeedOptions shape "simpul demo seed".
type SeedOptions struct {
	Count int       // complaints to generate
	Batch int       // complaints per transaction (default 2000)
	Now   time.Time // the "today" of the data; zero: now
	Seed  uint64    // random seed; 0: fixed default, so runs are repeatable
	// Progress, when set, is called after each batch with the total so far.
	Progress func(done int)
}

func seedCommand(app core.App, cfg config.Config) *cobra.Command {
	var opts SeedOptions
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Generate realistic demo complaints (Indonesian names, places, categories, statuses and timelines)",
		Long: "Generates --count complaints spread over the last year with a LAPOR!-like mix of statuses, " +
			"their SLA dates and hash-chained timelines, written in batches straight to SQLite. " +
			"Demo data is never queued for sync. Meant for demonstrations and benchmarks, not for a live office.",
		SilenceUsage: true,
		RunE: demoRun(app, "demo", "complaints", 50000, &opts.Count, func(progress func(int)) (int, error) {
			opts.Progress = progress
			return Seed(app, opts)
		}, func(n int) string { return fmt.Sprintf(`"complaints":%d`, n) }),
	}
	cmd.Flags().IntVar(&opts.Count, "count", 1000, "how many complaints to generate")
	cmd.Flags().IntVar(&opts.Batch, "batch", 2000, "complaints per transaction")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 0, "random seed (0: the default, repeatable)")
	return cmd
}

// Demo vocabulary.
var (
	firstNames = []string{"Siti", "Budi", "Agus", "Dewi", "Rina", "Wayan", "Made", "Ketut", "Nyoman", "Ahmad", "Muhammad",
		"Nur", "Sri", "Eko", "Yusuf", "Fitri", "Rahmat", "Hendra", "Putri", "Andi", "Yohanes", "Maria", "Fransiskus",
		"Dian", "Ratna", "Bambang", "Joko", "Slamet", "Asep", "Ujang", "Teuku", "Cut", "Daeng", "Ani", "Lestari", "Indah"}
	lastNames = []string{"Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat", "Nugroho", "Setiawan", "Kurniawan",
		"Rahmawati", "Siregar", "Nasution", "Harahap", "Simanjuntak", "Pratama", "Wulandari", "Sudarta", "Suryani",
		"Manurung", "Tanjung", "Sihombing", "Purba", "Lubis", "Hasibuan", "Wahyudi", "Susanti", "Kusuma", "Mahendra"}
	places = []string{"Kel. Sukamaju", "Desa Tanjung Sari", "Kel. Kebon Jeruk", "Desa Sidomulyo", "Kel. Pasar Baru",
		"Desa Sukadamai", "Kel. Karang Anyar", "Desa Mekarsari", "Kel. Sumber Rejo", "Desa Bojong Gede", "Kel. Air Tawar",
		"Desa Banjarsari", "Kel. Talang Jambe", "Desa Ujung Pandang", "Kel. Tegal Sari", "Desa Cibodas"}
	streets = []string{"Jl. Merdeka", "Jl. Sudirman", "Jl. Diponegoro", "Jl. Ahmad Yani", "Jl. Gajah Mada",
		"Jl. Pahlawan", "Jl. Veteran", "Jl. Kartini", "Jl. Imam Bonjol", "Jl. Hasanuddin", "Gg. Masjid", "Jl. Pasar"}
	topics = map[string][]string{
		"KES":  {"Antrean puskesmas terlalu lama", "Obat di apotek puskesmas kosong", "Petugas posyandu tidak datang", "Kartu BPJS ditolak di klinik"},
		"ADM":  {"KTP elektronik belum jadi", "Pengurusan akta kelahiran berbelit", "Kartu keluarga salah cetak", "Blanko KTP habis"},
		"PDK":  {"Pungutan sekolah tanpa dasar", "Atap ruang kelas bocor", "KIP belum cair", "Zonasi penerimaan murid tidak jelas"},
		"INF":  {"Jalan berlubang membahayakan", "Lampu jalan mati", "Saluran air tersumbat", "Jembatan kayu rapuh", "Air PDAM tidak mengalir"},
		"LING": {"Sampah menumpuk di pinggir jalan", "Bau limbah pabrik", "Pohon tumbang belum dibersihkan"},
		"SOS":  {"Bansos tidak tepat sasaran", "Nama hilang dari DTKS", "Bantuan lansia terlambat"},
		"IZIN": {"Izin usaha tidak ada kabar", "Bangunan tanpa PBG"},
		"TK":   {"THR tidak dibayar", "Upah di bawah UMK"},
		"HUB":  {"Angkot ngetem sembarangan", "Parkir liar di trotoar"},
	}
	bodies = []string{
		"Sudah berlangsung sejak %d minggu dan belum ada tindakan. Mohon segera ditindaklanjuti.",
		"Kejadian berulang setiap pagi. Warga sekitar sudah beberapa kali menyampaikan ke RT namun belum ada hasil.",
		"Saya mengalami sendiri pada hari Senin. Mohon petugas meninjau lokasi dan memberi kepastian waktu penyelesaian.",
		"Kondisi ini membahayakan anak-anak yang lewat. Sudah %d kali terjadi kecelakaan kecil.",
	}
	followups = []string{
		"Petugas telah meninjau lokasi dan perbaikan dijadwalkan minggu ini.",
		"Laporan telah diteruskan ke bidang teknis; perbaikan selesai dilaksanakan.",
		"Sudah dikoordinasikan dengan pihak kelurahan. Mohon konfirmasi bila masih terjadi.",
		"Stok telah dipenuhi kembali per hari ini. Terima kasih atas laporannya.",
	}
	demoUnits = [][2]string{{"DINKES", "Dinas Kesehatan"}, {"DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil"},
		{"PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"}, {"DINSOS", "Dinas Sosial"}, {"DISDIK", "Dinas Pendidikan"},
		{"DLH", "Dinas Lingkungan Hidup"}}
)

// Seed generates opts.Count complaints with their timelines and returns
// how many it wrote. Rows go in through prepared INSERTs, opts.Batch per
// transaction; every timeline is a valid hash chain ("simpul audit verify"
// passes), SLA dates come from the office calendar, and nothing is queued
// in the sync outbox.
func Seed(app core.App, opts SeedOptions) (int, error) {
	if opts.Count < 0 || opts.Count > 10_000_000 {
		return 0, errors.New("cases: --count must be between 0 and 10,000,000")
	}
	if opts.Batch <= 0 {
		opts.Batch = 2000
	}
	rng, cal, policy, err := demoStart(app, &opts.Now, &opts.Seed, 20261122)
	if err != nil {
		return 0, err
	}
	units, err := ensureDemoUnits(app)
	if err != nil {
		return 0, err
	}
	var cats []demoCat
	{
		var rows []struct {
			ID     string `db:"id"`
			Code   string `db:"code"`
			Parent string `db:"parent"`
		}
		if err := app.DB().Select("c.id", "COALESCE(p.code, c.code) AS code", "c.parent").
			From(model.Categories+" c").LeftJoin(model.Categories+" p", dbx.NewExp("p.id = c.parent")).
			Where(dbx.NewExp("c.active = true")).All(&rows); err != nil {
			return 0, fmt.Errorf("cases: categories: %w", err)
		}
		for _, r := range rows {
			cats = append(cats, demoCat{r.ID, r.Code})
		}
		if len(cats) == 0 {
			return 0, errors.New("cases: no categories to seed with")
		}
	}
	origin := officeCodeOf(app)
	complaintsCol, err := app.FindCachedCollectionByNameOrId(model.Complaints)
	if err != nil {
		return 0, err
	}
	eventsCol, err := app.FindCachedCollectionByNameOrId(model.ComplaintEvents)
	if err != nil {
		return 0, err
	}
	complaintCols := []string{"id", "tracking_code", "type", "title", "body", "location", "category", "unit", "privacy",
		"reporter_name", "reporter_phone", "reporter_email", "reporter_gender", "status", "channel", "due_at", "verify_due_at",
		"followup_due_at", "next_followup_due_at", "autoclose_at", "completion_due_at", "paused_at", "paused_remaining",
		"postpone_expires_at", "verified_at", "disposed_at",
		"first_followup_at", "last_followup_at", "closed_at", "rating", "reason", "version", "office", "origin_office",
		"created", "updated"}
	eventCols := []string{"id", "complaint", "seq", "uid", "kind", "actor_type", "actor_name", "from_status", "to_status",
		"note", "reason", "unit", "public", "data", "origin", "at", "prev_hash", "hash", "created"}
	insertSQL := func(table string, cols []string) string {
		ph := make([]string, len(cols))
		for i, c := range cols {
			ph[i] = "{:" + c + "}"
		}
		return "INSERT INTO " + table + " (" + strings.Join(cols, ",") + ") VALUES (" + strings.Join(ph, ",") + ")"
	}
	bind := func(r *core.Record, cols []string) dbx.Params {
		p := make(dbx.Params, len(cols))
		for _, c := range cols {
			switch v := r.Get(c).(type) {
			case bool:
				p[c] = v
			case int, float64:
				p[c] = v
			default:
				p[c] = r.GetString(c)
			}
		}
		if r.GetString("data") == "" && r.Collection().Name == model.ComplaintEvents {
			p["data"] = nil
		}
		return p
	}

	return inBatches(app, opts.Count, opts.Batch, opts.Progress, func(tx core.App, n int) error {
		cq := tx.DB().NewQuery(insertSQL(model.Complaints, complaintCols)).Prepare()
		defer cq.Close()
		eq := tx.DB().NewQuery(insertSQL(model.ComplaintEvents, eventCols)).Prepare()
		defer eq.Close()
		for range n {
			c, evs := demoComplaint(rng, cal, policy, complaintsCol, eventsCol, cats[rng.IntN(len(cats))],
				units, origin, opts.Now)
			if _, err := cq.Bind(bind(c, complaintCols)).Execute(); err != nil {
				return fmt.Errorf("cases: insert complaint: %w", err)
			}
			for _, ev := range evs {
				if _, err := eq.Bind(bind(ev, eventCols)).Execute(); err != nil {
					return fmt.Errorf("cases: insert event: %w", err)
				}
			}
		}
		// The batch is searchable once stored, as after any bulk load.
		_, err := search.CatchUp(tx)
		return err
	})
}

func ensureDemoUnits(app core.App) ([]*core.Record, error) {
	col, err := app.FindCollectionByNameOrId(model.Units)
	if err != nil {
		return nil, err
	}
	var out []*core.Record
	for _, u := range demoUnits {
		r, err := app.FindFirstRecordByData(model.Units, "code", u[0])
		if err != nil {
			r = core.NewRecord(col)
			r.Set("code", u[0])
			r.Set("name", u[1])
			r.Set("active", true)
			if err := app.Save(r); err != nil {
				return nil, fmt.Errorf("cases: demo unit %s: %w", u[0], err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

type demoCat struct{ id, group string }

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// demoStatus draws a final status with a LAPOR!-like mix for a complaint
// received ageDays ago.
func demoStatus(rng *rand.Rand, ageDays int) string {
	x := rng.IntN(100)
	switch {
	case ageDays < 3:
		if x < 70 {
			return model.StatusBaru
		}
		if x < 85 {
			return model.StatusTerdisposisi
		}
		return model.StatusTertunda
	case ageDays < 30:
		switch {
		case x < 8:
			return model.StatusBaru
		case x < 14:
			return model.StatusTertunda
		case x < 20:
			return model.StatusDiarsipkan
		case x < 23:
			return model.StatusBukanWewenang
		case x < 40:
			return model.StatusTerdisposisi
		case x < 65:
			return model.StatusProses
		}
		return model.StatusSelesai
	}
	switch {
	case x < 7:
		return model.StatusDiarsipkan
	case x < 10:
		return model.StatusBukanWewenang
	case x < 12:
		return model.StatusTertunda
	case x < 15:
		return model.StatusProses
	}
	return model.StatusSelesai
}

// demoComplaint builds one complaint and its timeline in memory, walking
// the lifecycle with the deadline rules Transition uses.
func demoComplaint(rng *rand.Rand, cal *workdays.Calendar, p sla.Policy, ccol, ecol *core.Collection, cat demoCat,
	units []*core.Record, origin string, now time.Time) (*core.Record, []*core.Record) {
	// Recent days are busier: age = 365·u² days.
	u := rng.Float64()
	age := int(365 * u * u)
	day := now.AddDate(0, 0, -age).In(cal.Location())
	created := time.Date(day.Year(), day.Month(), day.Day(), 7+rng.IntN(10), rng.IntN(60), rng.IntN(60), 0, cal.Location())
	if created.After(now) {
		created = now.Add(-time.Duration(rng.IntN(3600)) * time.Second)
	}
	c := core.NewRecord(ccol)
	c.Id = core.GenerateDefaultRandomId()
	c.Set("tracking_code", trackcode.New())
	c.Set("type", pick(rng, []string{model.TypePengaduan, model.TypePengaduan, model.TypePengaduan, model.TypeAspirasi, model.TypePermintaanInformasi}))
	titles := topics[cat.group]
	if len(titles) == 0 {
		titles = []string{"Pelayanan kurang memuaskan", "Informasi layanan tidak jelas", "Petugas tidak ramah"}
	}
	place := pick(rng, places)
	c.Set("title", pick(rng, titles)+" di "+place)
	body := pick(rng, bodies)
	if strings.Contains(body, "%d") {
		body = fmt.Sprintf(body, 1+rng.IntN(6))
	}
	c.Set("body", body)
	c.Set("location", fmt.Sprintf("%s No. %d, %s", pick(rng, streets), 1+rng.IntN(200), place))
	c.Set("category", cat.id)
	privacy := model.PrivacyPublic
	switch x := rng.IntN(100); {
	case x < 15:
		privacy = model.PrivacyAnonymous
	case x < 25:
		privacy = model.PrivacyConfidential
	}
	c.Set("privacy", privacy)
	if privacy != model.PrivacyAnonymous {
		first, last := pick(rng, firstNames), pick(rng, lastNames)
		c.Set("reporter_name", first+" "+last)
		if rng.IntN(100) < 80 {
			c.Set("reporter_phone", fmt.Sprintf("+628%d%08d", 11+rng.IntN(9), rng.IntN(100000000)))
		}
		if rng.IntN(100) < 30 {
			c.Set("reporter_email", strings.ToLower(first+"."+last)+fmt.Sprintf("%d@contoh.id", rng.IntN(1000)))
		}
		c.Set("reporter_gender", pick(rng, []string{"perempuan", "laki_laki", ""}))
	}
	c.Set("channel", pick(rng, []string{model.ChannelWeb, model.ChannelWeb, model.ChannelQR, model.ChannelKiosk, model.ChannelCounter}))
	c.Set("office", origin) // taken in and handled here
	c.Set("origin_office", origin)
	c.SetRaw("created", dtString(created)) // an autodate field: Set would be ignored
	c.Set("status", model.StatusBaru)
	setTime(c, "verify_due_at", cal.AddWorkingDays(created, p.VerifyDays))
	if p.CompletionFrom == sla.CompletionFromReceived {
		setTime(c, "completion_due_at", cal.AddCalendarDays(created, p.CompletionCalendarDays))
	}
	setDue(c, model.StatusBaru)

	var evs []*core.Record
	prev := ""
	add := func(kind, actorType, actorName, from, to, note, reason, unitID string, public bool, data map[string]any, at time.Time) {
		r := core.NewRecord(ecol)
		r.Id = core.GenerateDefaultRandomId()
		r.Set("complaint", c.Id)
		r.Set("seq", len(evs)+1)
		r.Set("uid", events.NewUID(origin))
		r.Set("kind", kind)
		r.Set("actor_type", actorType)
		r.Set("actor_name", actorName)
		r.Set("from_status", from)
		r.Set("to_status", to)
		r.Set("note", note)
		r.Set("reason", reason)
		r.Set("unit", unitID)
		r.Set("public", public)
		if data != nil {
			r.Set("data", data)
		}
		r.Set("origin", origin)
		r.Set("at", at.UTC().Format(time.RFC3339Nano))
		r.Set("prev_hash", prev)
		h, _ := events.Hash(r)
		r.Set("hash", h)
		r.SetRaw("created", dtString(at))
		prev = h
		evs = append(evs, r)
	}
	add(model.EventCreated, "system", "", "", model.StatusBaru, "", "", "", true, nil, created)

	final := demoStatus(rng, age)
	t := created
	step := func() time.Time {
		t = t.Add(time.Duration(1+rng.IntN(40)) * time.Hour)
		if t.After(now) {
			t = now
		}
		return t
	}
	moveTo := func(to, actor, note, reason string, data map[string]any, at time.Time) {
		from := c.GetString("status")
		c.Set("status", to)
		if reason != "" {
			c.Set("reason", reason)
		}
		setDeadlines(cal, p, c, from, to, false, at)
		unitID := ""
		if to == model.StatusTerdisposisi {
			unitID = c.GetString("unit")
		}
		actorType := "staff"
		if actor == "Sistem" {
			actorType = "system"
		}
		add(model.EventTransition, actorType, actor, from, to, note, reason, unitID, true, data, at)
	}
	verifier := "Petugas Verifikasi"
	switch final {
	case model.StatusBaru:
	case model.StatusTertunda:
		moveTo(model.StatusTertunda, verifier, "Mohon lengkapi lokasi persis dan foto kejadian.", "", nil, step())
	case model.StatusDiarsipkan:
		moveTo(model.StatusDiarsipkan, verifier, "", pick(rng, []string{lifecycle.ReasonSpam, lifecycle.ReasonOutOfScope}), nil, step())
	case model.StatusBukanWewenang:
		moveTo(model.StatusBukanWewenang, verifier, "Kewenangan instansi vertikal; diteruskan ke tingkat kabupaten.", "", nil, step())
	default:
		unit := pick(rng, units)
		c.Set("unit", unit.Id)
		moveTo(model.StatusTerdisposisi, verifier, "", "", map[string]any{"unit": unit.GetString("code")}, step())
		if final == model.StatusTerdisposisi {
			break
		}
		handler := "Petugas " + unit.GetString("code")
		at := step()
		add(model.EventFollowUp, "staff", handler, "", "", pick(rng, followups), "", unit.Id, true, nil, at)
		moveTo(model.StatusProses, handler, "", "", nil, at)
		if final == model.StatusProses {
			break
		}
		closeAt := c.GetDateTime("autoclose_at").Time()
		if closeAt.Before(now) && rng.IntN(100) < 60 {
			moveTo(model.StatusSelesai, "Sistem", AutoCloseNote, "", nil, closeAt)
		} else {
			moveTo(model.StatusSelesai, handler, "Tindak lanjut selesai.", "", nil, step())
		}
		if rng.IntN(100) < 40 {
			rating := 3 + rng.IntN(3)
			c.Set("rating", rating)
			add(model.EventRating, "reporter", "Pelapor", "", "", "", "", "", privacy == model.PrivacyPublic,
				map[string]any{"rating": rating}, step())
		}
	}
	c.Set("version", len(evs))
	c.SetRaw("updated", dtString(t))
	return c, evs
}
