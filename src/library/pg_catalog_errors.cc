// The PostgreSQL catalog's messages: libpqxx exceptions as Status values, with the connection
// string's password cut out, and the check that text fits PostgreSQL's TEXT.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "src/library/pg_catalog_impl.h"

namespace tessera::library {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// "ERROR:  duplicate key value ...\nDETAIL:  Key (name)=(a) already exists.\n" ->
// "duplicate key value ... DETAIL: Key (name)=(a) already exists."
std::string OneLine(std::string_view text) {
  for (std::string_view prefix : {"ERROR:", "FATAL:"}) {
    if (StartsWith(text, prefix)) text.remove_prefix(prefix.size());
  }
  std::string out;
  bool space = false;
  for (char c : text) {
    if (IsSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out.empty() ? "unknown error" : out;
}

}  // namespace

PgSecrets PgSecrets::Of(std::string_view conninfo) {
  PgSecrets secrets;
  auto add = [&](std::string_view as_written, const std::string& decoded) {
    if (!as_written.empty()) secrets.secrets_.emplace_back(as_written);
    if (!decoded.empty()) secrets.secrets_.push_back(decoded);
  };
  if (StartsWith(conninfo, "postgresql://") || StartsWith(conninfo, "postgres://")) {
    // libpq's rules: user[:password]@ ends at the first '@' before any '/'; parameters follow
    // the first '?' as key=value pairs joined by '&'.
    std::string_view rest = conninfo.substr(conninfo.find("://") + 3);
    size_t at = rest.find_first_of("@/");
    if (at != std::string_view::npos && rest[at] == '@') {
      std::string_view user = rest.substr(0, at);
      size_t colon = user.find(':');
      if (colon != std::string_view::npos) {
        std::string_view password = user.substr(colon + 1);
        add(password, PercentDecode(password));
      }
    }
    size_t query = rest.find('?');
    while (query != std::string_view::npos) {
      std::string_view params = rest.substr(query + 1);
      size_t end = params.find('&');
      std::string_view param = params.substr(0, end);
      size_t eq = param.find('=');
      if (eq != std::string_view::npos && PercentDecode(param.substr(0, eq)) == "password") {
        add(param.substr(eq + 1), PercentDecode(param.substr(eq + 1)));
      }
      query = end == std::string_view::npos ? end : query + 1 + end;
    }
  } else {
    // key = value pairs separated by spaces; a value is 'quoted' or runs to the next space, and
    // a backslash escapes the next character in both.
    size_t i = 0;
    const size_t n = conninfo.size();
    while (i < n) {
      while (i < n && IsSpace(conninfo[i])) ++i;
      size_t key_start = i;
      while (i < n && conninfo[i] != '=' && !IsSpace(conninfo[i])) ++i;
      std::string_view key = conninfo.substr(key_start, i - key_start);
      while (i < n && IsSpace(conninfo[i])) ++i;
      if (i >= n || conninfo[i] != '=') continue;  // malformed: libpq names only the key
      ++i;
      while (i < n && IsSpace(conninfo[i])) ++i;
      size_t value_start = i;
      std::string value;
      if (i < n && conninfo[i] == '\'') {
        for (++i; i < n && conninfo[i] != '\''; ++i) {
          if (conninfo[i] == '\\' && i + 1 < n) ++i;
          value += conninfo[i];
        }
        if (i < n) ++i;  // the closing quote
      } else {
        for (; i < n && !IsSpace(conninfo[i]); ++i) {
          if (conninfo[i] == '\\' && i + 1 < n) ++i;
          value += conninfo[i];
        }
      }
      if (key == "password") add(conninfo.substr(value_start, i - value_start), value);
      // dbname may itself be a connection string or URI, password included.
      if (key == "dbname" &&
          (value.find('=') != std::string::npos || StartsWith(value, "postgresql://") ||
           StartsWith(value, "postgres://"))) {
        PgSecrets inner = Of(value);
        secrets.secrets_.insert(secrets.secrets_.end(), inner.secrets_.begin(),
                                inner.secrets_.end());
      }
    }
  }
  // Longest first, so that a secret containing another is cut out whole.
  std::sort(secrets.secrets_.begin(), secrets.secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return secrets;
}

std::string PgSecrets::Scrub(std::string text) const {
  for (const std::string& secret : secrets_) {
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

Status PgSecrets::Scrub(const Status& status) const {
  if (status.ok() || secrets_.empty()) return status;
  return Status(status.code(), Scrub(status.message()));
}

StatusCode PgStatusCodeFor(std::string_view sqlstate) {
  if (sqlstate.size() != 5) return StatusCode::kInternal;
  const std::string_view cls = sqlstate.substr(0, 2);
  // 23: integrity constraints (unique 23505, foreign key 23503, check 23514, not null 23502);
  // 22: data exceptions (bad encoding, out of range); P0001: RAISE in a trigger; 3F000: the
  // search_path names no existing schema.
  if (cls == "23" || cls == "22" || sqlstate == "P0001" || sqlstate == "3F000") {
    return StatusCode::kInvalidArgument;
  }
  // 08: connection; 40: serialization failure, deadlock; 53: disk full, out of memory, too many
  // connections; 57: canceled, shut down; 58: I/O; 55P03: lock_timeout; 55006: object in use.
  if (cls == "08" || cls == "40" || cls == "53" || cls == "57" || cls == "58" ||
      sqlstate == "55P03" || sqlstate == "55006") {
    return StatusCode::kIOError;
  }
  if (cls == "28" || sqlstate == "42501") return StatusCode::kPermissionDenied;
  if (cls == "54") return StatusCode::kTooLarge;  // e.g. a path too long for an index entry
  if (cls == "0A") return StatusCode::kUnsupported;
  if (sqlstate == "XX001" || sqlstate == "XX002") return StatusCode::kCorrupt;
  return StatusCode::kInternal;
}

Status PgErrorStatus(const std::exception& e, std::string_view what, bool* connection_lost) {
  std::string message = fmt::format("catalog: {}: {}", what, OneLine(e.what()));
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = sql->sqlstate();
    if (StartsWith(state, "08")) *connection_lost = true;
    return Status(PgStatusCodeFor(state), std::move(message));
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) {
    *connection_lost = true;
    return Status::IOError(std::move(message));
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
    *connection_lost = true;
    return Status::IOError(message + " (the transaction may or may not have been applied)");
  }
  // Serialization failures and deadlocks: transient, worth retrying.
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e)) return Status::IOError(message);
  return Status::Internal(std::move(message));
}

bool IsStorableText(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    int length = 0;
    uint32_t code = 0;
    if ((c & 0xE0) == 0xC0) {
      length = 2;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > n) return false;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;  // overlong, beyond Unicode, or a surrogate
    }
    i += length;
  }
  return true;
}

}  // namespace tessera::library
