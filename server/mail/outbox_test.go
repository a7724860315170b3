package mail

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func plain(to ...Address) Message {
	return Message{To: to, Subject: "Hello", Text: "Body\n", HTML: "<p>Body</p>", Kind: "note"}
}

func TestEnqueueRefusesBadInput(t *testing.T) {
	o := &Outbox{Store: openStore(t, t.TempDir())}
	ok := Address{Name: "Ana", Email: "ana@example.com"}
	for _, c := range []struct {
		name string
		msg  Message
		want string // in the error detail
	}{
		{"no recipient", plain(), "at least one recipient"},
		{"not an address", plain(Address{Email: "not-an-address"}), `"not-an-address"`},
		{"name smuggled into the address", plain(Address{Email: "Eve <eve@example.com>"}), `"Eve <eve@example.com>"`},
		{"two addresses in one", plain(Address{Email: "a@example.com, b@example.com"}), `"a@example.com, b@example.com"`},
		{"CRLF in the address", plain(Address{Email: "ana@example.com\r\nBcc: eve@example.com"}), "line break"},
		{"CRLF in a name", plain(Address{Name: "Ana\r\nBcc: eve@example.com", Email: "ana@example.com"}), "name of recipient ana@example.com"},
		{"LF in a name", plain(Address{Name: "Ana\nX: y", Email: "ana@example.com"}), "line break"},
		{"CRLF in the subject", Message{To: []Address{ok}, Subject: "Hi\r\nBcc: eve@example.com", Text: "x"}, "subject must be one line"},
		{"LF in the subject", Message{To: []Address{ok}, Subject: "Hi\nBcc: eve@example.com", Text: "x"}, "subject must be one line"},
		{"empty subject", Message{To: []Address{ok}, Subject: " ", Text: "x"}, "subject is empty"},
		{"no text part", Message{To: []Address{ok}, Subject: "Hi", HTML: "<p>x</p>"}, "text part is empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := o.Send(c.msg)
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("Send = %v, want an Invalid error", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not say %q", err, c.want)
			}
		})
	}
	if n, _ := o.Counts(); n[StatusQueued] != 0 {
		t.Fatalf("refused mail was stored: %v", n)
	}
	m, err := o.Send(plain(Address{Name: "  Zoë Ærø ", Email: " zoe@example.com "}))
	if err != nil {
		t.Fatal(err)
	}
	if m.To[0] != (Address{Name: "Zoë Ærø", Email: "zoe@example.com"}) {
		t.Fatalf("recipient not normalised: %+v", m.To[0])
	}
}

