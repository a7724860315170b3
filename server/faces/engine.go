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
	"io"
	"io/fs"
	"math"
	"strings"
	"sync"
)

// ErrDisabled means this build has no face models (the nofaces build tag).
var ErrDisabled = errors.New("face recognition is not part of this build (built with the nofaces tag)")

// Engine holds the three networks. It is safe for concurrent use: every
// call allocates its own activations.
type Engine struct {
	// SmallFaces adds a second detection pass over four overlapping
	// tiles, for faces under about 1/20 of the picture's long side (four
	// more detector runs a picture).
	SmallFaces bool

	fsys fs.FS // the models, checked against PROVENANCE by open

	once sync.Once
	err  error
	det  *detector
	lm   *landmarker
	rec  *recognizer
}

// Open checks the embedded models against PROVENANCE and parses their
// manifests; the networks (about 40 MB of float32 weights) are built on
// first use, so a server with face search off pays nothing for them. It
// fails with ErrDisabled in a nofaces build.
func Open() (*Engine, error) {
	fsys, err := modelFiles()
	if err != nil {
		return nil, err
	}
	return open(fsys)
}

// Load is Open, then builds the networks at once.
func Load() (*Engine, error) {
	e, err := Open()
	if err != nil {
		return nil, err
	}
	return e, e.ready()
}

// load opens the models of fsys and builds the networks.
func load(fsys fs.FS) (*Engine, error) {
	e, err := open(fsys)
	if err != nil {
		return nil, err
	}
	return e, e.ready()
}

// ready builds the networks once; later calls return the first result.
func (e *Engine) ready() error {
	e.once.Do(func() { e.err = e.build() })
	return e.err
}

// Err reports why the networks could not be built (nil when they were or
// have not been needed yet).
func (e *Engine) Err() error { return e.ready() }

func open(fsys fs.FS) (*Engine, error) {
	prov, err := fs.ReadFile(fsys, "models/PROVENANCE")
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
	for _, name := range netNames {
		for _, file := range []string{name + "-weights_manifest.json", name + ".bin"} {
			want, ok := sums[file]
			if !ok {
				return nil, fmt.Errorf("face models: %s has no sha256 in PROVENANCE", file)
			}
			// Streamed: the 6 MB recognition weights are not copied to be hashed.
			f, err := fsys.Open("models/" + file)
			if err != nil {
				return nil, fmt.Errorf("face models: %w", err)
			}
			h := sha256.New()
			_, err = io.Copy(h, f)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("face models: %s: %w", file, err)
			}
			if hex.EncodeToString(h.Sum(nil)) != want {
				return nil, fmt.Errorf("face models: %s does not match its sha256 in PROVENANCE", file)
			}
		}
	}
	return &Engine{fsys: fsys}, nil
}

var netNames = []string{"tiny_face_detector_model", "face_landmark_68_model", "face_recognition_model"}

func (e *Engine) build() error {
	net := func(name string) (weights, error) {
		m, err := fs.ReadFile(e.fsys, "models/"+name+"-weights_manifest.json")
		if err != nil {
			return nil, err
		}
		b, err := fs.ReadFile(e.fsys, "models/"+name+".bin")
		if err != nil {
			return nil, err
		}
		w, err := parseWeights(m, b)
		if err != nil {
			return nil, fmt.Errorf("face models: %s: %w", name, err)
		}
		return w, nil
	}
	w, err := net(netNames[0])
	if err != nil {
		return err
	}
	if e.det, err = loadDetector(w); err != nil {
		return fmt.Errorf("face models: detector: %w", err)
	}
	if w, err = net(netNames[1]); err != nil {
		return err
	}
	if e.lm, err = loadLandmarker(w); err != nil {
		return fmt.Errorf("face models: landmarks: %w", err)
	}
	if w, err = net(netNames[2]); err != nil {
		return err
	}
	if e.rec, err = loadRecognizer(w); err != nil {
		return fmt.Errorf("face models: recognition: %w", err)
	}
	return nil
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
	if e.ready() != nil {
		return nil
	}
	return e.det.detect(toRGBA(img), threshold, e.SmallFaces, detInputSize)
}

// Analyze detects every face of img and describes each.
// When the networks cannot be built it finds nothing; Err says why.
func (e *Engine) Analyze(img image.Image) []Face {
	if e.ready() != nil {
		return nil
	}
	m := toRGBA(img)
	dets := e.det.detect(m, DetectThreshold, e.SmallFaces, detInputSize)
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
	if err := e.ready(); err != nil {
		return Descriptor{}, err
	}
	return e.rec.describe(toRGBA(chip))
}

// Chip returns the aligned 150 px chip of a face found in img.
// The face's landmarks make the chip; no network runs.
func (e *Engine) Chip(img image.Image, f *Face) *image.RGBA {
	return extractChip(toRGBA(img), chipTransform(f.Landmarks))
}

func sqrt64(x float64) float64 { return math.Sqrt(x) }
