package faces

import (
	"bytes"
	"encoding/xml"
	"image"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestJohnsClusters(t *testing.T) {
	js := johns(t)
	ds := make([]Descriptor, len(js))
	for i := range js {
		ds[i] = js[i].desc
	}
	labels := Cluster(ds)
	people := map[int]map[string]bool{}
	for i, l := range labels {
		if people[l] == nil {
			people[l] = map[string]bool{}
		}
		people[l][js[i].person] = true
	}
	if len(people) != 5 {
		t.Errorf("%d clusters, want 5", len(people))
	}
	for l, p := range people {
		if len(p) != 1 {
			t.Errorf("cluster %d mixes %v", l, p)
		}
	}
}

func TestBaldGuysClusters(t *testing.T) {
	img := decodeFile(t, filepath.Join(dlibExamples(t), "faces", "bald_guys.jpg"))
	fs := testEngine(t).Analyze(img)
	if len(fs) < 20 {
		t.Fatalf("bald_guys.jpg: %d faces, want ≥ 20", len(fs))
	}
	ds := make([]Descriptor, len(fs))
	for i := range fs {
		ds[i] = fs[i].Descriptor
	}
	labels := Cluster(ds)
	sizes := map[int]int{}
	for _, l := range labels {
		sizes[l]++
	}
	t.Logf("%d faces, clusters %v", len(fs), sizes)
	if len(sizes) != 4 {
		t.Errorf("%d clusters, want exactly 4 (one per actor)", len(sizes))
	}
}

// vocDataset is dlib's imglab XML of annotated face boxes.
type vocDataset struct {
	Images []struct {
		File  string `xml:"file,attr"`
		Boxes []struct {
			Top    float64 `xml:"top,attr"`
			Left   float64 `xml:"left,attr"`
			Width  float64 `xml:"width,attr"`
			Height float64 `xml:"height,attr"`
			Ignore int     `xml:"ignore,attr"`
		} `xml:"box"`
	} `xml:"images>image"`
}

// TestDetectorOnVOCFaces measures the detector on the annotated faces,
// with the whole picture's pass alone and with the small-face tiles.
func TestDetectorOnVOCFaces(t *testing.T) {
	e := testEngine(t)
	if err := e.ready(); err != nil {
		t.Fatal(err)
	}
	for _, tiles := range []bool{false, true} {
		t.Run(map[bool]string{false: "one-pass", true: "tiles"}[tiles], func(t *testing.T) {
			start := time.Now()
			recall, precision := vocScore(t, func(img image.Image) []Detection {
				return e.det.detect(toRGBA(img), DetectThreshold, tiles)
			})
			t.Logf("tiles=%v: recall %.2f, precision %.2f, %.2f s for the 9 photos", tiles, recall, precision, time.Since(start).Seconds())
			if recall < 0.85 || precision < 0.85 {
				t.Errorf("recall %.2f precision %.2f, want both ≥ 0.85 at IoU ≥ 0.3", recall, precision)
			}
		})
	}
}

// vocScore runs detect over dlib's 9 annotated Pascal VOC photos and
// answers recall and precision at IoU ≥ 0.3.
func vocScore(t *testing.T, detect func(image.Image) []Detection) (recall, precision float64) {
	dir := filepath.Join(dlibExamples(t), "faces")
	truth, found, hits, matched := 0, 0, 0, 0
	for _, name := range []string{"training.xml", "testing.xml"} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var ds vocDataset
		dec := xml.NewDecoder(bytes.NewReader(raw))
		// The files declare ISO-8859-1 but hold only ASCII.
		dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
		if err := dec.Decode(&ds); err != nil {
			t.Fatal(err)
		}
		for _, im := range ds.Images {
			dets := detect(decodeFile(t, filepath.Join(dir, im.File)))
			found += len(dets)
			used := make([]bool, len(dets))
			for _, b := range im.Boxes {
				if b.Ignore != 0 {
					continue
				}
				truth++
				want := Box{b.Left, b.Top, b.Width, b.Height}
				for i, d := range dets {
					if !used[i] && iou(want, d.Box) >= 0.3 {
						used[i] = true
						hits++
						break
					}
				}
			}
			for _, u := range used {
				if u {
					matched++
				}
			}
		}
	}
	t.Logf("%d annotated faces, %d detections", truth, found)
	if truth != 43 {
		t.Errorf("%d annotated faces, want 43", truth)
	}
	return float64(hits) / float64(truth), float64(matched) / float64(found)
}

func TestDetectorFindsNoFaceInDogs(t *testing.T) {
	img := decodeFile(t, filepath.Join(dlibExamples(t), "faces", "dogs.jpg"))
	if dets := testEngine(t).Detect(img, DetectThreshold); len(dets) != 0 {
		t.Errorf("dogs.jpg: %d faces found, want 0: %v", len(dets), dets)
	}
}
