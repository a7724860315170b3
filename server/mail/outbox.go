package mail

import (
	"encoding/json"
	"errors"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// Outbox is the durable store of outgoing mail. It owns the outbox prefixes
// of the store. Use it by pointer: Enqueue wakes the sender through it.
type Outbox struct {
	Store *store.Store
	Now   func() time.Time

	wakeOnce sync.Once
	wake     chan struct{}
}

// body is the part of a message kept under its own key, so listing the
// outbox reads small records.
type body struct {
	Text string `json:"text"`
	HTML string `json:"html,omitempty"`
}

// queueEntry marks a queued or sending message; Due is when it may be tried.
type queueEntry struct {
	Due time.Time `json:"due"`
}

func (o *Outbox) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

// Wake returns the channel that receives a value whenever mail becomes due
// (after the transaction that queued it commits).
func (o *Outbox) Wake() <-chan struct{} { return o.wakeChan() }

func (o *Outbox) wakeChan() chan struct{} {
	o.wakeOnce.Do(func() { o.wake = make(chan struct{}, 1) })
	return o.wake
}

func (o *Outbox) notify() {
	select {
	case o.wakeChan() <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// Enqueue validates m and writes it to the outbox inside the caller's
// transaction, so the mail is stored if and only if the action causing it
// is. The sender is woken once tx commits. Recipients, subject and names
// are checked here: a bad address is refused naming it, and line breaks in
// the subject or a name (header injection) are refused.
func (o *Outbox) Enqueue(tx *store.Tx, m Message) (Message, error) {
	if err := validate(&m); err != nil {
		return Message{}, err
	}
	id, err := uuid.NewV7() // time-ordered keys
	if err != nil {
		return Message{}, err
	}
	now := o.now()
	m.ID = id.String()
	m.Status = StatusQueued
	m.Attempts, m.LastError, m.DeliveredAt, m.MessageID = 0, "", nil, ""
	m.NextAttemptAt = &now
	m.InsertedAt, m.UpdatedAt = now, now
	if err := o.put(tx, m); err != nil {
		return Message{}, err
	}
	if err := tx.Put(store.PrefixOutboxBody+m.ID, body{Text: m.Text, HTML: m.HTML}); err != nil {
		return Message{}, err
	}
	if m.Ref != "" {
		if err := tx.Put(refKey(m.Ref, m.ID), ""); err != nil {
			return Message{}, err
		}
	}
	tx.AfterCommit(o.notify)
	return m, nil
}

// Send enqueues m in a transaction of its own, for mail that does not
// belong to another write.
func (o *Outbox) Send(m Message) (Message, error) {
	var out Message
	err := o.Store.Update(func(tx *store.Tx) error {
		var err error
		out, err = o.Enqueue(tx, m)
		return err
	})
	return out, err
}

func refKey(ref, id string) string {
	return store.PrefixOutboxRef + url.PathEscape(ref) + "/" + id
}

// put writes the record (without body) and keeps the queue index in step
// with its status.
func (o *Outbox) put(tx *store.Tx, m Message) error {
	rec := m
	rec.Text, rec.HTML = "", ""
	if err := tx.Put(store.PrefixOutbox+m.ID, rec); err != nil {
		return err
	}
	switch m.Status {
	case StatusQueued, StatusSending:
		due := m.UpdatedAt
		if m.NextAttemptAt != nil {
			due = *m.NextAttemptAt
		}
		return tx.Put(store.PrefixOutboxQueue+m.ID, queueEntry{Due: due})
	default:
		return tx.Delete(store.PrefixOutboxQueue + m.ID)
	}
}

func getRecord(tx *store.Tx, id string) (Message, error) {
	var m Message
	if _, err := uuid.Parse(id); err != nil {
		return m, errs.Invalidf("message id %q is not a UUID", id)
	}
	if err := tx.Get(store.PrefixOutbox+id, &m); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return m, errs.NotFoundf("message %s not found", id)
		}
		return m, err
	}
	return m, nil
}

func withBody(tx *store.Tx, m Message) (Message, error) {
	var b body
	err := tx.Get(store.PrefixOutboxBody+m.ID, &b)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return m, err
	}
	m.Text, m.HTML = b.Text, b.HTML
	return m, nil
}

