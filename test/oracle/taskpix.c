/*
 * taskpix: the test oracle for the TFLite Task Library's pixels.
 *
 * Decodes with stb_image (stbi_load, desired channels 0, as the Task Library's DecodeImageFromFile) and runs the
 * frame operations the Task Library's FrameBufferUtils::Preprocess performs, with the same libyuv calls in the same
 * order (tensorflow_lite_support/cc/task/vision/utils/frame_buffer_utils.cc and libyuv_frame_buffer_utils.cc):
 *   crop+resize as one operation, then for RGB/RGBA input: convert, orient; for other input: orient, convert.
 * Written for embedlite's tests; built by test/helpers/taskpix_oracle.ts with
 *   gcc -O2 taskpix.c -o taskpix -lyuv -lm        (Debian: libstb-dev, libyuv-dev)
 *
 * Jobs are read one per line from a file (or stdin), one output line per job ("ok W H FORMAT" or "err MESSAGE"):
 *   dec IMAGE OUT
 *       stbi_load(IMAGE, 0 channels) -> OUT (raw interleaved bytes); prints "ok W H C".
 *   img IMAGE ORIENT RX RY RW RH OUTFMT OW OH OUT
 *       decode IMAGE with stb (1 channel -> GRAY, 3 -> RGB, 4 -> RGBA), then preprocess as `pp`.
 *   pp IN FMT W H ORIENT RX RY RW RH OUTFMT OW OH OUT
 *       IN holds a packed frame in the Task Library's layout (FrameBufferUtils::GetPlanes) of format FMT (RGB, RGBA,
 *       GRAY, NV12, NV21, YV12, YV21) and EXIF orientation ORIENT. The ROI is (RX, RY, RW, RH); RW = 0 means the
 *       whole frame. OUTFMT is RGB or GRAY; OW x OH is the upright output size (0 0: the oriented ROI size).
 *   ops IN FMT W H OP ARGS... OUT   (single libyuv calls, for unit tests)
 *       argbscale DW DH        ARGBScale(kFilterBilinear) of an RGBA/ARGB frame (4 bytes per pixel)
 *       scaleplane DW DH       ScalePlane(kFilterBilinear) of a GRAY plane
 *       nv12scale DW DH        NV12Scale(kFilterBilinear) of an NV12 frame
 *       i420scale DW DH        I420Scale(kFilterBilinear) of a YV21 frame
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#include <libyuv.h>

enum Fmt { RGB, RGBA, GRAY, NV12, NV21, YV12, YV21, BADFMT };
static const char* kFmtNames[] = {"RGB", "RGBA", "GRAY", "NV12", "NV21", "YV12", "YV21"};

static enum Fmt parse_fmt(const char* s) {
  for (int i = 0; i < BADFMT; i++)
    if (strcmp(s, kFmtNames[i]) == 0) return (enum Fmt)i;
  return BADFMT;
}

static int is_yuv(enum Fmt f) { return f >= NV12; }
static int bytes_per_pixel(enum Fmt f) { return f == RGBA ? 4 : f == RGB ? 3 : 1; }

/* A frame: up to three planes (y/u/v as the Task Library's YuvData sees them for YUV; plane 0 for the others). */
typedef struct {
  enum Fmt fmt;
  int w, h, orient;
  uint8_t *p0;       /* RGB/RGBA/GRAY pixels, or Y */
  int s0;            /* row stride of p0 */
  uint8_t *u, *v;    /* chroma sample starts (NV12: u = uv, v = uv + 1; NV21: v = vu, u = vu + 1) */
  int suv, psuv;     /* chroma row stride and pixel stride */
  uint8_t* owned;    /* backing memory, freed with the frame */
} Frame;

static size_t frame_bytes(int w, int h, enum Fmt f) {
  if (!is_yuv(f)) return (size_t)w * h * bytes_per_pixel(f);
  int cw = (w + 1) / 2, ch = (h + 1) / 2;
  return (size_t)w * h + 2 * (size_t)cw * ch;
}

