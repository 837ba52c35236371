#!/usr/bin/python3
"""Queue files on a thumbnail D-Bus service and time it until Finished.

usage: dbus_queue.py ADDRESS FLAVOR SCHEDULER FILE...

Connects to the bus at ADDRESS, waits (up to 30 s) until org.freedesktop.thumbnails.Thumbnailer1
has an owner, then sends one Queue call with every file's URI and MIME type (GIO's guess, as a
file manager sends them) and runs until the request's Finished signal. Prints one JSON line:
{"seconds": <Queue sent to Finished received>, "ready": N, "errors": N, "codes": {...}}.
"""
import json
import sys
import time

from gi.repository import Gio, GLib

NAME = "org.freedesktop.thumbnails.Thumbnailer1"
PATH = "/org/freedesktop/thumbnails/Thumbnailer1"


def main():
    address, flavor, scheduler, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
             | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
    bus = Gio.DBusConnection.new_for_address_sync(address, flags, None, None)

    deadline = time.monotonic() + 30
    while True:
        owned = bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                              "org.freedesktop.DBus", "NameHasOwner", GLib.Variant("(s)", (NAME,)),
                              GLib.VariantType("(b)"), Gio.DBusCallFlags.NONE, -1, None)
        if owned.unpack()[0]:
            break
        if time.monotonic() > deadline:
            sys.exit("dbus_queue.py: %s never appeared on the bus" % NAME)
        time.sleep(0.05)

    uris, mimes = [], []
    for path in files:
        gfile = Gio.File.new_for_path(path)
        uris.append(gfile.get_uri())
        with open(path, "rb") as f:
            head = f.read(4096)
        content_type, _ = Gio.content_type_guess(path, head)
        mimes.append(Gio.content_type_get_mime_type(content_type) or "application/octet-stream")

    signals = []  # (name, handle, args): signals may arrive before the reply to Queue
    loop = GLib.MainLoop()
    state = {"handle": None, "end": None}

    def on_signal(_conn, _sender, _path, _iface, name, params):
        args = params.unpack()
        signals.append((name, args[0], args))
        if name == "Finished" and args[0] == state["handle"]:
            state["end"] = time.monotonic()
            loop.quit()

    bus.signal_subscribe(None, NAME, None, PATH, None, Gio.DBusSignalFlags.NONE, on_signal)
    start = time.monotonic()
    reply = bus.call_sync(NAME, PATH, NAME, "Queue",
                          GLib.Variant("(asasssu)", (uris, mimes, flavor, scheduler, 0)),
                          GLib.VariantType("(u)"), Gio.DBusCallFlags.NONE, -1, None)
    state["handle"] = reply.unpack()[0]
    if any(n == "Finished" and h == state["handle"] for n, h, _ in signals):
        state["end"] = time.monotonic()
    else:
        GLib.timeout_add_seconds(600, loop.quit)
        loop.run()
    if state["end"] is None:
        sys.exit("dbus_queue.py: no Finished within 600 s")

    ready, codes = set(), {}
    for name, handle, args in signals:
        if handle != state["handle"]:
            continue
        if name == "Ready":
            ready.update(args[1])
        elif name == "Error":
            for uri in args[1]:
                codes[uri] = args[2]
    print(json.dumps({"seconds": state["end"] - start, "ready": len(ready),
                      "errors": len(codes), "codes": sorted(set(codes.values()))}))


if __name__ == "__main__":
    main()