// Get returns one message with its text and HTML parts (empty for a
// sensitive message once delivered).
func (o *Outbox) Get(id string) (Message, error) {
	var m Message
	err := o.Store.View(func(tx *store.Tx) error {
		r, err := getRecord(tx, id)
		if err != nil {
			return err
		}
		m, err = withBody(tx, r)
		return err
	})
	return m, err
}

// List returns the messages with status (all when empty), newest first,
// without their bodies.
func (o *Outbox) List(status string) ([]Message, error) {
	if status != "" && !validStatus(status) {
		return nil, errs.Invalidf("status must be one of queued, sending, delivered, failed; not %q", status)
	}
	out := []Message{}
	err := o.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixOutbox, func(_ string, val []byte) error {
			m, err := decode(val)
			if err != nil {
				return err
			}
			if status == "" || m.Status == status {
				out = append(out, m)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].InsertedAt.Equal(out[j].InsertedAt) {
			return out[i].InsertedAt.After(out[j].InsertedAt)
		}
		return out[i].ID > out[j].ID
	})
	return out, err
}

func validStatus(s string) bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Counts returns how many messages have each status (every status present).
func (o *Outbox) Counts() (map[string]int, error) {
	counts := map[string]int{}
	for _, s := range Statuses {
		counts[s] = 0
	}
	err := o.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixOutbox, func(_ string, val []byte) error {
			m, err := decode(val)
			if err != nil {
				return err
			}
			counts[m.Status]++
			return nil
		})
	})
	return counts, err
}

// ByRef returns the messages a caller queued with ref, oldest first,
// without bodies: how an upload link learns whether its mails went out.
func (o *Outbox) ByRef(ref string) ([]Message, error) {
	var out []Message
	err := o.Store.View(func(tx *store.Tx) error {
		var err error
		out, err = ByRefTx(tx, ref)
		return err
	})
	return out, err
}

// ByRefTx is ByRef inside the caller's transaction.
func ByRefTx(tx *store.Tx, ref string) ([]Message, error) {
	out := []Message{}
	if ref == "" {
		return out, nil
	}
	prefix := store.PrefixOutboxRef + url.PathEscape(ref) + "/"
	var ids []string
	if err := tx.ScanKeys(prefix, func(key string) error {
		ids = append(ids, key[len(prefix):])
		return nil
	}); err != nil {
		return nil, err
	}
	for _, id := range ids {
		m, err := getRecord(tx, id)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].InsertedAt.Before(out[j].InsertedAt) })
	return out, nil
}

// Retry queues a failed message again with its attempts reset, or makes a
// queued one due now. A message being sent or already delivered is refused.
func (o *Outbox) Retry(id string) (Message, error) {
	var out Message
	err := o.Store.Update(func(tx *store.Tx) error {
		m, err := getRecord(tx, id)
		if err != nil {
			return err
		}
		switch m.Status {
		case StatusFailed, StatusQueued:
		case StatusDelivered:
			return errs.Conflictf("message %s was delivered already; it is not sent twice", id)
		default:
			return errs.Conflictf("message %s is being sent right now", id)
		}
		if has, err := tx.Has(store.PrefixOutboxBody + id); err != nil {
			return err
		} else if !has {
			return errs.Conflictf("message %s has no body left to send", id)
		}
		now := o.now()
		m.Status, m.Attempts, m.LastError = StatusQueued, 0, ""
		m.NextAttemptAt, m.UpdatedAt = &now, now
		if err := o.put(tx, m); err != nil {
			return err
		}
		tx.AfterCommit(o.notify)
		out = m
		return nil
	})
	return out, err
}

