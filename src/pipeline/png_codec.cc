// Reading PNG with libpng (writing is png_writer.cc). libpng reports errors by longjmp: every
// function that calls into libpng keeps only trivially destructible locals between its setjmp and
// the libpng calls, and owns the png_struct through a guard created before the setjmp.
#include <fmt/format.h>
#include <png.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "tessera/image.h"

namespace tessera {
namespace {

// Where libpng's error message lands before it longjmps back to us.
struct PngContext {
  char error[256] = "";
  const std::string* input = nullptr;  // for reading from memory
  size_t offset = 0;
};

void OnError(png_structp png, png_const_charp message) {
  auto* ctx = static_cast<PngContext*>(png_get_error_ptr(png));
  std::snprintf(ctx->error, sizeof(ctx->error), "%s", message);
  png_longjmp(png, 1);
}
void OnWarning(png_structp, png_const_charp) {}

void ReadFromString(png_structp png, png_bytep data, size_t length) {
  auto* ctx = static_cast<PngContext*>(png_get_io_ptr(png));
  if (ctx->input->size() - ctx->offset < length) png_error(png, "truncated PNG data");
  std::memcpy(data, ctx->input->data() + ctx->offset, length);
  ctx->offset += length;
}

struct ReadGuard {
  png_structp png = nullptr;
  png_infop info = nullptr;
  png_infop end = nullptr;
  ~ReadGuard() { png_destroy_read_struct(&png, &info, &end); }
};

// Decoding refuses images above this many pixels (1 GiB of RGBA).
constexpr uint64_t kMaxDecodePixels = 1ull << 28;

bool StartRead(ReadGuard& guard, PngContext& ctx) {
  guard.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, OnError, OnWarning);
  if (guard.png == nullptr) return false;
  guard.info = png_create_info_struct(guard.png);
  guard.end = png_create_info_struct(guard.png);
  if (guard.info == nullptr || guard.end == nullptr) return false;
  png_set_read_fn(guard.png, &ctx, ReadFromString);
  return true;
}

void AppendText(png_structp png, png_infop info, PngText& out) {
  png_textp text = nullptr;
  int count = 0;
  png_get_text(png, info, &text, &count);
  for (int i = 0; i < count; ++i) {
    out.emplace_back(text[i].key,
                     std::string(text[i].text, text[i].text_length != 0 ? text[i].text_length
                                                                        : text[i].itxt_length));
  }
}

// True when a tEXt/zTXt/iTXt chunk follows the first IDAT (a cheap walk over chunk headers),
// so that reading those costs an inflate of the image data only when they exist.
bool HasTextAfterImageData(const std::string& bytes) {
  size_t pos = 8;
  bool seen_idat = false;
  while (pos + 8 <= bytes.size()) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
    uint32_t length =
        (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
    std::string_view type(bytes.data() + pos + 4, 4);
    if (type == "IDAT") seen_idat = true;
    if (seen_idat && (type == "tEXt" || type == "zTXt" || type == "iTXt")) return true;
    if (type == "IEND") break;
    pos += 12 + uint64_t{length};
  }
  return false;
}

// The libpng call sequences. Each runs under its own setjmp and holds no C++ objects, so a
// longjmp skips no destructor and clobbers nothing the caller still uses. False after a libpng
// error, whose message is in ctx.error.

// Reads the header and sets up conversion of any PNG to 8-bit RGBA.
bool ReadRgbaHeader(ReadGuard& g, png_uint_32* width, png_uint_32* height) {
  if (setjmp(png_jmpbuf(g.png))) return false;
  png_read_info(g.png, g.info);
  *width = png_get_image_width(g.png, g.info);
  *height = png_get_image_height(g.png, g.info);
  if (uint64_t{*width} * *height > kMaxDecodePixels) png_error(g.png, "image too large to decode");
  // Palette and low-bit grey expanded, tRNS to alpha, 16 bits to 8, grey to RGB, an opaque
  // alpha channel added when there is none.
  png_set_expand(g.png);
  png_set_strip_16(g.png);
  png_set_gray_to_rgb(g.png);
  png_set_add_alpha(g.png, 0xff, PNG_FILLER_AFTER);
  png_set_interlace_handling(g.png);
  png_read_update_info(g.png, g.info);
  if (png_get_rowbytes(g.png, g.info) != size_t{*width} * 4) {
    png_error(g.png, "unexpected row layout after conversion to RGBA");
  }
  return true;
}

bool ReadImageRows(ReadGuard& g, png_bytep* rows) {
  if (setjmp(png_jmpbuf(g.png))) return false;
  png_read_image(g.png, rows);
  png_read_end(g.png, nullptr);
  return true;
}

// Reads up to the first IDAT; when `to_end`, prepares to read raw rows (*passes, *row_bytes).
bool ReadTextHeader(ReadGuard& g, bool to_end, int* passes, size_t* row_bytes) {
  if (setjmp(png_jmpbuf(g.png))) return false;
  png_read_info(g.png, g.info);
  if (to_end) {
    *passes = png_set_interlace_handling(g.png);
    png_read_update_info(g.png, g.info);
    *row_bytes = png_get_rowbytes(g.png, g.info);
  }
  return true;
}

// The chunks after IDAT are reachable only through the rows: reads them into one scratch row,
// untransformed, every pass of an interlaced image included, then the chunks after.
bool ReadRowsToEnd(ReadGuard& g, int passes, png_bytep row) {
  if (setjmp(png_jmpbuf(g.png))) return false;
  png_uint_32 height = png_get_image_height(g.png, g.info);
  for (int pass = 0; pass < passes; ++pass) {
    for (png_uint_32 y = 0; y < height; ++y) png_read_row(g.png, row, nullptr);
  }
  png_read_end(g.png, g.end);
  return true;
}

Status ReadFile(const std::string& path, std::string* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::FromErrno(errno, path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::IOError(fmt::format("{}: read error", path));
  *bytes = std::move(buffer).str();
  return Status::Ok();
}

bool IsPng(const std::string& bytes) {
  return bytes.size() >= 8 &&
         png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, 8) == 0;
}

}  // namespace

