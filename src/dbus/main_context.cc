#include "src/dbus/main_context.h"

#include <memory>

namespace tessera::dbus {
namespace {

gboolean RunOnce(gpointer data) {
  (*static_cast<std::function<void()>*>(data))();
  return G_SOURCE_REMOVE;
}

gboolean RunRepeating(gpointer data) {
  return (*static_cast<std::function<bool()>*>(data))() ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

template <typename Fn>
void DeleteFn(gpointer data) {
  delete static_cast<Fn*>(data);
}

}  // namespace

void RunInContext(GMainContext* context, std::function<void()> fn, int priority) {
  // An idle source rather than g_main_context_invoke, which would run `fn` at once when called
  // from the context's own thread, inside whatever lock the caller holds.
  GSource* source = g_idle_source_new();
  g_source_set_priority(source, priority);
  g_source_set_callback(source, RunOnce, new std::function<void()>(std::move(fn)),
                        DeleteFn<std::function<void()>>);
  g_source_attach(source, context);
  g_source_unref(source);
}

GSourcePtr AddTimeout(GMainContext* context, std::chrono::milliseconds delay,
                      std::function<bool()> fn) {
  GSource* source = g_timeout_source_new(static_cast<guint>(delay.count()));
  g_source_set_callback(source, RunRepeating, new std::function<bool()>(std::move(fn)),
                        DeleteFn<std::function<bool()>>);
  g_source_attach(source, context);
  return GSourcePtr(source);
}

}  // namespace tessera::dbus
