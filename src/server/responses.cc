#include "src/server/responses.h"

#include <string>

namespace tessera::server {
namespace {

std::string_view DetailFor(int status) {
  switch (status) {
    case 400:
      return "Bad request.";
    case 401:
      return "Authentication credentials were not provided or are not valid.";
    case 404:
      return "Not found.";
    case 405:
      return "Method not allowed.";
    case 403:
      return "You do not have permission to perform this action.";
    case 413:
      return "Request body too large.";
    case 415:
      return "Unsupported media type.";
    case 416:
      return "Range not satisfiable.";
    case 429:
      return "Too many requests.";
    case 501:
      return "Not implemented.";
    default:
      return status >= 500 ? "Internal server error." : "Error.";
  }
}

}  // namespace

Response JsonResponse(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.AddHeader("Content-Type", "application/json");
  response.AddHeader("Cache-Control", "no-store");
  response.body = body.dump();
  return response;
}

Response ErrorResponse(int status) {
  return JsonResponse(status, {{"detail", std::string(DetailFor(status))}});
}

Response Unauthorized(bool invalid_token) {
  Response response = ErrorResponse(401);
  response.AddHeader("WWW-Authenticate", invalid_token
                                             ? R"(Bearer realm="tessera", error="invalid_token")"
                                             : R"(Bearer realm="tessera")");
  return response;
}

Response MethodNotAllowed(std::string_view allow) {
  Response response = ErrorResponse(405);
  response.AddHeader("Allow", std::string(allow));
  return response;
}

Response ForHead(Response response) {
  if (response.file) {
    response.head_content_length = response.file->range.length();
    response.file.reset();
  } else {
    response.head_content_length = response.body.size();
    response.body.clear();
  }
  return response;
}

}  // namespace tessera::server
