// Which frame of a video becomes its thumbnail. Not frame 0, which is often black (fade-in) or
// a slate: a few candidates early in the video are scored (video_score.h) and the most
// detailed usable one wins.
//
// Candidates sit at 10%, 25% and 40% of the duration (0.5, 2 and 5 s when it is unknown);
// when none of them is usable, or only one next to rejected ones (a long black intro, a
// fade-in), also at 55%, 70% and 85% (10, 20, 40 s); when none decodes at all, at the start. Each
// candidate is the keyframe before its time when that keyframe is close enough (cheap: one packet
// decoded; a keyframe already looked at is not looked at again), otherwise the frame at its time,
// decoded forward from that keyframe, or from the previous candidate when no keyframe lies between
// them. Forward decoding is capped in pixels decoded per candidate and per file. When the container
// cannot seek, or its seeks land where no keyframe follows (MPEG-TS), candidates come from
// decoding forward from the start. Cover art (an attached picture) is the picture itself.
#ifndef TESSERA_DECODERS_VIDEO_PICK_H_
#define TESSERA_DECODERS_VIDEO_PICK_H_

#include <optional>
#include <vector>

#include "src/decoders/video_ffmpeg.h"
#include "src/decoders/video_score.h"
#include "src/decoders/video_source.h"

namespace tessera::decoders::video {

struct PickedFrame {
  FramePtr frame;
  FrameScore score;
  std::optional<double> seconds;  // from the start of the stream, when the frame has a time
};

// The candidate times, in seconds from the start, for `duration_seconds` (0 when unknown) in
// round 0, 1 (looked at only as said above) or 2 (the last resort: {0}).
std::vector<double> CandidateTimes(double duration_seconds, int round);

// REQUIRES: source.OpenDecoder() succeeded.
// Corrupt (naming the file) when no frame at all could be decoded; Unsupported when the frames
// are in other files (a QuickTime reference movie).
Result<PickedFrame> PickFrame(VideoSource& source);

}  // namespace tessera::decoders::video

#endif  // TESSERA_DECODERS_VIDEO_PICK_H_
