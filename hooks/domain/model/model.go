// Package model names Simpul's collections, fields and enumerations in one
// place, so that migrations, hooks, pages and sync agree on every spelling.
package model

// Collection names.
const (
	Offices         = "offices"
	Units           = "units"
	Categories      = "categories"
	QRPoints        = "qr_points"
	Kiosks          = "kiosks"
	Staff           = "staff"
	Complaints      = "complaints"
	ComplaintEvents = "complaint_events"
	Holidays        = "holidays"
	SLAPolicies     = "sla_policies"
	SyncOutbox      = "sync_outbox"
	SyncInbox       = "sync_inbox"
	SyncCopies      = "sync_copies"
	SyncState       = "sync_state"
	Nodes           = "nodes"
	Open311Keys     = "open311_keys"
	// AccessLog audits readings that need a reason: a confidential
	// reporter's identity, counter lookups, a receipt PIN issued again.
	AccessLog = "access_log"
)

// Report types (klasifikasi).
const (
	TypePengaduan           = "pengaduan"
	TypeAspirasi            = "aspirasi"
	TypePermintaanInformasi = "permintaan_informasi"
)

// Types lists the report types in display order.
var Types = []string{TypePengaduan, TypeAspirasi, TypePermintaanInformasi}

// Privacy tiers chosen by the reporter (docs/architecture.md, "Domain").
const (
	PrivacyPublic       = "public"
	PrivacyAnonymous    = "anonymous"
	PrivacyConfidential = "confidential"
)

// Privacies lists the privacy tiers in display order.
var Privacies = []string{PrivacyPublic, PrivacyAnonymous, PrivacyConfidential}

// Statuses of the SP4N-LAPOR! lifecycle.
const (
	StatusBaru          = "baru"
	StatusTertunda      = "tertunda"
	StatusDiarsipkan    = "diarsipkan"
	StatusBukanWewenang = "bukan_wewenang"
	StatusTerdisposisi  = "terdisposisi"
	StatusProses        = "proses"
	StatusSelesai       = "selesai"
)

// Statuses lists every status in lifecycle order.
var Statuses = []string{StatusBaru, StatusTertunda, StatusDiarsipkan, StatusBukanWewenang,
	StatusTerdisposisi, StatusProses, StatusSelesai}

// Intake channels.
const (
	ChannelWeb      = "web"
	ChannelQR       = "qr"
	ChannelKiosk    = "kiosk"
	ChannelCounter  = "counter"
	ChannelOpen311  = "open311"
	ChannelSync     = "sync"
	ChannelImported = "import"
	// ChannelLapor: a report SP4N-LAPOR! disposed to this agency, pulled
	// from its data access (sync/lapor).
	ChannelLapor = "lapor"
)

// Channels lists every intake channel.
// Ways a report reaches the front desk other than in person, recorded by
// the clerk who types it in (docs/api.md).
const (
	ChannelLetter        = "letter"
	ChannelPhone         = "phone"
	ChannelSMS           = "sms"
	ChannelWhatsApp      = "whatsapp"
	ChannelSuggestionBox = "suggestion_box"
)

var Channels = []string{ChannelWeb, ChannelQR, ChannelKiosk, ChannelCounter, ChannelOpen311, ChannelSync, ChannelImported,
	ChannelLetter, ChannelPhone, ChannelSMS, ChannelWhatsApp, ChannelSuggestionBox, ChannelLapor}

// CounterChannels are the channels a clerk may record, the counter (a
// walk-in) first.
var CounterChannels = []string{ChannelCounter, ChannelLetter, ChannelPhone, ChannelSMS, ChannelWhatsApp, ChannelSuggestionBox}

// Staff roles.
const (
	RoleFrontdesk   = "frontdesk"
	RoleHandler     = "handler"
	RoleCoordinator = "coordinator"
	RoleAdmin       = "admin"
	// RoleSupervisor is the read-only oversight role (pembina, penanggung
	// jawab, Inspektorat): it reads the figures and the case timelines of
	// every office whose cases this office holds, without the reporter's
	// identity (hooks/domain/privacy), and never acts (lifecycle.Acts).
	RoleSupervisor = "supervisor"
)

// Roles lists the staff roles: those who act, from least to most
// privileged, then the read-only supervisor.
var Roles = []string{RoleFrontdesk, RoleHandler, RoleCoordinator, RoleAdmin, RoleSupervisor}

// Kinds of complaint_events rows.
const (
	EventCreated    = "created"
	EventTransition = "transition"
	EventFollowUp   = "followup"
	EventReply      = "reply"
	EventNote       = "note"
	EventEdit       = "edit"
	EventRating     = "rating"
	EventSync       = "sync"
)

// EventKinds lists every kind of timeline event.
var EventKinds = []string{EventCreated, EventTransition, EventFollowUp, EventReply, EventNote, EventEdit, EventRating, EventSync}

// Holiday types.
const (
	HolidayNasional    = "nasional"
	HolidayCutiBersama = "cuti_bersama"
	HolidayLokal       = "lokal"
)

// Office time zones (WIB, WITA, WIT; Pontianak is WIB).
var TimeZones = []string{"Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"}

// Outbox entry states.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
)