// claim marks up to n due queued messages as sending (one attempt more,
// Message-ID assigned at the first) and returns them with their bodies,
// plus the earliest due time of the queued messages left (zero if none).
func (o *Outbox) claim(n int, newMessageID func() string) ([]Message, time.Time, error) {
	var claimed []Message
	var next time.Time
	err := o.Store.Update(func(tx *store.Tx) error {
		claimed, next = nil, time.Time{}
		now := o.now()
		type due struct {
			id string
			at time.Time
		}
		var ready []due
		err := tx.Scan(store.PrefixOutboxQueue, func(key string, val []byte) error {
			var q queueEntry
			if err := json.Unmarshal(val, &q); err != nil {
				return err
			}
			ready = append(ready, due{key[len(store.PrefixOutboxQueue):], q.Due})
			return nil
		})
		if err != nil {
			return err
		}
		sort.Slice(ready, func(i, j int) bool { return ready[i].at.Before(ready[j].at) })
		for _, d := range ready {
			m, err := getRecord(tx, d.id)
			if errs.Is(err, errs.NotFound) {
				if err := tx.Delete(store.PrefixOutboxQueue + d.id); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			if m.Status != StatusQueued {
				continue
			}
			if d.at.After(now) || len(claimed) >= n {
				if next.IsZero() || d.at.Before(next) {
					next = d.at
				}
				continue
			}
			m.Status = StatusSending
			m.Attempts++
			m.UpdatedAt = now
			if m.MessageID == "" {
				m.MessageID = newMessageID()
			}
			if err := o.put(tx, m); err != nil {
				return err
			}
			full, err := withBody(tx, m)
			if err != nil {
				return err
			}
			claimed = append(claimed, full)
		}
		return nil
	})
	return claimed, next, err
}

// begin records a message sent at once (a test mail) as sending.
func (o *Outbox) begin(m Message, messageID string) (Message, error) {
	if err := validate(&m); err != nil {
		return Message{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Message{}, err
	}
	now := o.now()
	m.ID, m.Status, m.Attempts, m.MessageID = id.String(), StatusSending, 1, messageID
	m.InsertedAt, m.UpdatedAt, m.NextAttemptAt = now, now, nil
	err = o.Store.Update(func(tx *store.Tx) error {
		if err := o.put(tx, m); err != nil { // queued too: a crash mid-send requeues it
			return err
		}
		if err := tx.Put(store.PrefixOutboxBody+m.ID, body{Text: m.Text, HTML: m.HTML}); err != nil {
			return err
		}
		if m.Ref != "" {
			return tx.Put(refKey(m.Ref, m.ID), "")
		}
		return nil
	})
	return m, err
}

// outcome is how an attempt ended.
type outcome struct {
	err       error     // nil: delivered
	permanent bool      // no more retries
	retryAt   time.Time // when err != nil and not permanent
}

// finish records the end of an attempt on a message that is sending.
func (o *Outbox) finish(id string, out outcome) (Message, error) {
	var res Message
	err := o.Store.Update(func(tx *store.Tx) error {
		m, err := getRecord(tx, id)
		if err != nil {
			return err
		}
		now := o.now()
		m.UpdatedAt = now
		switch {
		case out.err == nil:
			m.Status, m.LastError, m.DeliveredAt, m.NextAttemptAt = StatusDelivered, "", &now, nil
			if m.Sensitive {
				// The secret it carried is delivered; do not keep it at rest.
				if err := tx.Delete(store.PrefixOutboxBody + id); err != nil {
					return err
				}
			}
		case out.permanent:
			m.Status, m.LastError, m.NextAttemptAt = StatusFailed, out.err.Error(), nil
		default:
			at := out.retryAt
			m.Status, m.LastError, m.NextAttemptAt = StatusQueued, out.err.Error(), &at
		}
		res = m
		return o.put(tx, m)
	})
	return res, err
}

// requeueStale turns messages left "sending" by a process that stopped
// mid-conversation back into queued messages due now, except those in
// flight in this process (skip). It returns how many it requeued.
func (o *Outbox) requeueStale(skip func(id string) bool) (int, error) {
	n := 0
	err := o.Store.Update(func(tx *store.Tx) error {
		n = 0
		var ids []string
		if err := tx.ScanKeys(store.PrefixOutboxQueue, func(key string) error {
			ids = append(ids, key[len(store.PrefixOutboxQueue):])
			return nil
		}); err != nil {
			return err
		}
		now := o.now()
		for _, id := range ids {
			if skip(id) {
				continue
			}
			m, err := getRecord(tx, id)
			if errs.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if m.Status != StatusSending {
				continue
			}
			m.Status, m.NextAttemptAt, m.UpdatedAt = StatusQueued, &now, now
			if m.LastError == "" {
				m.LastError = "interrupted by a restart during delivery"
			}
			if err := o.put(tx, m); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

func decode(val []byte) (Message, error) {
	var m Message
	err := json.Unmarshal(val, &m)
	return m, err
}
