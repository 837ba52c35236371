// Magick++, included the one safe way. Magick++.h includes MagickCore's headers inside
// `namespace MagickCore`, so a C header they pull in for the first time (<assert.h>) declares
// its functions (__assert_fail) in that namespace, and every later assert() in the file fails
// to compile in debug builds. Including <cassert> first avoids it. Include this, never
// <Magick++.h> directly.
#ifndef TESSERA_DECODERS_MAGICK_PLUS_H_
#define TESSERA_DECODERS_MAGICK_PLUS_H_

// clang-format off
#include <cassert>
#include <Magick++.h>
// clang-format on

#endif  // TESSERA_DECODERS_MAGICK_PLUS_H_