/* Planes of a packed buffer, as FrameBufferUtils::GetPlanes + FrameBuffer::GetYuvDataFromFrameBuffer lay them. */
static Frame frame_over(uint8_t* buf, int w, int h, enum Fmt f, int orient) {
  Frame fr = {f, w, h, orient, buf, 0, NULL, NULL, 0, 0, NULL};
  int cw = (w + 1) / 2, ch = (h + 1) / 2;
  switch (f) {
    case RGB: case RGBA: case GRAY: fr.s0 = w * bytes_per_pixel(f); break;
    case NV12: fr.s0 = w; fr.u = buf + w * h; fr.v = fr.u + 1; fr.suv = cw * 2; fr.psuv = 2; break;
    case NV21: fr.s0 = w; fr.v = buf + w * h; fr.u = fr.v + 1; fr.suv = cw * 2; fr.psuv = 2; break;
    case YV21: fr.s0 = w; fr.u = buf + w * h; fr.v = fr.u + cw * ch; fr.suv = cw; fr.psuv = 1; break;
    case YV12: fr.s0 = w; fr.v = buf + w * h; fr.u = fr.v + cw * ch; fr.suv = cw; fr.psuv = 1; break;
    default: break;
  }
  return fr;
}

static Frame frame_new(int w, int h, enum Fmt f, int orient) {
  uint8_t* buf = (uint8_t*)calloc(frame_bytes(w, h, f) + 64, 1);
  Frame fr = frame_over(buf, w, h, f, orient);
  fr.owned = buf;
  return fr;
}

static void frame_free(Frame* f) {
  free(f->owned);
  f->owned = NULL;
}

/* The interleaved chroma plane of NV12/NV21 (its first byte in memory). */
static uint8_t* nv_chroma(const Frame* f) { return f->fmt == NV12 ? f->u : f->v; }

static char g_err[256];
#define FAIL(...) do { snprintf(g_err, sizeof g_err, __VA_ARGS__); return -1; } while (0)

/* ---- Crop and resize (LibyuvFrameBufferUtils::Crop -> CropResize / CropResizeYuv) ---- */

static int resize_frame(const Frame* in, Frame* out) {
  int r = 0;
  switch (in->fmt) {
    case RGB: {  /* ResizeRgb: RGB24ToARGB, ARGBScale, ARGBToRGB24 */
      uint8_t* a = (uint8_t*)malloc((size_t)in->w * in->h * 4);
      uint8_t* b = (uint8_t*)malloc((size_t)out->w * out->h * 4);
      RGB24ToARGB(in->p0, in->s0, a, in->w * 4, in->w, in->h);
      r = ARGBScale(a, in->w * 4, in->w, in->h, b, out->w * 4, out->w, out->h, kFilterBilinear);
      if (r == 0) ARGBToRGB24(b, out->w * 4, out->p0, out->s0, out->w, out->h);
      free(a);
      free(b);
      break;
    }
    case RGBA:
      r = ARGBScale(in->p0, in->s0, in->w, in->h, out->p0, out->s0, out->w, out->h, kFilterBilinear);
      break;
    case GRAY:
      ScalePlane(in->p0, in->s0, in->w, in->h, out->p0, out->s0, out->w, out->h, kFilterBilinear);
      break;
    case NV12: case NV21:
      r = NV12Scale(in->p0, in->s0, nv_chroma(in), in->suv, in->w, in->h, out->p0, out->s0, nv_chroma(out), out->suv,
                    out->w, out->h, kFilterBilinear);
      break;
    case YV12: case YV21:
      r = I420Scale(in->p0, in->s0, in->u, in->suv, in->v, in->suv, in->w, in->h, out->p0, out->s0, out->u, out->suv,
                    out->v, out->suv, out->w, out->h, kFilterBilinear);
      break;
    default: FAIL("bad format");
  }
  if (r != 0) FAIL("libyuv scale failed (%d)", r);
  return 0;
}

