// libvips' loadable modules, opened one at a time. libvips 8.14 opens every module at start-up
// (poppler, openslide, libheif, ImageMagick, libjxl: about 50 ms and their libraries' symbol
// lookups); the helper starts libvips without them and opens only what a file needs.
#ifndef TESSERA_MEDIA_VIPS_MODULES_H_
#define TESSERA_MEDIA_VIPS_MODULES_H_

#include <string_view>

#include "tessera/status.h"

namespace tessera::media {

// Makes libvips skip its modules when it starts in this process: call before anything starts
// libvips (it sets $VIPSHOME, which is where libvips 8.14 looks for them, to a missing folder).
void SkipVipsModulesAtStart();

// Opens the module holding `family`'s loader ("pdf": vips-poppler, "jxl": vips-jxl) if it is
// not open yet; other families need none. Unsupported when the module cannot be opened.
// Thread-safe.
Status EnsureVipsModuleFor(std::string_view family);

}  // namespace tessera::media

#endif  // TESSERA_MEDIA_VIPS_MODULES_H_
