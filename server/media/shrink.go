package media

import "image"

// shrink halves img with a 2×2 box while the half is still at least w×h:
// what is left for the resampling filter is a factor below 2, whose cost
// grows with the factor (libvips shrinks by whole factors the same way
// before its final reduce). Decoded JPEGs stay *image.YCbCr, each plane
// halved on its own, so nothing is converted first. Other kinds of images
// are returned as they are.
func shrink(img image.Image, w, h int) image.Image {
	for {
		b := img.Bounds()
		if b.Dx()/2 < w || b.Dy()/2 < h {
			return img
		}
		switch m := img.(type) {
		case *image.YCbCr:
			img = halveYCbCr(m)
		case *image.Gray:
			out := image.NewGray(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
			halvePlane(out.Pix, out.Stride, out.Rect.Dx(), out.Rect.Dy(), m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, b.Dx(), b.Dy(), 1)
			img = out
		case *image.NRGBA:
			if !m.Opaque() { // averaging unpremultiplied colours would darken edges
				return img
			}
			out := image.NewNRGBA(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
			halvePlane(out.Pix, out.Stride, out.Rect.Dx(), out.Rect.Dy(), m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, b.Dx(), b.Dy(), 4)
			img = out
		default:
			return img
		}
	}
}

// halveYCbCr halves every plane of m, keeping its subsampling.
func halveYCbCr(m *image.YCbCr) *image.YCbCr {
	b := m.Bounds()
	out := image.NewYCbCr(image.Rect(0, 0, b.Dx()/2, b.Dy()/2), m.SubsampleRatio)
	halvePlane(out.Y, out.YStride, out.Rect.Dx(), out.Rect.Dy(), m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride, b.Dx(), b.Dy(), 1)
	cw, ch := chromaSize(out)
	sw, sh := chromaSize(m)
	off := m.COffset(b.Min.X, b.Min.Y)
	halvePlane(out.Cb, out.CStride, cw, ch, m.Cb[off:], m.CStride, sw, sh, 1)
	halvePlane(out.Cr, out.CStride, cw, ch, m.Cr[off:], m.CStride, sw, sh, 1)
	return out
}

// chromaSize is the width and height of m's Cb and Cr planes.
func chromaSize(m *image.YCbCr) (int, int) {
	b := m.Bounds()
	lo := m.COffset(b.Min.X, b.Min.Y)
	hi := m.COffset(b.Max.X-1, b.Max.Y-1)
	return (hi-lo)%m.CStride + 1, (hi-lo)/m.CStride + 1
}

// halvePlane writes the dw×dh plane dst as 2×2 averages of the sw×sh plane
// src, of bpp bytes per pixel; an odd last row or column is repeated.
func halvePlane(dst []byte, dstStride, dw, dh int, src []byte, srcStride, sw, sh, bpp int) {
	for y := 0; y < dh; y++ {
		r0 := src[min(2*y, sh-1)*srcStride:]
		r1 := src[min(2*y+1, sh-1)*srcStride:]
		row := dst[y*dstStride : y*dstStride+dw*bpp]
		for x := 0; x < dw; x++ {
			x0, x1 := min(2*x, sw-1)*bpp, min(2*x+1, sw-1)*bpp
			for c := 0; c < bpp; c++ {
				row[x*bpp+c] = uint8((uint32(r0[x0+c]) + uint32(r0[x1+c]) + uint32(r1[x0+c]) + uint32(r1[x1+c]) + 2) >> 2)
			}
		}
	}
}
