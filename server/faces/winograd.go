package faces

// winograd is a 3×3 convolution with stride 1 and 'same' padding computed
// as Winograd's F(2×2, 3×3) (Lavin & Gray, 2015): each 2×2 block of
// output comes from a 4×4 block of input with 16 multiply-adds per input
// and output channel instead of 36. Most of the recognizer's layers are
// such convolutions, and multiply-adds are what the scalar kernel is
// bound by.
type winograd struct {
	u      [16][]float32 // the transformed filter, per position of the 4×4 block: [co][ci]
	bias   []float32
	ci, co int
}

// newWinograd transforms an HWIO filter [3][3][ci][co]: U = G·g·Gᵀ.
func newWinograd(hwio []float32, ci, co int, bias []float32) *winograd {
	w := &winograd{bias: bias, ci: ci, co: co}
	for p := range w.u {
		w.u[p] = make([]float32, co*ci)
	}
	for i := 0; i < ci; i++ {
		for o := 0; o < co; o++ {
			var g [3][3]float32
			for ky := 0; ky < 3; ky++ {
				for kx := 0; kx < 3; kx++ {
					g[ky][kx] = hwio[((ky*3+kx)*ci+i)*co+o]
				}
			}
			var t [4][3]float32 // G·g
			for c := 0; c < 3; c++ {
				t[0][c] = g[0][c]
				t[1][c] = (g[0][c] + g[1][c] + g[2][c]) / 2
				t[2][c] = (g[0][c] - g[1][c] + g[2][c]) / 2
				t[3][c] = g[2][c]
			}
			for r := 0; r < 4; r++ { // (G·g)·Gᵀ
				row := [4]float32{t[r][0], (t[r][0] + t[r][1] + t[r][2]) / 2, (t[r][0] - t[r][1] + t[r][2]) / 2, t[r][2]}
				for c, v := range row {
					w.u[r*4+c][o*ci+i] = v
				}
			}
		}
	}
	return w
}

// apply convolves in (stride 1, 'same': one pixel of zeros all round).
func (w *winograd) apply(in *tensor) *tensor {
	ci, co := w.ci, w.co
	out := newTensor(in.h, in.w, co)
	th, tw := (in.h+1)/2, (in.w+1)/2
	zero := make([]float32, co)
	parallelRows(th, func(ty0, ty1 int) {
		d := make([]float32, 16*ci) // the 4×4 input block, [row][col][ci]
		v := make([]float32, 16*ci) // Bᵀ·d·B
		m := make([]float32, 16*co) // U ⊙ V summed over the input channels
		for ty := ty0; ty < ty1; ty++ {
			for tx := 0; tx < tw; tx++ {
				fillPatch(d, in, 4, 2*ty-1, 2*tx-1)
				inputTransform(v, d, ci)
				for p := 0; p < 16; p++ {
					dotRows(m[p*co:(p+1)*co], v[p*ci:(p+1)*ci], w.u[p], zero)
				}
				w.outputTransform(out, m, 2*ty, 2*tx)
			}
		}
	})
	return out
}

// inputTransform sets v = Bᵀ·d·B for every channel, with Bᵀ the rows
// (1,0,-1,0) (0,1,1,0) (0,-1,1,0) (0,1,0,-1).
func inputTransform(v, d []float32, ci int) {
	at := func(s []float32, r, c int) []float32 { return s[(r*4+c)*ci : (r*4+c+1)*ci] }
	var t [16][]float32 // v's channels at each position of the block
	for c := 0; c < 4; c++ {
		d0, d1, d2, d3 := at(d, 0, c), at(d, 1, c), at(d, 2, c), at(d, 3, c)
		t0, t1, t2, t3 := at(v, 0, c), at(v, 1, c), at(v, 2, c), at(v, 3, c)
		for i := range d0 {
			a, b, e, f := d0[i], d1[i], d2[i], d3[i]
			t0[i], t1[i], t2[i], t3[i] = a-e, b+e, e-b, b-f
		}
		t[c], t[4+c], t[8+c], t[12+c] = t0, t1, t2, t3
	}
	for r := 0; r < 4; r++ { // (Bᵀ·d)·B, in place over each row of v
		r0, r1, r2, r3 := t[r*4], t[r*4+1], t[r*4+2], t[r*4+3]
		for i := range r0 {
			a, b, e, f := r0[i], r1[i], r2[i], r3[i]
			r0[i], r1[i], r2[i], r3[i] = a-e, b+e, e-b, b-f
		}
	}
}

// outputTransform sets the 2×2 block of out at (y, x) to Aᵀ·m·A plus the
// bias, leaving out what falls beyond its edge; Aᵀ has the rows (1,1,1,0)
// (0,1,-1,-1).
func (w *winograd) outputTransform(out *tensor, m []float32, y, x int) {
	co := w.co
	var s [16][]float32
	for p := range s {
		s[p] = m[p*co : (p+1)*co : (p+1)*co]
	}
	right, below := x+1 < out.w, y+1 < out.h
	o00 := out.at(y, x)
	var o01, o10, o11 []float32
	if right {
		o01 = out.at(y, x+1)
	}
	if below {
		o10 = out.at(y+1, x)
		if right {
			o11 = out.at(y+1, x+1)
		}
	}
	for j, bias := range w.bias[:co] {
		// Rows of Aᵀ·m, then their columns times A.
		r00, r01, r02, r03 := s[0][j]+s[4][j]+s[8][j], s[1][j]+s[5][j]+s[9][j], s[2][j]+s[6][j]+s[10][j], s[3][j]+s[7][j]+s[11][j]
		o00[j] = r00 + r01 + r02 + bias
		if right {
			o01[j] = r01 - r02 - r03 + bias
		}
		if below {
			r10, r11, r12, r13 := s[4][j]-s[8][j]-s[12][j], s[5][j]-s[9][j]-s[13][j], s[6][j]-s[10][j]-s[14][j], s[7][j]-s[11][j]-s[15][j]
			o10[j] = r10 + r11 + r12 + bias
			if right {
				o11[j] = r11 - r12 - r13 + bias
			}
		}
	}
}
