package links

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/store"
)

// AuditEntry is one access-log entry of any share, review or upload link,
// with the link it belongs to.
type AuditEntry struct {
	ID     string `json:"id"`
	LinkID string `json:"link_id"`
	Entry
}

// AuditLog returns the access logs of every link, newest first, for an
// admin: the site's audit trail of what crossed its boundary. It reads
// every entry (there is no index across links).
func (s *Core) AuditLog(v assets.Viewer) ([]AuditEntry, error) {
	if !v.Admin {
		return nil, errs.Forbiddenf("only admins may read the audit log")
	}
	out := []AuditEntry{}
	err := s.Store.View(func(tx *store.Tx) error {
		return tx.Scan(store.PrefixShareLog, func(k string, b []byte) error {
			linkID, id, ok := strings.Cut(strings.TrimPrefix(k, store.PrefixShareLog), "/")
			if !ok {
				return nil
			}
			var e Entry
			if err := json.Unmarshal(b, &e); err != nil {
				return err
			}
			out = append(out, AuditEntry{ID: id, LinkID: linkID, Entry: e})
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, err
}