// The mail is stored with the action that causes it, or not at all.
func TestEnqueueIsPartOfTheCallersTransaction(t *testing.T) {
	st := openStore(t, t.TempDir())
	o := &Outbox{Store: st}
	boom := errors.New("the action failed")
	err := st.Update(func(tx *store.Tx) error {
		if err := tx.Put("test/action", "done"); err != nil {
			return err
		}
		if _, err := o.Enqueue(tx, Message{To: []Address{{Email: "a@example.com"}}, Subject: "s", Text: "t", Ref: "r1"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	select {
	case <-o.Wake():
		t.Fatal("a rolled-back Enqueue woke the sender")
	default:
	}
	if msgs, _ := o.List(""); len(msgs) != 0 {
		t.Fatalf("rolled-back mail is in the outbox: %+v", msgs)
	}
	if msgs, _ := o.ByRef("r1"); len(msgs) != 0 {
		t.Fatalf("rolled-back mail is indexed: %+v", msgs)
	}

	err = st.Update(func(tx *store.Tx) error {
		_, err := o.Enqueue(tx, Message{To: []Address{{Email: "a@example.com"}}, Subject: "s", Text: "t", Ref: "r1"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-o.Wake():
	default:
		t.Fatal("a committed Enqueue did not wake the sender")
	}
	msgs, err := o.ByRef("r1")
	if err != nil || len(msgs) != 1 || msgs[0].Status != StatusQueued || msgs[0].Attempts != 0 {
		t.Fatalf("ByRef = %+v, %v", msgs, err)
	}
}

func TestOutboxListGetRetry(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	o := &Outbox{Store: openStore(t, t.TempDir()), Now: func() time.Time { return now }}
	var ids []string
	for i, ref := range []string{"link/a", "link/a", "link/b"} {
		now = now.Add(time.Minute)
		m := plain(Address{Email: "x@example.com"})
		m.Subject, m.Ref = "mail "+string(rune('A'+i)), ref
		got, err := o.Send(m)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got.ID)
	}
	list, err := o.List("")
	if err != nil || len(list) != 3 || list[0].ID != ids[2] || list[2].ID != ids[0] {
		t.Fatalf("List is not newest first: %+v, %v", list, err)
	}
	if list[0].Text != "" || list[0].HTML != "" {
		t.Fatal("List returns bodies")
	}
	full, err := o.Get(ids[0])
	if err != nil || full.Text != "Body\n" || full.HTML != "<p>Body</p>" {
		t.Fatalf("Get = %+v, %v", full, err)
	}
	if refs, _ := o.ByRef("link/a"); len(refs) != 2 || refs[0].ID != ids[0] {
		t.Fatalf("ByRef(link/a) = %+v", refs)
	}
	if refs, _ := o.ByRef("link"); len(refs) != 0 {
		t.Fatalf("ByRef(link) matched another ref: %+v", refs)
	}
	if _, err := o.List("lost"); !errs.Is(err, errs.Invalid) {
		t.Fatalf("List(lost) = %v", err)
	}
	if _, err := o.Get("nope"); !errs.Is(err, errs.Invalid) {
		t.Fatalf("Get(nope) = %v", err)
	}
	if _, err := o.Get("0190f4a0-0000-7000-8000-000000000000"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("Get(unknown) = %v", err)
	}

	// Claim one (sending): it cannot be retried; finish it as failed and it can.
	claimed, _, err := o.claim(1, func() string { return "<id@test>" })
	if err != nil || len(claimed) != 1 || claimed[0].ID != ids[0] || claimed[0].Text == "" {
		t.Fatalf("claim = %+v, %v", claimed, err)
	}
	if _, err := o.Retry(ids[0]); !errs.Is(err, errs.Conflict) {
		t.Fatalf("Retry(sending) = %v", err)
	}
	if _, err := o.finish(ids[0], outcome{err: errors.New("550 no"), permanent: true}); err != nil {
		t.Fatal(err)
	}
	if failed, _ := o.List(StatusFailed); len(failed) != 1 || failed[0].LastError != "550 no" || failed[0].Attempts != 1 {
		t.Fatalf("failed = %+v", failed)
	}
	m, err := o.Retry(ids[0])
	if err != nil || m.Status != StatusQueued || m.Attempts != 0 || m.LastError != "" || !m.NextAttemptAt.Equal(now) {
		t.Fatalf("Retry = %+v, %v", m, err)
	}
	claimed, _, _ = o.claim(3, func() string { return "<id2@test>" })
	if len(claimed) != 3 {
		t.Fatalf("claimed %d, want 3", len(claimed))
	}
	for _, c := range claimed {
		if c.ID == ids[0] && c.MessageID != "<id@test>" {
			t.Fatalf("a retry got a new Message-ID: %s", c.MessageID)
		}
	}
	for _, c := range claimed {
		if _, err := o.finish(c.ID, outcome{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := o.Retry(ids[1]); !errs.Is(err, errs.Conflict) {
		t.Fatalf("Retry(delivered) = %v", err)
	}
	counts, _ := o.Counts()
	if counts[StatusDelivered] != 3 || counts[StatusQueued] != 0 {
		t.Fatalf("counts = %v", counts)
	}
	if refs, _ := o.ByRef("link/a"); !Delivered(refs) {
		t.Fatalf("Delivered(ByRef) = false: %+v", refs)
	}
}

// A passcode mail's body is not kept once delivered.
func TestSensitiveBodyDeletedOnDelivery(t *testing.T) {
	o := &Outbox{Store: openStore(t, t.TempDir())}
	msg, err := Templates{SiteName: "S", PublicURL: "https://s.example"}.Message(KindUploadLinkPasscode,
		[]Address{{Email: "a@example.com"}}, UploadLinkPasscode{SenderName: "Ana", Passcode: "482913"})
	if err != nil {
		t.Fatal(err)
	}
	if !msg.Sensitive {
		t.Fatal("passcode mail is not marked sensitive")
	}
	m, err := o.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	claimed, _, _ := o.claim(1, func() string { return "<x@s.example>" })
	if len(claimed) != 1 || !strings.Contains(claimed[0].Text, "482913") {
		t.Fatalf("claimed = %+v", claimed)
	}
	if _, err := o.finish(m.ID, outcome{}); err != nil {
		t.Fatal(err)
	}
	got, err := o.Get(m.ID)
	if err != nil || got.Status != StatusDelivered || got.Text != "" || got.HTML != "" {
		t.Fatalf("delivered passcode mail = %+v, %v", got, err)
	}
}
