package intake

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig of JPEG attachments
	_ "image/png"  // and PNG
	"io"
	"net/http"
	"strconv"

	_ "golang.org/x/image/webp" // and WebP

	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/security"
)

// Attachment limits. The schema allows 5 files of 10 MB; the whole request
// stays within PocketBase's default body limit (32 MB). An image may not
// claim more pixels than a 50-megapixel camera makes, so a small file
// cannot expand into gigabytes when staff open it (a "pixel flood").
const (
	MaxAttachments    = 5
	MaxAttachmentSize = 10 << 20
	MaxRequestSize    = 32 << 20
	maxPixels         = 50_000_000
	maxSide           = 20_000
)

// attachment is a checked file with the name Simpul gives it.
type attachment struct {
	file *filesystem.File
	mime string
}

// sniff names a file's type by its first bytes, never by its name or the
// Content-Type the client claimed.
func sniff(head []byte) (mime, ext string) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg", "jpg"
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", "png"
	case len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")):
		return "image/webp", "webp"
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf", "pdf"
	}
	return "", ""
}

// checkAttachments checks count, size and content of the uploaded files and
// renames them (a client's file name may carry path tricks or personal
// data; it is never used). Nothing is stored here.
func checkAttachments(files []*filesystem.File) ([]attachment, *Error) {
	if len(files) == 0 {
		return nil, nil
	}
	refuse := func(status int, code, id, en string) *Error {
		return &Error{Status: status, Message: id + " — " + en,
			Fields: map[string]FieldError{"attachments": {Code: code, Message: id + " — " + en}}}
	}
	if len(files) > MaxAttachments {
		return nil, refuse(http.StatusBadRequest, "too_many",
			"Paling banyak "+strconv.Itoa(MaxAttachments)+" lampiran.", "At most "+strconv.Itoa(MaxAttachments)+" attachments.")
	}
	out := make([]attachment, 0, len(files))
	for i, f := range files {
		if f.Size > MaxAttachmentSize {
			return nil, refuse(http.StatusRequestEntityTooLarge, "too_large",
				"Lampiran lebih dari 10 MB.", "An attachment is larger than 10 MB.")
		}
		mime, ext, cfg, err := inspect(f)
		switch {
		case err != nil:
			return nil, refuse(http.StatusBadRequest, "unreadable", "Lampiran tidak dapat dibaca.", "An attachment could not be read.")
		case mime == "":
			return nil, refuse(http.StatusUnsupportedMediaType, "unsupported_type",
				"Lampiran harus berupa foto (JPEG, PNG, WebP) atau PDF.", "Attachments must be photos (JPEG, PNG, WebP) or PDF.")
		case cfg != nil && (cfg.Width <= 0 || cfg.Height <= 0):
			return nil, refuse(http.StatusUnsupportedMediaType, "broken_image", "Foto rusak.", "A photo is damaged.")
		case cfg != nil && (cfg.Width > maxSide || cfg.Height > maxSide || cfg.Width*cfg.Height > maxPixels):
			return nil, refuse(http.StatusRequestEntityTooLarge, "too_many_pixels",
				"Resolusi foto terlalu besar.", "A photo's resolution is too large.")
		}
		name := fmt.Sprintf("lampiran_%d_%s.%s", i+1, security.RandomStringWithAlphabet(10, "abcdefghijklmnopqrstuvwxyz0123456789"), ext)
		f.Name, f.OriginalName = name, name
		out = append(out, attachment{file: f, mime: mime})
	}
	return out, nil
}

// inspect reads a file's head for its type and, for images, its declared
// dimensions (the header only; nothing is decoded).
func inspect(f *filesystem.File) (mime, ext string, cfg *image.Config, err error) {
	r, err := f.Reader.Open()
	if err != nil {
		return "", "", nil, err
	}
	defer r.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", "", nil, err
	}
	mime, ext = sniff(head[:n])
	if mime == "" || mime == "application/pdf" {
		return mime, ext, nil, nil
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return "", "", nil, err
	}
	c, _, err := image.DecodeConfig(io.LimitReader(r, 1<<20))
	if err != nil {
		return mime, ext, &image.Config{}, nil // a broken header: refused as broken_image
	}
	return mime, ext, &c, nil
}
