// Where a photo's original is on disk: the first of its files (by library and path) that still
// exists as a regular file inside its library.
#ifndef TESSERA_APP_ORIGINAL_LOCATOR_H_
#define TESSERA_APP_ORIGINAL_LOCATOR_H_

#include "src/library/catalog.h"
#include "src/server/routes.h"

namespace tessera::app {

// A locator for the router. The catalog must outlive it.
server::OriginalLocator MakeOriginalLocator(library::Catalog& catalog);

}  // namespace tessera::app

#endif  // TESSERA_APP_ORIGINAL_LOCATOR_H_
