// Package faces finds, aligns and describes faces in photos, in pure Go: the
// tiny face detector, the 68-point landmark net and dlib's ResNet face
// descriptor as @vladmandic/face-api ships them (models/, MIT; see
// PROVENANCE), and Chinese-whispers clustering of the descriptors.
package faces

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"math"
	"strings"
)

// ErrDisabled means this build has no face models (the nofaces build tag).
var ErrDisabled = errors.New("face recognition is not part of this build (built with the nofaces tag)")

type readFileFS interface {
	ReadFile(name string) ([]byte, error)
}

// Engine holds the three loaded networks. It is safe for concurrent use:
// every call allocates its own activations.
type Engine struct {
	det *detector
	lm  *landmarker
	rec *recognizer
}

// Load verifies the embedded models against PROVENANCE and builds the
// networks. It fails with ErrDisabled in a nofaces build.
func Load() (*Engine, error) {
	fsys, err := modelFiles()
	if err != nil {
		return nil, err
	}
	return load(fsys)
}

func load(fsys readFileFS) (*Engine, error) {
	prov, err := fsys.ReadFile("models/PROVENANCE")
	if err != nil {
		return nil, fmt.Errorf("face models: %w", err)
	}
	sums := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(prov))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && len(f[0]) == 64 {
			sums[f[1]] = f[0]
		}
	}
	read := func(name string) ([]byte, error) {
		want, ok := sums[name]
		if !ok {
			return nil, fmt.Errorf("face models: %s has no sha256 in PROVENANCE", name)
		}
		b, err := fsys.ReadFile("models/" + name)
		if err != nil {
			return nil, fmt.Errorf("face models: %w", err)
		}
		got := sha256.Sum256(b)
		if hex.EncodeToString(got[:]) != want {
			return nil, fmt.Errorf("face models: %s does not match its sha256 in PROVENANCE", name)
		}
		return b, nil
	}
	net := func(name string) (weights, error) {
		m, err := read(name + "-weights_manifest.json")
		if err != nil {
			return nil, err
		}
		b, err := read(name + ".bin")
		if err != nil {
			return nil, err
		}
		w, err := parseWeights(m, b)
		if err != nil {
			return nil, fmt.Errorf("face models: %s: %w", name, err)
		}
		return w, nil
	}
	e := &Engine{}
	w, err := net("tiny_face_detector_model")
	if err != nil {
		return nil, err
	}
	if e.det, err = loadDetector(w); err != nil {
		return nil, fmt.Errorf("face models: detector: %w", err)
	}
	if w, err = net("face_landmark_68_model"); err != nil {
		return nil, err
	}
	if e.lm, err = loadLandmarker(w); err != nil {
		return nil, fmt.Errorf("face models: landmarks: %w", err)
	}
	if w, err = net("face_recognition_model"); err != nil {
		return nil, err
	}
	if e.rec, err = loadRecognizer(w); err != nil {
		return nil, fmt.Errorf("face models: recognition: %w", err)
	}
	return e, nil
}

// Face is one face found in a photo.
type Face struct {
	Box        Box // in the analysed image's pixels
	Score      float64
	Landmarks  [68]Point
	Descriptor Descriptor
}

// EyeDistance is the distance between the eye centres, a measure of how
// many pixels the face really has.
func (f *Face) EyeDistance() float64 {
	var l, r Point
	for i := 36; i < 42; i++ {
		l.X += f.Landmarks[i].X / 6
		l.Y += f.Landmarks[i].Y / 6
		r.X += f.Landmarks[i+6].X / 6
		r.Y += f.Landmarks[i+6].Y / 6
	}
	return math.Hypot(r.X-l.X, r.Y-l.Y)
}

// Detect returns the face boxes in img scoring at least threshold.
func (e *Engine) Detect(img image.Image, threshold float64) []Detection {
	return e.det.detect(toRGBA(img), threshold)
}

// Analyze detects every face of img and describes each.
func (e *Engine) Analyze(img image.Image) []Face {
	m := toRGBA(img)
	dets := e.det.detect(m, DetectThreshold)
	faces := make([]Face, 0, len(dets))
	for _, d := range dets {
		faces = append(faces, e.describe(m, d))
	}
	return faces
}

func (e *Engine) describe(m *image.RGBA, d Detection) Face {
	f := Face{Box: d.Box, Score: d.Score}
	f.Landmarks = e.lm.landmarks(m, d.Box)
	chip := extractChip(m, chipTransform(f.Landmarks))
	f.Descriptor, _ = e.rec.describe(chip) // the chip is always ChipSize
	return f
}

// DescribeChip embeds an already aligned 150 px chip (dlib's
// get_face_chip layout with padding 0.25).
func (e *Engine) DescribeChip(chip image.Image) (Descriptor, error) {
	return e.rec.describe(toRGBA(chip))
}

// Chip returns the aligned 150 px chip of a face found in img.
func (e *Engine) Chip(img image.Image, f *Face) *image.RGBA {
	return extractChip(toRGBA(img), chipTransform(f.Landmarks))
}

func sqrt64(x float64) float64 { return math.Sqrt(x) }
