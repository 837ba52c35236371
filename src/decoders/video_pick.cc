#include "src/decoders/video_pick.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace tessera::decoders::video {
namespace {

// Forward decoding (from a keyframe to a candidate's time) costs a frame decode per packet:
// cap it in pixels decoded per candidate and per file (40 and 90 frames of 1080p, about 0.5 and
// 1.2 s of one core; 10 and 22 frames of 4K), and at least a few frames. A keyframe not yet
// looked at stands for the candidates after it: decoding it alone costs one frame, and it is
// what other thumbnailers show (ffmpegthumbnailer seeks to the keyframe before 10%).
constexpr double kForwardPixelsPerCandidate = 40 * 1920 * 1080;
constexpr double kForwardPixelsPerFile = 90 * 1920 * 1080;
constexpr int kMinForwardPackets = 8;
constexpr double kIndexSlackSeconds = 0.5;

int PacketBudget(double pixels, Size frame) {
  const double per_frame = std::max(1.0, static_cast<double>(frame.width) * frame.height);
  return std::max(kMinForwardPackets, static_cast<int>(pixels / per_frame));
}

std::string Seconds(const std::optional<double>& seconds) {
  return seconds.has_value() ? fmt::format("{:.3f} s", *seconds) : "untimed";
}

class Picker {
 public:
  explicit Picker(VideoSource& source)
      : source_(source),
        per_candidate_(PacketBudget(kForwardPixelsPerCandidate, source.coded_size())),
        forward_budget_(PacketBudget(kForwardPixelsPerFile, source.coded_size())) {}

  Result<PickedFrame> Run() {
    if (source_.is_attached_picture()) {
      TESSERA_ASSIGN_OR_RETURN(FramePtr picture, source_.DecodeAttachedPicture());
      Consider(std::move(picture), 0);
      return std::move(best_);
    }
    const double duration = source_.info().duration_seconds;
    for (int round = 0; round < 3; ++round) {
      // A single usable frame next to black or flat ones may be mid-fade: look further.
      if (round == 1 && usable_ > 0 && (usable_ >= 2 || rejected_ == 0)) break;
      if (round == 2 && best_.frame != nullptr) break;
      for (double seconds : CandidateTimes(duration, round)) {
        TESSERA_ASSIGN_OR_RETURN(FramePtr frame, FrameAt(seconds));
        if (frame != nullptr) Consider(std::move(frame), seconds);
      }
    }
    if (best_.frame == nullptr) {
      if (source_.log().Saw("external track")) {  // mov.c: "Skipped opening external track"
        return Status::Unsupported(fmt::format(
            "{}: the video's frames are in other files (a reference movie), which are not read",
            source_.path()));
      }
      const std::string detail = source_.log().Detail();
      return Status::Corrupt(fmt::format("{}: no video frame could be decoded ({})", source_.path(),
                                         detail.empty() ? "no frame data" : detail));
    }
    spdlog::debug("video: {}: chose the frame at {}: {}", source_.path(), Seconds(best_.seconds),
                  best_.score.ToString());
    return std::move(best_);
  }

 private:
  Result<FramePtr> FrameAt(double seconds) {
    if (forward_only_ || ContinueForwardTo(seconds)) return Forward(seconds);
    const std::optional<double> key = source_.SeekToKeyframe(seconds);
    if (!key.has_value()) {
      // The container cannot seek, or its seeks land where no keyframe follows (MPEG-TS
      // indexes every frame as a keyframe): decode forward from the start from now on.
      spdlog::debug("video: {}: no keyframe before {:.3f} s, decoding forward from the start",
                    source_.path(), seconds);
      forward_only_ = true;
      source_.Rewind();
      return Forward(seconds);
    }
    if (!Seen(*key)) {
      keyframes_seen_.push_back(*key);
      TESSERA_ASSIGN_OR_RETURN(FramePtr frame, source_.DecodeKeyframe());
      if (frame != nullptr) return frame;
      if (!source_.SeekToKeyframe(seconds).has_value()) return FramePtr();
    } else if (usable_ > 0) {
      return FramePtr();  // a usable frame is in hand: not worth decoding a GOP for another
    }
    return Forward(seconds);
  }

  // Whether to keep decoding from where the decoder is rather than seek: when it has not gone
  // past `seconds` and the index puts no keyframe between them (a seek would land no further).
  // Index times may be decode times, a few frames earlier than presentation: hence the slack.
  bool ContinueForwardTo(double seconds) const {
    const std::optional<double> at = source_.position();
    if (!at.has_value() || *at > seconds) return false;
    const std::optional<double> key = source_.IndexedKeyframeAtOrBefore(seconds);
    return key.has_value() && *key <= *at + kIndexSlackSeconds;
  }

  bool Seen(double keyframe) const {
    return std::any_of(keyframes_seen_.begin(), keyframes_seen_.end(),
                       [keyframe](double seen) { return std::fabs(seen - keyframe) < 1e-3; });
  }

  Result<FramePtr> Forward(double seconds) {
    if (forward_budget_ <= 0) return FramePtr();
    const int before = source_.packets_read();
    auto frame = source_.DecodeForwardTo(seconds, std::min(per_candidate_, forward_budget_));
    forward_budget_ -= std::max(1, source_.packets_read() - before);
    return frame;
  }

  void Consider(FramePtr frame, double target) {
    const std::optional<double> at = source_.FrameSeconds(*frame);
    if (at.has_value()) {  // the same frame again, reached from another candidate
      if (std::find(frames_seen_.begin(), frames_seen_.end(), *at) != frames_seen_.end()) return;
      frames_seen_.push_back(*at);
    }
    Result<FrameScore> scored = ScoreFrame(*frame);
    if (!scored.ok()) spdlog::debug("video: {}: {}", source_.path(), scored.status().ToString());
    const FrameScore score = scored.ok() ? *scored : FrameScore{};
    spdlog::debug("video: {}: candidate for {:.3f} s: frame at {} ({} packets read): {}",
                  source_.path(), target, Seconds(at), source_.packets_read(), score.ToString());
    ++(score.Usable() ? usable_ : rejected_);
    if (best_.frame == nullptr || BetterThan(score, best_.score)) {
      best_ = PickedFrame{std::move(frame), score, at};
    }
  }

  VideoSource& source_;
  const int per_candidate_;
  int forward_budget_;
  std::vector<double> keyframes_seen_;  // decoded alone, as candidates
  std::vector<double> frames_seen_;     // the times of the candidates considered
  bool forward_only_ = false;           // seeking does not work for this file
  int usable_ = 0;                      // candidates considered, by verdict
  int rejected_ = 0;
  PickedFrame best_;
};

}  // namespace

std::vector<double> CandidateTimes(double duration_seconds, int round) {
  static constexpr double kFractions[2][3] = {{0.10, 0.25, 0.40}, {0.55, 0.70, 0.85}};
  static constexpr double kUntimed[2][3] = {{0.5, 2, 5}, {10, 20, 40}};
  if (round >= 2) return {0.0};  // last resort: whatever the stream starts with
  std::vector<double> times;
  for (int i = 0; i < 3; ++i) {
    times.push_back(duration_seconds > 0 ? kFractions[round][i] * duration_seconds
                                         : kUntimed[round][i]);
  }
  return times;
}

Result<PickedFrame> PickFrame(VideoSource& source) { return Picker(source).Run(); }

}  // namespace tessera::decoders::video
