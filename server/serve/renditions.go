//go:build !js

package serve

import (
	"context"
	"errors"
	"fmt"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/media"
)

// renditions adapts media.Renderer to the assets proxy queue.
type renditions struct{ r *media.Renderer }

func (m renditions) Render(ctx context.Context, src, outDir string) (assets.Properties, error) {
	info, err := m.r.Render(ctx, src, outDir, media.DefaultRenditions)
	if errors.Is(err, media.ErrTooManyPixels) {
		return assets.Properties{}, fmt.Errorf("%w: %v", assets.ErrTooLarge, err)
	}
	if err != nil {
		return assets.Properties{}, err
	}
	p := assets.Properties{Width: info.Width, Height: info.Height, CameraMake: info.CameraMake,
		CameraModel: info.CameraModel, LensModel: info.LensModel, ISO: info.ISO,
		ExposureTime: info.ExposureTime, FNumber: info.FNumber, FocalLength: info.FocalLength}
	if !info.TakenAt.IsZero() {
		t := info.TakenAt
		p.TakenAt = &t
	}
	return p, nil
}
