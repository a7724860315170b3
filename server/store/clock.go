package store

import "time"

// NowUTC is now(), or the wall clock when now is nil, in UTC: the time the
// services stamp records with (tests set their Now to a fake clock).
func NowUTC(now func() time.Time) time.Time {
	if now != nil {
		return now().UTC()
	}
	return time.Now().UTC()
}
