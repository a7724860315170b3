// Package store owns Ferry's Badger database: options, transactions with
// retry on conflict, JSON codecs, schema migrations and backups. Other
// packages own key prefixes (see Prefix* constants) and never open Badger
// themselves.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Key prefixes, one owner package each.
const (
	PrefixMeta = "meta/" // store
	// auth
	PrefixUser       = "user/"
	PrefixUserEmail  = "user_email/"
	PrefixSession    = "session/"
	PrefixToken      = "token/"
	PrefixTokenHash  = "token_hash/"
	PrefixTokenOwner = "token_owner/"
	PrefixSetting    = "setting/"
	// assets
	PrefixProject        = "project/"
	PrefixAsset          = "asset/"
	PrefixChild          = "child/"
	PrefixChildOrder     = "corder/"  // corder/<parent id>/<sort key>\x00<child id> → "": a folder in display order
	PrefixChildOrderMark = "corderv/" // corderv/<parent id> → nil, written with every change to corder/<parent id>/ (its version dates the order)
	PrefixCollection     = "collection/"
	PrefixProjectColl    = "pcoll/"
	PrefixMediaQueue     = "mediaq/"
	PrefixVideoQueue     = "videoq/"   // videoq/<asset id> → video or audio job (assets)
	PrefixVideoMarkQ     = "vmarkq/"   // vmarkq/<asset id>/<proxy>/<watermark key> → a watermarked video proxy to make (assets)
	PrefixPublishQueue   = "publishq/" // publishq/<blob key> → renditions the bucket refused, to copy there again (assets)
	PrefixPendingUpload  = "upload/"
	PrefixUploadPart     = "upart/" // upart/<upload id>/<index> → a part of an upload_urls upload that is on disk (uploads)
	PrefixBlobCRC        = "crc/"   // crc/<blob key> → CRC-32 of the blob's bytes at a size and time (ZIP streaming)
	// links
	PrefixLinkKey        = "linkkey/"   // linkkey/<key> → {kind, id} of the share, review or upload link
	PrefixLinkSession    = "linksess/"  // linksess/<sha256 of secret> → link session (unlocked by password or passcode)
	PrefixUploadLink     = "ulink/"     // ulink/<id> → upload link
	PrefixUploadLinkFile = "ulinkfile/" // ulinkfile/<link id>/<asset id> → a file that arrived through it
	PrefixShareLink      = "slink/"     // slink/<id> → share link
	PrefixShareLog       = "slog/"      // slog/<link id>/<time-ordered id> → access log entry
	PrefixReviewLink     = "rlink/"     // rlink/<id> → review link
	PrefixReviewItem     = "rlitem/"    // rlitem/<link id>/<item id> → review link item
	PrefixReviewView     = "rlview/"    // rlview/<link id>/<reviewer> → views by a reviewer
	PrefixShareForm      = "sform/"     // sform/<id> → custom registration form
	PrefixClickwrap      = "clickwrap/" // clickwrap/<id> → clickwrap terms
	PrefixShareReg       = "sreg/"      // sreg/<link id>/<time-ordered id> → registration
	PrefixShareInvite    = "sinv/"      // sinv/<link id>/<id> → emailed recipient of a share link
	PrefixInviteCode     = "sinvcode/"  // sinvcode/<sha256 of code> → {link id, invite id}
	PrefixPrivilege      = "priv/"      // priv/<user id>/<folder id> → a member's privileges on a folder; priv/group:<group id>/<folder id> → a group's (assets)
	// groups
	PrefixGroup       = "group/"   // group/<id> → a named set of users
	PrefixGroupMember = "gmember/" // gmember/<user id>/<group id> → "": the groups a user is in
	// review
	PrefixComment      = "comment/"  // comment/<id> → comment
	PrefixAssetComment = "acomment/" // acomment/<asset id>/<comment id> → "" (time-ordered)
	PrefixApproval     = "approval/" // approval/<link id>/<asset id>/<reviewer> → approval
	// mail
	PrefixOutbox      = "outbox/"       // outbox/<id> → message without its body
	PrefixOutboxBody  = "outbox_body/"  // outbox_body/<id> → text and HTML parts
	PrefixOutboxQueue = "outbox_queue/" // outbox_queue/<id> → due time of a queued or sending message
	PrefixOutboxRef   = "outbox_ref/"   // outbox_ref/<ref>/<id> → caller's reference index
)

