package upload

import (
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// Reserve implements assets.UploadLedger: it refuses an upload that would
// break the link's limits and otherwise books it, inside the transaction
// that records the upload, so parallel uploads can never together pass a
// limit (the link record is read and written, so Badger serializes them).
func (l *Links) Reserve(tx *store.Tx, u assets.Upload) error {
	k, err := getLink(tx, u.LinkID)
	if err != nil {
		return err
	}
	if err := k.open(l.now()); err != nil {
		return err
	}
	if k.MaxFileBytes > 0 && u.Size > k.MaxFileBytes {
		return errs.New(errs.TooLarge, "file_too_large", "%s is %s; this link accepts files up to %s", u.Name, model.HumanBytes(u.Size), model.HumanBytes(k.MaxFileBytes))
	}
	if k.MaxFiles > 0 && k.FilesReceived+k.ReservedFiles >= k.MaxFiles {
		return errs.New(errs.Forbidden, "file_limit_reached", "this link accepts %d files; %d arrived and %d are uploading", k.MaxFiles, k.FilesReceived, k.ReservedFiles)
	}
	if k.MaxTotalBytes > 0 && k.BytesReceived+k.ReservedBytes+u.Size > k.MaxTotalBytes {
		left := max(0, k.MaxTotalBytes-k.BytesReceived-k.ReservedBytes)
		return errs.New(errs.TooLarge, "total_limit_reached", "%s is %s; this link has %s left of its %s", u.Name, model.HumanBytes(u.Size), model.HumanBytes(left), model.HumanBytes(k.MaxTotalBytes))
	}
	k.ReservedFiles++
	k.ReservedBytes += u.Size
	return putLink(tx, k)
}

// Completed implements assets.UploadLedger: the reservation becomes a received file.
func (l *Links) Completed(tx *store.Tx, u assets.Upload, a assets.Asset) error {
	k, ok, err := unreserve(tx, u)
	if !ok {
		return err
	}
	k.FilesReceived++
	k.BytesReceived += a.Filesize
	k.UpdatedAt = l.now()
	if err := tx.Put(store.PrefixUploadLinkFile+k.ID+"/"+a.ID, Received{Name: a.Name, Size: a.Filesize, InsertedAt: a.InsertedAt}); err != nil {
		return err
	}
	return putLink(tx, k)
}

// Released implements assets.UploadLedger: an unfinished upload was given up.
func (l *Links) Released(tx *store.Tx, u assets.Upload) error {
	k, ok, err := unreserve(tx, u)
	if !ok {
		return err
	}
	return putLink(tx, k)
}

// unreserve reads the link upload u was booked on and gives its booking
// back; ok is false when it cannot (err says why, or nil: the link was
// deleted meanwhile).
func unreserve(tx *store.Tx, u assets.Upload) (k Link, ok bool, err error) {
	k, err = getLink(tx, u.LinkID)
	if errs.Is(err, errs.NotFound) {
		return k, false, nil
	}
	if err != nil {
		return k, false, err
	}
	k.ReservedFiles = max(0, k.ReservedFiles-1)
	k.ReservedBytes = max(0, k.ReservedBytes-u.Size)
	return k, true, nil
}
