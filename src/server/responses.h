// Canned responses for the routes: JSON bodies and errors whose text is fixed per status, so
// no internal detail can reach a client.
#ifndef TESSERA_SERVER_RESPONSES_H_
#define TESSERA_SERVER_RESPONSES_H_

#include <nlohmann/json.hpp>
#include <string_view>

#include "src/server/http_types.h"

namespace tessera::server {

// `body` serialised, with Content-Type application/json and Cache-Control: no-store.
Response JsonResponse(int status, const nlohmann::json& body);

// {"detail": <the status' fixed text>}, e.g. 404 {"detail":"Not found."}.
Response ErrorResponse(int status);

// 401 with WWW-Authenticate: Bearer (and error="invalid_token" when `invalid_token`).
Response Unauthorized(bool invalid_token);

// 405 with Allow: `allow`.
Response MethodNotAllowed(std::string_view allow);

// Drops the body of a response to HEAD, keeping the length a GET would have sent.
Response ForHead(Response response);

}  // namespace tessera::server

#endif  // TESSERA_SERVER_RESPONSES_H_