// ErrNotFound is returned by Get when the key is absent.
var ErrNotFound = errors.New("not found")

// ErrLocked means another process holds the data directory.
var ErrLocked = errors.New("data directory is in use by another process")

// SchemaVersion is the version of stored records this build writes; Open
// migrates older data up to it (docs/migrations.md).
//
// Schema 2 adds groups (group/, gmember/) and groups' privilege records
// (priv/group:<id>/…). Schema 1 data needs no rewrite, but a schema-1
// build would ignore the groups' records and give their members more than
// they may, so it must refuse schema-2 data.
//
// Schema 3 deletes what members said of people (server/people's person/
// records) together with the people's last photos; the migration leaves
// PendingPersonSweep so that people sweeps, once, the records older builds
// left behind (before, it swept at every start).
const SchemaVersion = 3

// PendingPersonSweep is left by the migration to schema 3; server/people
// sweeps the person records no face shows any more, then deletes it.
const PendingPersonSweep = PrefixMeta + "pending/person-sweep"

// schemaKey holds the schema version of the data. A database with data but
// without it was written before the key existed: schema 1.
const schemaKey = PrefixMeta + "schema"

// NewerSchemaError refuses data written by a newer ferry: an older build
// would misread its records or lose what it does not know.
type NewerSchemaError struct {
	Dir        string
	Data, This int // the data's schema version and this build's
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("the database in %s has schema version %d, newer than this ferry's schema version %d: "+
		"run the ferry release that wrote it (or a newer one), or restore a backup made with schema %d or older", e.Dir, e.Data, e.This, e.This)
}

// Store wraps the Badger database.
type Store struct {
	DB  *badger.DB
	Dir string

	decoded []*decodedCache // see CacheDecoded
	changes atomic.Uint64   // see Changes
}

type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Errorf(f string, v ...any)   { a.l.Error(strings.TrimSpace(fmt.Sprintf(f, v...))) }
func (a slogAdapter) Warningf(f string, v ...any) { a.l.Warn(strings.TrimSpace(fmt.Sprintf(f, v...))) }
func (a slogAdapter) Infof(f string, v ...any)    { a.l.Debug(strings.TrimSpace(fmt.Sprintf(f, v...))) }
func (a slogAdapter) Debugf(f string, v ...any)   {}

// Options are Badger settings tuned for low memory (measured in STYLE.md).
func Options(dir string, log *slog.Logger) badger.Options {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return badger.DefaultOptions(dir).
		WithLogger(slogAdapter{log}).
		WithMemTableSize(16 << 20).
		WithNumMemtables(2).
		WithBlockCacheSize(16 << 20).
		WithIndexCacheSize(16 << 20).
		WithValueLogFileSize(64 << 20).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(4).
		WithNumCompactors(2).
		WithBaseTableSize(8 << 20).
		WithValueThreshold(1 << 10)
}

