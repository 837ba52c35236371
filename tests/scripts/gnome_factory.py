#!/usr/bin/python3
"""GNOME's own thumbnail factory (gnome-desktop, through GObject introspection), for interop tests.

  gnome_factory.py save SIZE FILE     save a thumbnail of FILE the way GNOME does
  gnome_factory.py lookup SIZE FILE   print the path GNOME accepts as valid, or exit 1
SIZE is normal, large, x-large or xx-large. The cache is $XDG_CACHE_HOME/thumbnails.
"""
import os
import sys

import gi

gi.require_version("GnomeDesktop", "3.0")
gi.require_version("GdkPixbuf", "2.0")
from gi.repository import GdkPixbuf, Gio, GnomeDesktop  # noqa: E402

SIZES = {
    "normal": (GnomeDesktop.DesktopThumbnailSize.NORMAL, 128),
    "large": (GnomeDesktop.DesktopThumbnailSize.LARGE, 256),
    "x-large": (GnomeDesktop.DesktopThumbnailSize.XLARGE, 512),
    "xx-large": (GnomeDesktop.DesktopThumbnailSize.XXLARGE, 1024),
}


def main():
    command, size, path = sys.argv[1], sys.argv[2], sys.argv[3]
    kind, edge = SIZES[size]
    factory = GnomeDesktop.DesktopThumbnailFactory.new(kind)
    uri = Gio.File.new_for_path(path).get_uri()
    mtime = int(os.stat(path).st_mtime)
    if command == "save":
        pixbuf = GdkPixbuf.Pixbuf.new_from_file_at_scale(path, edge, edge, True)
        factory.save_thumbnail(pixbuf, uri, mtime, None)
        return 0
    if command == "lookup":
        found = factory.lookup(uri, mtime)
        if not found:
            return 1
        print(found)
        return 0
    return 2


sys.exit(main())
