package uploads

import (
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

// An upload's declared size is booked when it is created, so that clients
// cannot declare more than the disk holds: every unfinished upload counts
// with the bytes it has still to send. Uploads through a link (anonymous
// visitors, upload-link recipients) are also bounded per link, in number
// and in bytes still to come. A booking lapses while its upload stalls
// (no byte for reservationIdle): announcing uploads and never sending
// cannot hold a link's allowance or the disk for the days an unfinished
// upload is kept. A stalled upload may still resume; if the disk filled
// meanwhile it gets 507 and keeps what it sent.

// reservationIdle is how long an upload may receive nothing and still
// hold its booking.
const reservationIdle = 30 * time.Minute

// savePending checks that up fits (see reserve) and records it, under one
// lock, so parallel creations cannot all pass the same check.
func (s *Service) savePending(up assets.Upload) error {
	s.reserveMu.Lock()
	defer s.reserveMu.Unlock()
	if err := s.reserve(up); err != nil {
		return err
	}
	return s.Assets.SavePending(up)
}

func (s *Service) reserve(up assets.Upload) error {
	pending, err := s.Assets.ListPending()
	if err != nil {
		return err
	}
	var owed, linkOwed int64
	linkCount := 0
	now := s.now()
	for _, p := range pending {
		left, last := p.Size, p.CreatedAt
		if t, got, ok := s.received(p.ID); ok {
			left, last = max(0, p.Size-got), t
		}
		if now.Sub(last) > reservationIdle {
			continue
		}
		owed += left
		if up.LinkID != "" && p.LinkID == up.LinkID {
			linkOwed += left
			linkCount++
		}
	}
	if up.LinkID != "" {
		if s.MaxPendingPerLink > 0 && linkCount >= s.MaxPendingPerLink {
			return errs.New(errs.TooLarge, "link_pending_limit",
				"this link already has %d unfinished uploads, its limit; finish or cancel some first", linkCount)
		}
		if s.MaxPendingBytesPerLink > 0 && linkOwed+up.Size > s.MaxPendingBytesPerLink {
			return errs.New(errs.TooLarge, "link_pending_limit",
				"%s is %s; this link's unfinished uploads may announce %s at once and %s are still to come",
				up.Name, model.HumanBytes(up.Size), model.HumanBytes(s.MaxPendingBytesPerLink), model.HumanBytes(linkOwed))
		}
	}
	if s.Bucket != nil {
		return nil // the bytes go to the bucket, whose quota the store enforces
	}
	free, err := freeBytes(s.Dir)
	if err != nil {
		return nil // no statfs: the write itself will tell
	}
	if need := uint64(owed) + uint64(up.Size) + uint64(s.MinFree); free < need {
		avail := int64(0)
		if free > uint64(owed)+uint64(s.MinFree) {
			avail = int64(free - uint64(owed) - uint64(s.MinFree))
		}
		return errs.New(errs.InsufficientStorage, "insufficient_storage",
			"%s is %s; the server can take %s more (free disk, less unfinished uploads' %s and a reserve of %s)",
			up.Name, model.HumanBytes(up.Size), model.HumanBytes(avail), model.HumanBytes(owed), model.HumanBytes(s.MinFree))
	}
	return nil
}