// Open opens (creating if needed) the database in dir and migrates it.
func Open(dir string, log *slog.Logger) (*Store, error) {
	db, err := badger.Open(Options(dir, log))
	if err != nil {
		if strings.Contains(err.Error(), "Cannot acquire directory lock") {
			return nil, fmt.Errorf("%w: %s", ErrLocked, dir)
		}
		return nil, fmt.Errorf("opening database in %s: %w", dir, err)
	}
	s := &Store{DB: db, Dir: dir}
	if err := s.migrate(SchemaVersion); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// OpenUnmigrated opens the database in dir without reading or writing its
// schema version: for loading a backup, which brings its own (the next
// Open migrates it).
func OpenUnmigrated(dir string, log *slog.Logger) (*Store, error) {
	db, err := badger.Open(Options(dir, log))
	if err != nil {
		return nil, fmt.Errorf("opening database in %s: %w", dir, err)
	}
	return &Store{DB: db, Dir: dir}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.DB.Close() }

// migrations[v] upgrades schema v to v+1, in the transaction that then
// records v+1. Add one with every change to stored records.
var migrations = map[int]func(tx *Tx) error{
	2: func(tx *Tx) error { return tx.Put(PendingPersonSweep, true) },
}

// migrate brings the data to schema target: a new database starts there,
// data without a version is schema 1, newer data is refused.
func (s *Store) migrate(target int) error {
	return s.Update(func(tx *Tx) error {
		var v int
		err := tx.Get(schemaKey, &v)
		if errors.Is(err, ErrNotFound) {
			empty, err := tx.empty()
			if err != nil {
				return err
			}
			if empty {
				return tx.Put(schemaKey, target)
			}
			v = 1
		} else if err != nil {
			return err
		}
		if v > target {
			return &NewerSchemaError{Dir: s.Dir, Data: v, This: target}
		}
		for ; v < target; v++ {
			if m := migrations[v]; m != nil {
				if err := m(tx); err != nil {
					return fmt.Errorf("migrating schema %d to %d: %w", v, v+1, err)
				}
			}
		}
		return tx.Put(schemaKey, target)
	})
}

// Schema returns the schema version recorded in the database.
func (s *Store) Schema() (int, error) {
	var v int
	err := s.View(func(tx *Tx) error { return tx.Get(schemaKey, &v) })
	return v, err
}

// Tx is a read or read-write transaction.
type Tx struct {
	txn      *badger.Txn
	s        *Store
	writable bool
	// after runs once the transaction committed.
	after []func()
	// changed: it wrote a key outside bookkeepingPrefixes; bookkeeping:
	// its writes change nothing a page shows (Bookkeeping).
	changed, bookkeeping bool
}

// Update runs fn in a read-write transaction, retrying on conflict.
func (s *Store) Update(fn func(tx *Tx) error) error {
	var err error
	// Many clients writing one record (a link's counters) conflict often;
	// each retry waits a little longer, with jitter so they spread out.
	for attempt := 0; attempt < 100; attempt++ {
		if s.DB.IsClosed() { // a background job finishing after shutdown
			return badger.ErrDBClosed
		}
		tx := &Tx{txn: s.DB.NewTransaction(true), s: s, writable: true}
		err = fn(tx)
		if err == nil {
			err = tx.txn.Commit()
		}
		tx.txn.Discard()
		if errors.Is(err, badger.ErrConflict) {
			time.Sleep(time.Duration(min(attempt+1, 20))*time.Millisecond/2 + time.Duration(rand.Int64N(int64(time.Millisecond))))
			continue
		}
		if err == nil {
			if tx.changed && !tx.bookkeeping {
				s.changes.Add(1) // after the commit: see Changes
			}
			for _, f := range tx.after {
				f()
			}
		}
		return err
	}
	return fmt.Errorf("transaction kept conflicting: %w", err)
}

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(tx *Tx) error) error {
	return s.DB.View(func(txn *badger.Txn) error { return fn(&Tx{txn: txn, s: s}) })
}

// AfterCommit registers f to run after the transaction commits.
func (tx *Tx) AfterCommit(f func()) { tx.after = append(tx.after, f) }

// Get decodes the JSON value at key into v.
func (tx *Tx) Get(key string, v any) error {
	item, err := tx.txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	c := tx.cacheFor(key, v)
	if c == nil {
		return item.Value(func(b []byte) error { return json.Unmarshal(b, v) })
	}
	if cached, ok := c.Load(key, item.Version()); ok {
		reflect.ValueOf(v).Elem().Set(reflect.ValueOf(cached))
		return nil
	}
	if err := item.Value(func(b []byte) error { return json.Unmarshal(b, v) }); err != nil {
		return err
	}
	c.Store(key, item.Version(), reflect.ValueOf(v).Elem().Interface())
	return nil
}

