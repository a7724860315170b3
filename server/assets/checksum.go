package assets

import (
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/store"
)

// blobCRC holds the checksums of a blob as it was at one size and
// modification time; a blob that changed no longer matches its record.
// CRC is the CRC-32 (IEEE, as ZIP uses); XX the xxHash64 (Frame.io v2's
// checksums.xx_hash, lowercase hex), "" until computed.
type blobCRC struct {
	Size    int64  `json:"size"`
	ModNano int64  `json:"mod"`
	CRC     uint32 `json:"crc"`
	XX      string `json:"xx,omitempty"`
}

// Checksums is model.Checksums, the JSON document.
type Checksums = model.Checksums

// CachedCRC returns the recorded CRC-32 of blob key, if the record matches
// the blob's current size and time. ZIP "Download all" needs each entry's
// CRC before its bytes to send them straight from the page cache.
func (s *Service) CachedCRC(key string, size int64, mod time.Time) (uint32, bool) {
	var c blobCRC
	if err := s.Store.View(func(tx *store.Tx) error { return tx.Get(store.PrefixBlobCRC+key, &c) }); err != nil {
		return 0, false
	}
	if c.Size != size || c.ModNano != mod.UnixNano() {
		return 0, false
	}
	return c.CRC, true
}

// XXHash returns the recorded xxHash64 of blob key (lowercase hex) when
// it was computed at size. Originals never change in place, so the size
// tells a stale record without a stat.
func (s *Service) XXHash(key string, size int64) (string, bool) {
	var c blobCRC
	if err := s.Store.View(func(tx *store.Tx) error { return tx.Get(store.PrefixBlobCRC+key, &c) }); err != nil {
		return "", false
	}
	return c.XX, c.XX != "" && c.Size == size
}

// xxHashes fills the Checksums of the files among items whose xxHash is
// known (a listing shows them).
func xxHashes(tx *store.Tx, items []Asset) {
	for i := range items {
		a := &items[i]
		if a.Type != TypeFile || a.UploadStatus != "" {
			continue
		}
		var c blobCRC
		if tx.Get(store.PrefixBlobCRC+OriginalKey(a.ID), &c) == nil && c.XX != "" && c.Size == a.Filesize {
			a.Checksums = &Checksums{XXHash: c.XX}
		}
	}
}

// putCRC writes the checksum record of blob key; an original's also dates
// its folder's cached pages, which show it (cache.go).
func putCRC(tx *store.Tx, key string, rec blobCRC) error {
	if id, ok := strings.CutPrefix(key, "originals/"); ok && len(id) > 3 {
		if a, err := getAsset(tx, id[3:]); err == nil && a.ParentID != "" {
			if err := tx.Touch(orderMark(a.ParentID)); err != nil {
				return err
			}
		}
	}
	return tx.Put(store.PrefixBlobCRC+key, rec)
}

// SaveCRC records the CRC-32 of blob key at size and mod, keeping an
// xxHash recorded for the same bytes.
func (s *Service) SaveCRC(key string, size int64, mod time.Time, crc uint32) error {
	return s.Store.Update(func(tx *store.Tx) error {
		rec := blobCRC{Size: size, ModNano: mod.UnixNano(), CRC: crc}
		var old blobCRC
		if tx.Get(store.PrefixBlobCRC+key, &old) == nil && old.Size == size && old.ModNano == rec.ModNano {
			rec.XX = old.XX
		}
		return putCRC(tx, key, rec)
	})
}

// ChecksumBlob reads blob key once and records its CRC-32 and xxHash64;
// nothing to do when a matching record holds both.
func (s *Service) ChecksumBlob(key string) error {
	st, err := s.Blobs.Stat(key)
	if err != nil {
		return err
	}
	if _, ok := s.CachedCRC(key, st.Size(), st.ModTime()); ok {
		if _, ok := s.XXHash(key, st.Size()); ok {
			return nil
		}
	}
	f, err := s.Blobs.Open(key)
	if err != nil {
		return err
	}
	defer f.Close()
	crc, xx := crc32.NewIEEE(), xxhash.New()
	if _, err := io.CopyBuffer(io.MultiWriter(crc, xx), f, make([]byte, 256<<10)); err != nil {
		return err
	}
	return s.Store.Update(func(tx *store.Tx) error {
		return putCRC(tx, key, blobCRC{Size: st.Size(), ModNano: st.ModTime().UnixNano(),
			CRC: crc.Sum32(), XX: fmt.Sprintf("%016x", xx.Sum64())})
	})
}

// checksumSlots bounds background checksumming to one file at a time.
var checksumSlots = make(chan struct{}, 1)

// checksumLater records the checksums of a new original in the
// background: the first ZIP holding it then streams it with sendfile, and
// Frame.io clients verify downloads against checksums.xx_hash.
func (s *Service) checksumLater(key string) {
	go func() {
		checksumSlots <- struct{}{}
		defer func() { <-checksumSlots }()
		s.ChecksumBlob(key)
	}()
}
