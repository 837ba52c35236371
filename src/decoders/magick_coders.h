// The allowlist of ImageMagick coders: which shared-mime-info type is read by which coder.
// Nothing outside it reaches ImageMagick: DecodeMagick and ProbeMagick refuse other coders
// before ImageMagick sees a byte, and InitMagick's policy denies every other coder and module.
// (MagickCoderForMime, the lookup by type, is declared in magick.h.)
#ifndef TESSERA_DECODERS_MAGICK_CODERS_H_
#define TESSERA_DECODERS_MAGICK_CODERS_H_

#include <string>
#include <string_view>
#include <vector>

namespace tessera::decoders {

// Every coder MagickCoderForMime can return ("BMP", "CUR", ...), sorted, once each.
const std::vector<std::string>& AllowedMagickCoders();

// True for a coder on the allowlist (exact, upper-case name).
bool IsAllowedMagickCoder(std::string_view coder);

// Names ImageMagick's policy must allow besides the coders: the module that holds ICO and
// CUR ("ICON", which ImageMagick checks as well), and the coders that allowed coders call
// themselves for embedded images (ICO's PNG-compressed entries, PICT's JPEG opcodes). We never
// choose them.
const std::vector<std::string>& PolicyOnlyMagickNames();

// The canonical type for an allowed coder ("PSD" -> "image/vnd.adobe.photoshop"), else "".
std::string MimeForMagickCoder(std::string_view coder);

}  // namespace tessera::decoders

#endif  // TESSERA_DECODERS_MAGICK_CODERS_H_
