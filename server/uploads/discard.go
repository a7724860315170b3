package uploads

import (
	"fmt"
	"log/slog"
)

// Discard removes an unfinished upload: its bytes and its record.
func (s *Service) Discard(id string) {
	s.forget(id)
	if err := s.Assets.DropPending(id); err != nil && s.Log != nil {
		s.Log.Error("discarding an upload failed", slog.String("upload", id), slog.Any("err", err))
	}
}

// HumanSize writes n bytes the way the app shows sizes (1.5 MiB).
func HumanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for v := n / unit; v >= unit; v /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
