package faces

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
)

// manifestGroup is one entry of a tfjs "weights_manifest.json": the binary
// files of the group and the tensors they hold back to back.
type manifestGroup struct {
	Paths   []string         `json:"paths"`
	Weights []manifestWeight `json:"weights"`
}

type manifestWeight struct {
	Name         string `json:"name"`
	Shape        []int  `json:"shape"`
	Dtype        string `json:"dtype"`
	Quantization *struct {
		Dtype string  `json:"dtype"`
		Scale float64 `json:"scale"`
		Min   float64 `json:"min"`
	} `json:"quantization"`
}

// weights maps a tensor name to its float32 values and shape.
type weights map[string]weightTensor

type weightTensor struct {
	shape []int
	data  []float32
}

// parseWeights decodes a tfjs layers manifest and its one binary file:
// float32 tensors are little-endian, uint8-quantized ones dequantize as
// q × scale + min.
func parseWeights(manifest, bin []byte) (weights, error) {
	var groups []manifestGroup
	if err := json.Unmarshal(manifest, &groups); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	w := weights{}
	off := 0
	for _, g := range groups {
		for _, m := range g.Weights {
			n := 1
			for _, d := range m.Shape {
				if d <= 0 {
					return nil, fmt.Errorf("%s: bad shape %v", m.Name, m.Shape)
				}
				n *= d
			}
			if m.Dtype != "float32" {
				return nil, fmt.Errorf("%s: dtype %q not supported", m.Name, m.Dtype)
			}
			data := make([]float32, n)
			switch {
			case m.Quantization == nil:
				if off+4*n > len(bin) {
					return nil, fmt.Errorf("%s: weights file too short", m.Name)
				}
				for i := range data {
					data[i] = math.Float32frombits(binary.LittleEndian.Uint32(bin[off+4*i:]))
				}
				off += 4 * n
			case m.Quantization.Dtype == "uint8":
				if off+n > len(bin) {
					return nil, fmt.Errorf("%s: weights file too short", m.Name)
				}
				scale, min := m.Quantization.Scale, m.Quantization.Min
				for i := range data {
					data[i] = float32(float64(bin[off+i])*scale + min)
				}
				off += n
			default:
				return nil, fmt.Errorf("%s: quantization %q not supported", m.Name, m.Quantization.Dtype)
			}
			w[m.Name] = weightTensor{shape: m.Shape, data: data}
		}
	}
	if off != len(bin) {
		return nil, fmt.Errorf("weights file has %d bytes, manifest describes %d", len(bin), off)
	}
	return w, nil
}

// take returns the named tensor after checking its shape.
func (w weights) take(name string, shape ...int) ([]float32, error) {
	t, ok := w[name]
	if !ok {
		return nil, fmt.Errorf("weight %s missing", name)
	}
	if len(t.shape) != len(shape) {
		return nil, fmt.Errorf("weight %s: shape %v, want %v", name, t.shape, shape)
	}
	for i := range shape {
		if t.shape[i] != shape[i] {
			return nil, fmt.Errorf("weight %s: shape %v, want %v", name, t.shape, shape)
		}
	}
	return t.data, nil
}
