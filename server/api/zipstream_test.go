package api

import (
	"archive/zip"
	"bufio"
	"bytes"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/storage"
)

// TestZipStream: the announced length is the archive's length, every entry
// reads back byte-identical through archive/zip (CRCs checked), whether its
// CRC was known (sent as is) or computed on the way (then recorded), and a
// file that changed size since the length was announced stops the stream
// with an error instead of a corrupt archive.
func TestZipStream(t *testing.T) {
	blobs := storage.Disk{Root: t.TempDir()}
	rng := rand.New(rand.NewPCG(3, 4))
	files := map[string][]byte{
		"clip.mov":           make([]byte, 3<<20+17),
		"empty.txt":          nil,
		"Ürün fotoğrafı.jpg": make([]byte, 1000),
		"a/b/small.bin":      make([]byte, 3),
	}
	var parts []zipPart
	when := time.Date(2026, 5, 4, 3, 2, 2, 0, time.UTC)
	for name, data := range files {
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		w, err := blobs.Create("originals/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		p := zipPart{name: name, key: "originals/" + name, when: when, size: int64(len(data))}
		if name == "clip.mov" || name == "empty.txt" {
			p.crc, p.hasCRC = crc32.ChecksumIEEE(data), true
		}
		parts = append(parts, p)
	}
	z := newZipStream(parts, blobs)
	saved := map[string]uint32{}
	z.saveCRC = func(key string, size int64, mod time.Time, crc uint32) { saved[key] = crc }
	var sent int64 = -1
	z.done = func(n int64) { sent = n }
	var out bytes.Buffer
	bw := bufio.NewWriter(&out)
	n, err := z.WriteTo(bw)
	bw.Flush()
	if err != nil {
		t.Fatal(err)
	}
	if n != z.size || int64(out.Len()) != z.size || sent != z.size {
		t.Fatalf("announced %d bytes, wrote %d (counted %d, done said %d)", z.size, out.Len(), n, sent)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(files) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(files))
	}
	for _, f := range zr.File {
		want, ok := files[f.Name]
		if !ok {
			t.Fatalf("unexpected entry %q", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc) // checks the CRC at EOF
		rc.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes (err %v), want %d", f.Name, len(got), err, len(want))
		}
		if !f.Modified.Equal(when) || f.Method != zip.Store {
			t.Errorf("%s: modified %v method %d", f.Name, f.Modified, f.Method)
		}
	}
	for _, name := range []string{"Ürün fotoğrafı.jpg", "a/b/small.bin"} {
		if saved["originals/"+name] != crc32.ChecksumIEEE(files[name]) {
			t.Errorf("%s: CRC not recorded after streaming (%v)", name, saved)
		}
	}
	if _, ok := saved["originals/clip.mov"]; ok {
		t.Error("a known CRC was computed again")
	}

	// A file that changed after the length was announced.
	z = newZipStream(parts, blobs)
	path, _ := blobs.LocalPath("originals/clip.mov")
	if err := os.Truncate(path, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := z.WriteTo(io.Discard); err == nil {
		t.Fatal("a shrunk file streamed without an error")
	}
}