static int crop_resize(const Frame* in, int x0, int y0, int cw, int ch, Frame* out) {
  if (x0 < 0 || y0 < 0 || cw <= 0 || ch <= 0 || x0 + cw > in->w || y0 + ch > in->h) FAIL("Invalid crop coordinates");
  Frame c = *in;  /* the crop as a view: origins moved, strides kept */
  c.w = cw;
  c.h = ch;
  c.owned = NULL;
  if (!is_yuv(in->fmt)) {
    c.p0 = in->p0 + (size_t)in->s0 * y0 + (size_t)x0 * bytes_per_pixel(in->fmt);
  } else {
    c.p0 = in->p0 + (size_t)in->s0 * y0 + x0;
    size_t off = (size_t)in->suv * (y0 / 2) + (size_t)in->psuv * (x0 / 2);
    c.u = in->u + off;
    c.v = in->v + off;
  }
  if (cw == out->w && ch == out->h) {  /* CropPlane / CropNv / CropYv: plain copies */
    if (!is_yuv(in->fmt)) {
      CopyPlane(c.p0, c.s0, out->p0, out->s0, cw * bytes_per_pixel(in->fmt), ch);
    } else if (in->fmt == NV12 || in->fmt == NV21) {
      CopyPlane(c.p0, c.s0, out->p0, out->s0, cw, ch);
      CopyPlane(nv_chroma(&c), c.suv, nv_chroma(out), out->suv, (cw + 1) / 2 * 2, (ch + 1) / 2);
    } else {
      CopyPlane(c.p0, c.s0, out->p0, out->s0, cw, ch);
      CopyPlane(c.u, c.suv, out->u, out->suv, (cw + 1) / 2, (ch + 1) / 2);
      CopyPlane(c.v, c.suv, out->v, out->suv, (cw + 1) / 2, (ch + 1) / 2);
    }
    return 0;
  }
  return resize_frame(&c, out);
}

/* ---- Colour conversion (LibyuvFrameBufferUtils::Convert), to RGB or GRAY ---- */

static int convert(const Frame* in, Frame* out) {
  int r = 0;
  if (out->fmt == GRAY) {
    switch (in->fmt) {
      case RGB: r = RAWToJ400(in->p0, in->s0, out->p0, out->s0, in->w, in->h); break;
      case RGBA: {  /* ConvertFromRgba: ABGRToARGB into a temporary, then ARGBToJ400 */
        uint8_t* a = (uint8_t*)malloc((size_t)in->w * in->h * 4);
        ABGRToARGB(in->p0, in->s0, a, in->w * 4, in->w, in->h);
        r = ARGBToJ400(a, in->w * 4, out->p0, out->s0, in->w, in->h);
        free(a);
        break;
      }
      case NV12: case NV21: case YV12: case YV21:
        CopyPlane(in->p0, in->s0, out->p0, out->s0, out->w, out->h);
        break;
      default: FAIL("conversion from %s to GRAY is not supported", kFmtNames[in->fmt]);
    }
  } else if (out->fmt == RGB) {
    switch (in->fmt) {
      case RGBA: r = ARGBToRGB24(in->p0, in->s0, out->p0, out->s0, in->w, in->h); break;
      case NV12: r = NV12ToRAW(in->p0, in->s0, in->u, in->suv, out->p0, out->s0, in->w, in->h); break;
      case NV21: r = NV21ToRAW(in->p0, in->s0, in->v, in->suv, out->p0, out->s0, in->w, in->h); break;
      case YV12: case YV21:
        r = I420ToRAW(in->p0, in->s0, in->u, in->suv, in->v, in->suv, out->p0, out->s0, in->w, in->h);
        break;
      default: FAIL("conversion from %s to RGB is not supported", kFmtNames[in->fmt]);
    }
  } else {
    FAIL("output format must be RGB or GRAY");
  }
  if (r != 0) FAIL("libyuv conversion failed (%d)", r);
  return 0;
}

/* ---- Orientation (FrameBufferUtils::Orient with GetOrientParams) ---- */

static const int kExifGroup[8] = {1, 6, 3, 8, 2, 5, 4, 7};
static int orient_index(int o) {
  for (int i = 0; i < 8; i++)
    if (kExifGroup[i] == o) return i;
  return -1;
}

/* angle: counter-clockwise degrees as the Task Library computes them; flip: 0 none, 1 horizontal, 2 vertical. */
static void orient_params(int from, int to, int* angle, int* flip) {
  int fi = orient_index(from), ti = orient_index(to);
  *flip = 0;
  if ((fi < 4 && ti < 4) || (fi >= 4 && ti >= 4)) {
    *angle = (4 - (fi - ti)) % 4 * 90;
  } else {
    int fm = fi % 4, tm = ti % 4;
    *angle = (4 - (fm - tm)) % 4 * 90;
    *flip = (tm % 2 == 1) ? 2 : 1;
  }
}

static enum RotationMode rotation_mode(int angle) {  /* GetLibyuvRotationMode */
  switch (angle) {
    case 90: return kRotate270;
    case 270: return kRotate90;
    case 180: return kRotate180;
    default: return kRotate0;
  }
}

