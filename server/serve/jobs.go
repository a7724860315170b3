package serve

import (
	"log/slog"

	"github.com/ferryhq/ferry/server/jobs"
)

// jobStats joins the progress of the background queues for /metrics.
func jobStats(log *slog.Logger, queues ...func() ([]jobs.Stats, error)) func() []jobs.Stats {
	return func() []jobs.Stats {
		var all []jobs.Stats
		for _, q := range queues {
			s, err := q()
			if err != nil {
				log.Warn("reading the progress of background jobs", slog.Any("err", err))
			}
			all = append(all, s...)
		}
		return all
	}
}