Result<Image> DecodePng(const std::string& bytes) {
  if (!IsPng(bytes)) return Status::Corrupt("decode png: not a PNG file");
  PngContext ctx;
  ctx.input = &bytes;
  ReadGuard guard;
  if (!StartRead(guard, ctx)) return Status::Internal("decode png: out of memory");
  png_uint_32 width = 0;
  png_uint_32 height = 0;
  if (!ReadRgbaHeader(guard, &width, &height)) {
    return Status::Corrupt(fmt::format("decode png: {}", ctx.error));
  }
  Image image;
  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  image.rgba.resize(image.stride() * height);
  std::vector<png_bytep> rows(height);
  for (png_uint_32 y = 0; y < height; ++y) rows[y] = image.rgba.data() + y * image.stride();
  if (!ReadImageRows(guard, rows.data())) {
    return Status::Corrupt(fmt::format("decode png: {}", ctx.error));
  }
  return image;
}

Result<PngText> ReadPngText(const std::string& path) {
  std::string bytes;
  TESSERA_RETURN_IF_ERROR(ReadFile(path, &bytes));
  if (!IsPng(bytes)) return Status::Corrupt(fmt::format("{}: not a PNG file", path));
  PngContext ctx;
  ctx.input = &bytes;
  ReadGuard guard;
  if (!StartRead(guard, ctx)) return Status::Internal("read png text: out of memory");
  const bool text_after = HasTextAfterImageData(bytes);
  int passes = 1;
  size_t row_bytes = 0;
  if (!ReadTextHeader(guard, text_after, &passes, &row_bytes)) {
    return Status::Corrupt(fmt::format("{}: {}", path, ctx.error));
  }
  PngText text;
  AppendText(guard.png, guard.info, text);
  if (text_after) {
    std::vector<png_byte> row(row_bytes);
    if (!ReadRowsToEnd(guard, passes, row.data())) {
      return Status::Corrupt(fmt::format("{}: {}", path, ctx.error));
    }
    AppendText(guard.png, guard.end, text);
  }
  return text;
}

}  // namespace tessera
