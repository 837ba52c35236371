#include "src/xdg/thumbnailer_entry.h"

#include <fmt/format.h>
#include <glib.h>

#include <memory>

namespace tessera::xdg {
namespace {

constexpr char kGroup[] = "Thumbnailer Entry";

struct KeyFileFree {
  void operator()(GKeyFile* file) const { g_key_file_free(file); }
};
struct StrvFree {
  void operator()(gchar** strv) const { g_strfreev(strv); }
};
struct GFreeString {
  void operator()(gchar* s) const { g_free(s); }
};

std::string Basename(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The parsed argument vector of a command line, or why it does not parse.
Result<std::vector<std::string>> SplitCommandLine(const std::string& line) {
  gint argc = 0;
  gchar** raw = nullptr;
  GError* error = nullptr;
  if (!g_shell_parse_argv(line.c_str(), &argc, &raw, &error)) {
    std::string why = error != nullptr ? error->message : "unparsable";
    g_clear_error(&error);
    return Status::InvalidArgument(fmt::format("Exec line '{}': {}", line, why));
  }
  std::unique_ptr<gchar*, StrvFree> argv(raw);
  return std::vector<std::string>(raw, raw + argc);
}

}  // namespace

Result<ThumbnailerEntry> ReadThumbnailerEntry(const std::string& path) {
  std::unique_ptr<GKeyFile, KeyFileFree> key_file(g_key_file_new());
  GError* error = nullptr;
  if (!g_key_file_load_from_file(key_file.get(), path.c_str(), G_KEY_FILE_NONE, &error)) {
    const bool io = error->domain == G_FILE_ERROR;
    std::string why = fmt::format("{}: {}", path, error->message);
    g_clear_error(&error);
    return io ? Status::IOError(why) : Status::InvalidArgument(why);
  }
  ThumbnailerEntry entry;
  entry.file = path;
  entry.name = Basename(path);
  auto value = [&](const char* key) {
    std::unique_ptr<gchar, GFreeString> v(
        g_key_file_get_string(key_file.get(), kGroup, key, nullptr));
    return v ? std::string(v.get()) : std::string();
  };
  if (!g_key_file_has_group(key_file.get(), kGroup)) {
    return Status::InvalidArgument(fmt::format("{}: no [{}] group", path, kGroup));
  }
  entry.try_exec = value("TryExec");
  entry.exec = value("Exec");
  if (entry.exec.empty()) return Status::InvalidArgument(fmt::format("{}: no Exec=", path));
  gsize count = 0;
  std::unique_ptr<gchar*, StrvFree> types(
      g_key_file_get_string_list(key_file.get(), kGroup, "MimeType", &count, nullptr));
  for (gsize i = 0; types && i < count; ++i) {
    if (types.get()[i][0] != '\0') entry.mime_types.emplace_back(types.get()[i]);
  }
  if (entry.mime_types.empty()) {
    return Status::InvalidArgument(fmt::format("{}: no MimeType=", path));
  }
  // The line must parse, and name where the thumbnail goes.
  Result<std::vector<std::string>> argv = SplitCommandLine(entry.exec);
  if (!argv.ok()) return argv.status().WithContext(path);
  bool has_output = false;
  for (const std::string& arg : *argv) has_output |= arg.find("%o") != std::string::npos;
  if (!has_output) {
    return Status::InvalidArgument(fmt::format("{}: the Exec line has no %o", path));
  }
  return entry;
}

Result<std::vector<std::string>> ExpandExec(const std::string& exec, const ExecFields& fields) {
  TESSERA_ASSIGN_OR_RETURN(std::vector<std::string> argv, SplitCommandLine(exec));
  if (argv.empty()) return Status::InvalidArgument("an empty Exec line");
  for (std::string& arg : argv) {
    std::string out;
    for (size_t i = 0; i < arg.size(); ++i) {
      if (arg[i] != '%') {
        out += arg[i];
        continue;
      }
      const char field = i + 1 < arg.size() ? arg[++i] : '\0';
      switch (field) {
        case 'i':
          out += fields.input_path;
          break;
        case 'u':
          out += fields.input_uri;
          break;
        case 'o':
          out += fields.output;
          break;
        case 's':
          out += std::to_string(fields.size);
          break;
        case 'm':
          out += fields.mime_type;
          break;
        case '%':
          out += '%';
          break;
        default:
          return Status::InvalidArgument(fmt::format("Exec line '{}': unknown field %{}", exec,
                                                     field ? std::string(1, field) : ""));
      }
    }
    arg = std::move(out);
  }
  return argv;
}

}  // namespace tessera::xdg