static int rotate(const Frame* in, int angle, Frame* out) {
  enum RotationMode m = rotation_mode(angle % 360);
  int r = 0;
  switch (in->fmt) {
    case GRAY: r = RotatePlane(in->p0, in->s0, out->p0, out->s0, in->w, in->h, m); break;
    case RGBA: r = ARGBRotate(in->p0, in->s0, out->p0, out->s0, in->w, in->h, m); break;
    case RGB: {  /* RotateRgb: through ARGB */
      size_t n = (size_t)in->w * in->h * 4;
      uint8_t* a = (uint8_t*)malloc(n);
      uint8_t* b = (uint8_t*)malloc(n);
      RGB24ToARGB(in->p0, in->s0, a, in->w * 4, in->w, in->h);
      r = ARGBRotate(a, in->w * 4, b, out->w * 4, in->w, in->h, m);
      if (r == 0) r = ARGBToRGB24(b, out->w * 4, out->p0, out->s0, out->w, out->h);
      free(a);
      free(b);
      break;
    }
    case YV12: case YV21:
      r = I420Rotate(in->p0, in->s0, in->u, in->suv, in->v, in->suv, out->p0, out->s0, out->u, out->suv, out->v,
                     out->suv, in->w, in->h, m);
      break;
    case NV12: case NV21: {  /* RotateNv: NV12ToI420Rotate into a temporary I420, then MergeUVPlane */
      Frame t = frame_new(out->w, out->h, YV21, 1);
      r = NV12ToI420Rotate(in->p0, in->s0, nv_chroma(in), in->suv, out->p0, out->s0, t.u, t.suv, t.v, t.suv, in->w,
                           in->h, m);
      MergeUVPlane(t.u, t.suv, t.v, t.suv, nv_chroma(out), out->suv, (out->w + 1) / 2, (out->h + 1) / 2);
      frame_free(&t);
      break;
    }
    default: FAIL("bad format");
  }
  if (r != 0) FAIL("libyuv rotation failed (%d)", r);
  return 0;
}

static int flip_h(const Frame* in, Frame* out) {
  int r = 0;
  switch (in->fmt) {
    case RGBA: r = ARGBMirror(in->p0, in->s0, out->p0, out->s0, out->w, out->h); break;
    case RGB: r = RGB24Mirror(in->p0, in->s0, out->p0, out->s0, in->w, in->h); break;
    case GRAY: MirrorPlane(in->p0, in->s0, out->p0, out->s0, out->w, out->h); break;
    case NV12: case NV21:
      r = NV12Mirror(in->p0, in->s0, nv_chroma(in), in->suv, out->p0, out->s0, nv_chroma(out), out->suv, in->w, in->h);
      break;
    case YV12: case YV21:
      r = I420Mirror(in->p0, in->s0, in->u, in->suv, in->v, in->suv, out->p0, out->s0, out->u, out->suv, out->v,
                     out->suv, in->w, in->h);
      break;
    default: FAIL("bad format");
  }
  if (r != 0) FAIL("libyuv mirror failed (%d)", r);
  return 0;
}

static int flip_v(const Frame* in, Frame* out) {
  int r = 0;
  switch (in->fmt) {
    case RGBA: case RGB: case GRAY:
      CopyPlane(in->p0, in->s0, out->p0, out->s0, out->w * bytes_per_pixel(in->fmt), -out->h);
      break;
    case NV12: case NV21:
      CopyPlane(in->p0, in->s0, out->p0, out->s0, in->w, -out->h);
      CopyPlane(nv_chroma(in), in->suv, nv_chroma(out), out->suv, (in->w + 1) / 2 * 2, -((in->h + 1) / 2));
      break;
    case YV12: case YV21:
      r = I420Copy(in->p0, in->s0, in->u, in->suv, in->v, in->suv, out->p0, out->s0, out->u, out->suv, out->v,
                   out->suv, in->w, -in->h);
      break;
    default: FAIL("bad format");
  }
  if (r != 0) FAIL("libyuv flip failed (%d)", r);
  return 0;
}

static int orient_frame(const Frame* in, Frame* out) {
  int angle, flip;
  orient_params(in->orient, out->orient, &angle, &flip);
  if (angle == 0 && !flip) return resize_frame(in, out);
  if (angle == 0) return flip == 1 ? flip_h(in, out) : flip_v(in, out);
  if (!flip) return rotate(in, angle, out);
  Frame t = frame_new(out->w, out->h, in->fmt, in->orient);
  int r = rotate(in, angle, &t);
  if (r == 0) r = flip == 1 ? flip_h(&t, out) : flip_v(&t, out);
  frame_free(&t);
  return r;
}

