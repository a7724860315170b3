package assets

import (
	"hash/crc32"
	"io"
	"time"

	"github.com/ferryhq/ferry/server/store"
)

// blobCRC is the CRC-32 (IEEE, as ZIP uses) of a blob as it was at one size
// and modification time; a blob that changed no longer matches its record.
type blobCRC struct {
	Size    int64  `json:"size"`
	ModNano int64  `json:"mod"`
	CRC     uint32 `json:"crc"`
}

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

// SaveCRC records the CRC-32 of blob key at size and mod.
func (s *Service) SaveCRC(key string, size int64, mod time.Time, crc uint32) error {
	return s.Store.Update(func(tx *store.Tx) error {
		return tx.Put(store.PrefixBlobCRC+key, blobCRC{Size: size, ModNano: mod.UnixNano(), CRC: crc})
	})
}

// ChecksumBlob reads blob key once and records its CRC-32; nothing to do
// when a matching record exists.
func (s *Service) ChecksumBlob(key string) error {
	st, err := s.Blobs.Stat(key)
	if err != nil {
		return err
	}
	if _, ok := s.CachedCRC(key, st.Size(), st.ModTime()); ok {
		return nil
	}
	f, err := s.Blobs.Open(key)
	if err != nil {
		return err
	}
	defer f.Close()
	h := crc32.NewIEEE()
	if _, err := io.CopyBuffer(h, f, make([]byte, 256<<10)); err != nil {
		return err
	}
	return s.SaveCRC(key, st.Size(), st.ModTime(), h.Sum32())
}

// checksumSlots bounds background checksumming to one file at a time.
var checksumSlots = make(chan struct{}, 1)

// checksumLater records the CRC-32 of a new original in the background, so
// the first ZIP holding it already streams it with sendfile.
func (s *Service) checksumLater(key string) {
	go func() {
		checksumSlots <- struct{}{}
		defer func() { <-checksumSlots }()
		s.ChecksumBlob(key)
	}()
}
