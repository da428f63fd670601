#!/usr/bin/env bash
# Assembles the image's base file system under $1 from the building machine's JDK, so that the
# image builds with no registry (none is reachable from CI): a jlink'ed Java runtime in /opt/java,
# the shared libraries it loads (found with ldd, copied to the same paths), /etc/passwd naming the
# non-root user the image runs as, /tmp and the data directory. Jib layers it onto `scratch`.
set -euo pipefail
out="$1"
rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp" "$out/data"
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
"$JAVA_HOME/bin/jlink" \
  --add-modules java.se,jdk.crypto.ec,jdk.unsupported,jdk.zipfs,jdk.naming.dns,jdk.localedata,jdk.management \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out/opt/java"
# every shared library the runtime's executables and libraries need, at the path the loader finds
# it; a headless server never loads the desktop's native libraries (AWT, fonts, sound, images), so
# their X11 dependencies stay out
{
  ldd "$out/opt/java/bin/java"
  find "$out/opt/java" -name '*.so' \
    ! -name 'libawt*' ! -name 'libjawt.so' ! -name 'libsplashscreen.so' ! -name 'libfontmanager.so' \
    ! -name 'liblcms.so' ! -name 'libjavajpeg.so' ! -name 'libjsound.so' ! -name 'libmlib_image.so' \
    -exec ldd {} \; 2>/dev/null
} | awk '/=> \// { print $3 } /^\s*\/[^ ]*ld-linux/ { print $1 }' | sort -u | while read -r lib; do
  case "$lib" in "$out"*) continue ;; esac # the runtime's own, already in place
  [ -f "$lib" ] || continue
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
# name-service files the JVM and the resolver read
for f in /etc/nsswitch.conf; do [ -f "$f" ] && cp "$f" "$out$f"; done
printf 'root:x:0:0:root:/root:/sbin/nologin\ndatapact:x:65532:65532:DataPact:/data:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\ndatapact:x:65532:\n' > "$out/etc/group"
echo "runtime in $out: $(du -sh "$out" | cut -f1)"