/* ---- FrameBufferUtils::Preprocess ---- */

static int preprocess(const Frame* in, int rx, int ry, int rw, int rh, enum Fmt ofmt, int ow, int oh, Frame* out) {
  int angle, flip;
  if (orient_index(in->orient) < 0) FAIL("bad orientation %d", in->orient);
  orient_params(in->orient, 1, &angle, &flip);
  int swap = angle == 90 || angle == 270;
  if (rw == 0) { rx = 0; ry = 0; rw = in->w; rh = in->h; }
  if (ow == 0) { ow = swap ? rh : rw; oh = swap ? rw : rh; }
  int pw = swap ? oh : ow, ph = swap ? ow : oh;

  /* The ImagePreprocessor always passes a box, so the first step is always a crop+resize. */
  Frame a = frame_new(pw, ph, in->fmt, in->orient);
  if (crop_resize(in, rx, ry, rw, rh, &a) != 0) { frame_free(&a); return -1; }
  Frame cur = a;
  int r = 0;
  int rgb_like = in->fmt == RGB || in->fmt == RGBA;
  for (int step = 0; step < 2 && r == 0; step++) {
    int do_convert = rgb_like ? step == 0 : step == 1;
    if (do_convert && cur.fmt != ofmt) {
      Frame n = frame_new(cur.w, cur.h, ofmt, cur.orient);
      r = convert(&cur, &n);
      frame_free(&cur);
      cur = n;
    } else if (!do_convert && cur.orient != 1) {
      Frame n = frame_new(swap ? cur.h : cur.w, swap ? cur.w : cur.h, cur.fmt, 1);
      r = orient_frame(&cur, &n);
      frame_free(&cur);
      cur = n;
    }
  }
  *out = cur;
  return r;
}

/* ---- I/O ---- */

static uint8_t* read_file(const char* path, size_t* n) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t* buf = (uint8_t*)malloc(size > 0 ? (size_t)size + 64 : 64);
  *n = fread(buf, 1, (size_t)size, f);
  fclose(f);
  return buf;
}

static int write_file(const char* path, const uint8_t* data, size_t n) {
  FILE* f = fopen(path, "wb");
  if (!f) FAIL("cannot write %s", path);
  fwrite(data, 1, n, f);
  fclose(f);
  return 0;
}

/* Writes the frame's pixels packed in the Task Library layout. */
static int write_frame(const char* path, const Frame* fr) {
  Frame p = frame_new(fr->w, fr->h, fr->fmt, 1);
  if (!is_yuv(fr->fmt)) {
    CopyPlane(fr->p0, fr->s0, p.p0, p.s0, fr->w * bytes_per_pixel(fr->fmt), fr->h);
  } else {
    CopyPlane(fr->p0, fr->s0, p.p0, p.s0, fr->w, fr->h);
    int cw = (fr->w + 1) / 2, ch = (fr->h + 1) / 2;
    if (fr->fmt == NV12 || fr->fmt == NV21) {
      CopyPlane(nv_chroma(fr), fr->suv, nv_chroma(&p), p.suv, cw * 2, ch);
    } else {
      CopyPlane(fr->u, fr->suv, p.u, p.suv, cw, ch);
      CopyPlane(fr->v, fr->suv, p.v, p.suv, cw, ch);
    }
  }
  int r = write_file(path, p.owned, frame_bytes(fr->w, fr->h, fr->fmt));
  frame_free(&p);
  return r;
}

static int run_pp(Frame* in, char** a, int n, char* msg) {
  if (n < 9) FAIL("pp/img: expected ORIENT RX RY RW RH OUTFMT OW OH OUT");
  in->orient = atoi(a[0]);
  enum Fmt of = parse_fmt(a[5]);
  if (of != RGB && of != GRAY) FAIL("output format must be RGB or GRAY");
  Frame out;
  if (preprocess(in, atoi(a[1]), atoi(a[2]), atoi(a[3]), atoi(a[4]), of, atoi(a[6]), atoi(a[7]), &out) != 0) return -1;
  int r = write_frame(a[8], &out);
  sprintf(msg, "ok %d %d %s", out.w, out.h, kFmtNames[out.fmt]);
  frame_free(&out);
  return r;
}

