// The names of the freedesktop thumbnail D-Bus specification, and its interfaces as XML.
#ifndef TESSERA_DBUS_NAMES_H_
#define TESSERA_DBUS_NAMES_H_

namespace tessera::dbus {

inline constexpr char kThumbnailerName[] = "org.freedesktop.thumbnails.Thumbnailer1";
inline constexpr char kThumbnailerPath[] = "/org/freedesktop/thumbnails/Thumbnailer1";
inline constexpr char kThumbnailerInterface[] = "org.freedesktop.thumbnails.Thumbnailer1";
inline constexpr char kCacheName[] = "org.freedesktop.thumbnails.Cache1";
inline constexpr char kCachePath[] = "/org/freedesktop/thumbnails/Cache1";
inline constexpr char kCacheInterface[] = "org.freedesktop.thumbnails.Cache1";

// Introspection data of both interfaces (the same signatures as tumbler's).
extern const char kIntrospectionXml[];

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_NAMES_H_
