// The helper's side of the wire: reads requests, decodes with the untrusted decoders, answers.
#ifndef TESSERA_HELPER_SERVE_H_
#define TESSERA_HELPER_SERVE_H_

#include "src/isolate/messages.h"
#include "tessera/engine.h"

namespace tessera::helper {

// Answers one request: the probe, or every target's RGBA image. Video, RAW and ImageMagick go
// to their decoders; SVG, PDF and JPEG XL to `vips_engine` (isolation disabled: this process
// is the sandbox). Never throws.
Result<ThumbnailSet> Handle(const isolate::HelperRequest& request, const Engine& vips_engine);

// Answers a clip request (request.op == kClip): the MP4's bytes, encoded in memory (the sandbox
// forbids writing files). Unsupported for anything but video. Never throws.
Result<std::string> HandleClip(const isolate::HelperRequest& request);

// Serves requests on `fd` until the other end closes it. Returns the process exit code.
int Serve(int fd);

}  // namespace tessera::helper

#endif  // TESSERA_HELPER_SERVE_H_