static int run_ops(Frame* in, char** a, int n, char* msg) {
  if (n < 4) FAIL("ops: expected OP DW DH OUT");
  int dw = atoi(a[1]), dh = atoi(a[2]);
  Frame out;
  int r = 0;
  if (strcmp(a[0], "argbscale") == 0) {
    if (in->fmt != RGBA) FAIL("argbscale needs a 4-byte format (RGBA)");
    out = frame_new(dw, dh, RGBA, 1);
    r = ARGBScale(in->p0, in->s0, in->w, in->h, out.p0, out.s0, dw, dh, kFilterBilinear);
  } else if (strcmp(a[0], "scaleplane") == 0) {
    if (in->fmt != GRAY) FAIL("scaleplane needs GRAY");
    out = frame_new(dw, dh, GRAY, 1);
    ScalePlane(in->p0, in->s0, in->w, in->h, out.p0, out.s0, dw, dh, kFilterBilinear);
  } else if (strcmp(a[0], "nv12scale") == 0 || strcmp(a[0], "i420scale") == 0) {
    out = frame_new(dw, dh, in->fmt, 1);
    r = resize_frame(in, &out) ? -1 : 0;
  } else {
    FAIL("unknown op %s", a[0]);
  }
  if (r == 0) r = write_frame(a[3], &out);
  sprintf(msg, "ok %d %d %s", out.w, out.h, kFmtNames[out.fmt]);
  frame_free(&out);
  if (r != 0) FAIL("op %s failed", a[0]);
  return 0;
}

static int run_job(char** a, int n, char* msg) {
  if (n < 1) FAIL("empty job");
  if (strcmp(a[0], "dec") == 0 || strcmp(a[0], "img") == 0) {
    if (n < 3) FAIL("dec/img: expected IMAGE ...");
    int w, h, c;
    uint8_t* px = stbi_load(a[1], &w, &h, &c, 0);
    if (!px) FAIL("stbi_load: %s", stbi_failure_reason());
    int r;
    if (a[0][0] == 'd') {
      r = write_file(a[2], px, (size_t)w * h * c);
      sprintf(msg, "ok %d %d %d", w, h, c);
    } else if (c == 2) {
      r = -1;
      snprintf(g_err, sizeof g_err, "stb decoded 2 channels (grey + alpha), which the Task Library refuses");
    } else {
      Frame in = frame_over(px, w, h, c == 1 ? GRAY : c == 3 ? RGB : RGBA, 1);
      r = run_pp(&in, a + 2, n - 2, msg);
    }
    stbi_image_free(px);
    return r;
  }
  if (strcmp(a[0], "pp") == 0 || strcmp(a[0], "ops") == 0) {
    if (n < 6) FAIL("%s: expected IN FMT W H ...", a[0]);
    enum Fmt f = parse_fmt(a[2]);
    int w = atoi(a[3]), h = atoi(a[4]);
    if (f == BADFMT || w <= 0 || h <= 0) FAIL("bad frame %s %s %s", a[2], a[3], a[4]);
    size_t got;
    uint8_t* buf = read_file(a[1], &got);
    if (!buf) FAIL("cannot read %s", a[1]);
    if (got < frame_bytes(w, h, f)) { free(buf); FAIL("%s: %zu bytes, need %zu", a[1], got, frame_bytes(w, h, f)); }
    Frame in = frame_over(buf, w, h, f, 1);
    int r = a[0][0] == 'p' ? run_pp(&in, a + 5, n - 5, msg) : run_ops(&in, a + 5, n - 5, msg);
    free(buf);
    return r;
  }
  FAIL("unknown job %s", a[0]);
}

int main(int argc, char** argv) {
  FILE* in = argc > 1 ? fopen(argv[1], "r") : stdin;
  if (!in) { fprintf(stderr, "taskpix: cannot open %s\n", argv[1]); return 2; }
  char line[8192], msg[256];
  while (fgets(line, sizeof line, in)) {
    char* a[32];
    int n = 0;
    for (char* t = strtok(line, " \t\r\n"); t && n < 32; t = strtok(NULL, " \t\r\n")) a[n++] = t;
    if (n == 0) continue;
    g_err[0] = 0;
    if (run_job(a, n, msg) == 0) printf("%s\n", msg);
    else printf("err %s\n", g_err);
    fflush(stdout);
  }
  return 0;
}
