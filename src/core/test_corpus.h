// Finds the test corpus built by shared/corpus/make-corpus.sh. For tests only.
//
// The corpus is $TESSERA_CORPUS, else $HOME/.cache/tessera-corpus. When it is absent a test
// skips, unless TESSERA_REQUIRE_CORPUS=1, in which case it fails.
#ifndef TESSERA_CORE_TEST_CORPUS_H_
#define TESSERA_CORE_TEST_CORPUS_H_

#include <sys/stat.h>

#include <cstdlib>
#include <string>

namespace tessera::testing {

// The corpus folder, whether or not it exists.
inline std::string CorpusDir() {
  if (const char* env = std::getenv("TESSERA_CORPUS"); env != nullptr && *env != '\0') return env;
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : "/root") + "/.cache/tessera-corpus";
}

inline bool PathExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

inline bool CorpusRequired() {
  const char* env = std::getenv("TESSERA_REQUIRE_CORPUS");
  return env != nullptr && std::string(env) == "1";
}

// "<corpus>/<relative>".
inline std::string CorpusPath(const std::string& relative) { return CorpusDir() + "/" + relative; }

}  // namespace tessera::testing

// In a gtest body: skips (or fails, when required) unless `relative` exists in the corpus.
// Use with a path to a file or folder:
// TESSERA_REQUIRE_CORPUS_FILE("orientation/orientation-6.jpg").
#define TESSERA_REQUIRE_CORPUS_FILE(relative)                                          \
  do {                                                                                 \
    const std::string tessera_corpus_path_ = ::tessera::testing::CorpusPath(relative); \
    if (!::tessera::testing::PathExists(tessera_corpus_path_)) {                       \
      if (::tessera::testing::CorpusRequired()) {                                      \
        FAIL() << "corpus file missing: " << tessera_corpus_path_;                     \
      } else {                                                                         \
        GTEST_SKIP() << "corpus file missing: " << tessera_corpus_path_;               \
      }                                                                                \
    }                                                                                  \
  } while (0)

#endif  // TESSERA_CORE_TEST_CORPUS_H_
