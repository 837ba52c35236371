// Temporary folders and corpus files for integration tests.
#ifndef TESSERA_TESTS_SUPPORT_FIXTURES_H_
#define TESSERA_TESTS_SUPPORT_FIXTURES_H_

#include <sys/stat.h>

#include <string>
#include <vector>

namespace tessera::testing {

// A fresh folder under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void CopyFile(const std::string& from, const std::string& to);
void WriteFile(const std::string& path, const std::string& bytes);
std::string ReadFile(const std::string& path);
bool Exists(const std::string& path);
struct stat Stat(const std::string& path);
// Every regular file below `dir`, recursively.
std::vector<std::string> FilesUnder(const std::string& dir);

}  // namespace tessera::testing

#endif  // TESSERA_TESTS_SUPPORT_FIXTURES_H_