// Has reports whether key exists.
func (tx *Tx) Has(key string) (bool, error) {
	_, err := tx.txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Put stores v as JSON at key.
func (tx *Tx) Put(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tx.wrote(key)
	return tx.txn.Set([]byte(key), b)
}

// PutTTL stores v at key, expiring after ttl.
func (tx *Tx) PutTTL(key string, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tx.wrote(key)
	return tx.txn.SetEntry(badger.NewEntry([]byte(key), b).WithTTL(ttl))
}

// Delete removes key (absent keys are not an error).
func (tx *Tx) Delete(key string) error {
	tx.wrote(key)
	return tx.txn.Delete([]byte(key))
}

// Scan calls fn for every key with prefix, in key order, with the raw value.
// Returning ErrStop from fn ends the scan without error.
func (tx *Tx) Scan(prefix string, fn func(key string, val []byte) error) error {
	opts := badger.DefaultIteratorOptions
	opts.Prefix = []byte(prefix)
	opts.PrefetchValues = false // values are small and mostly inline: prefetching costs a goroutine each
	it := tx.txn.NewIterator(opts)
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		err := item.Value(func(b []byte) error { return fn(string(item.Key()), b) })
		if errors.Is(err, ErrStop) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ScanKeys calls fn for every key with prefix without reading values.
func (tx *Tx) ScanKeys(prefix string, fn func(key string) error) error {
	opts := badger.DefaultIteratorOptions
	opts.Prefix = []byte(prefix)
	opts.PrefetchValues = false
	it := tx.txn.NewIterator(opts)
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		err := fn(string(it.Item().Key()))
		if errors.Is(err, ErrStop) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// empty reports whether the database holds no key at all.
func (tx *Tx) empty() (bool, error) {
	empty := true
	err := tx.ScanKeys("", func(string) error { empty = false; return ErrStop })
	return empty, err
}

// Count returns the number of keys with prefix.
func (tx *Tx) Count(prefix string) (int, error) {
	n := 0
	err := tx.ScanKeys(prefix, func(string) error { n++; return nil })
	return n, err
}

// ErrStop ends a Scan early.
var ErrStop = errors.New("stop scan")

// Backup writes a consistent snapshot of the whole database to w.
func (s *Store) Backup(w io.Writer) error {
	_, err := s.DB.Backup(w, 0)
	return err
}

// Load restores a snapshot written by Backup into this (empty) database.
func (s *Store) Load(r io.Reader) error { return s.DB.Load(r, 16) }

// Size returns the on-disk sizes of the LSM tree and value log.
func (s *Store) Size() (lsm, vlog int64) { return s.DB.Size() }

// UpdateSplit stores items 0..n-1 with fn(tx, lo, hi), which writes items
// lo to hi-1, in one transaction when Badger takes it; when Badger refuses
// the transaction as too big (ErrTxnTooBig: more than about 15 % of a
// memtable), the items are split in two halves, each in its own
// transaction, down to one item a transaction. So a batch that grows (an
// access log's waiting entries) is stored whole, in as few transactions as
// fit. fn must write only what belongs to its items: a half may commit
// while the other fails.
func (s *Store) UpdateSplit(n int, fn func(tx *Tx, lo, hi int) error) error {
	return s.updateSplit(0, n, fn)
}

func (s *Store) updateSplit(lo, hi int, fn func(tx *Tx, lo, hi int) error) error {
	if lo >= hi {
		return nil
	}
	err := s.Update(func(tx *Tx) error { return fn(tx, lo, hi) })
	if !TooBig(err) || hi-lo == 1 {
		return err
	}
	mid := lo + (hi-lo)/2
	if err := s.updateSplit(lo, mid, fn); err != nil {
		return err
	}
	return s.updateSplit(mid, hi, fn)
}

// TooBig says whether err is Badger refusing a transaction as too big for
// one commit (ErrTxnTooBig): the caller may do the work in parts.
func TooBig(err error) bool { return errors.Is(err, badger.ErrTxnTooBig) }
