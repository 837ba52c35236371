#include "src/dbus/variant.h"

#include "src/dbus/glib_ptr.h"

namespace tessera::dbus {

GVariant* StringArray(const std::vector<std::string>& strings) {
  GVariantBuilder builder;
  g_variant_builder_init(&builder, G_VARIANT_TYPE("as"));
  for (const std::string& s : strings) g_variant_builder_add(&builder, "s", s.c_str());
  return g_variant_builder_end(&builder);
}

std::vector<std::string> StringsAt(GVariant* tuple, size_t index) {
  GVariantPtr array(g_variant_get_child_value(tuple, index));
  std::vector<std::string> out;
  gsize n = 0;
  const gchar** strings = g_variant_get_strv(array.get(), &n);
  for (gsize i = 0; i < n; ++i) out.emplace_back(strings[i]);
  g_free(strings);
  return out;
}

std::string ValidUtf8(std::string_view text) {
  GCharPtr valid(g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())));
  return valid.get();
}

}  // namespace tessera::dbus
