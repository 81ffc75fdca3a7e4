package vocab

// Strings of the network on the staff desk: who handles a case, the
// oversight page (the cases other offices handle), routing to a child
// office.
var network = Table{
	"staff.handled_by":          {"Ditangani oleh", "Handled by"},
	"staff.copy.readonly":       {"Laporan ini ditangani oleh %s. Salinan di kantor ini hanya untuk dibaca; tindak lanjut dan perubahan dilakukan di sana.", "This report is handled by %s. The copy at this office is read-only; follow-ups and changes are made there."},
	"staff.copy.oversee":        {"Laporan ini ditangani oleh %s, kantor bawahan. Sebagai kantor induk Anda masih dapat mengalihkan atau mengambil alih; tindakan di sini mengesampingkan tindakan kantor tersebut.", "This report is handled by %s, a child office. As the parent office you may still re-route it or take it over; a move here overrules that office's."},
	"staff.supervisor.readonly": {"Peran pengawas hanya membaca: tidak ada tindakan pada laporan.", "The supervisor role reads only: no actions on reports."},
	"staff.err.elsewhere":       {"Laporan ini ditangani oleh kantor lain; perubahan dilakukan di sana.", "This report is handled by another office; changes are made there."},
	"staff.unit.here":           {"Unit kantor ini", "Units of this office"},
	"staff.unit.offices":        {"Kantor bawahan", "Child offices"},
	"oversight.nav":             {"Pengawasan: laporan di kantor lain", "Oversight: reports at other offices"},
	"oversight.title":           {"Pengawasan", "Oversight"},
	"oversight.intro":           {"Laporan terbuka yang sedang ditangani kantor lain. Halaman ini hanya untuk dibaca: setiap laporan ditindaklanjuti oleh kantor yang menanganinya.", "Open reports other offices are handling now. This page is read-only: each report is acted on by the office that handles it."},
	"oversight.forbidden":       {"Pengawasan hanya untuk koordinator, admin dan pengawas.", "Oversight is for coordinators, admins and supervisors."},
	"oversight.offices":         {"Per kantor", "By office"},
	"oversight.col.office":      {"Kantor", "Office"},
	"oversight.col.open":        {"Terbuka", "Open"},
	"oversight.col.verify":      {"Perlu verifikasi", "To verify"},
	"oversight.col.postponed":   {"Tertunda", "On hold"},
	"oversight.col.assigned":    {"Di unit", "With units"},
	"oversight.col.overdue":     {"Terlambat", "Overdue"},
	"oversight.this_office":     {"(kantor ini)", "(this office)"},
	"oversight.child":           {"kantor bawahan", "child office"},
	"oversight.all":             {"— semua kantor lain —", "— every other office —"},
	"oversight.queue.open":      {"Semua terbuka", "All open"},
	"oversight.queue.overdue":   {"Terlambat", "Overdue"},
	"oversight.cases":           {"Laporan", "Reports"},
	"oversight.empty":           {"Tidak ada laporan terbuka yang ditangani kantor lain.", "No open reports handled by other offices."},
	"oversight.none":            {"Belum ada kantor lain yang menangani laporan dari kantor ini.", "No other office handles reports of this office yet."},
}
