package uploads

import (
	"log/slog"
)

// Discard removes an unfinished upload: its bytes and its record.
func (s *Service) Discard(id string) {
	s.forget(id)
	if err := s.Assets.DropPending(id); err != nil && s.Log != nil {
		s.Log.Error("discarding an upload failed", slog.String("upload", id), slog.Any("err", err))
	}
}
