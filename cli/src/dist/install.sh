#!/bin/sh
# Installs svcmgr from this distribution (made by 'mvn package' in cli/target/svcmgr-VERSION, or
# unpacked from its tarball) into a prefix; docs/install.md says more.
set -eu
usage() {
    cat <<'USAGE'
usage: install.sh [--prefix DIR] [--uninstall]
Installs svcmgr into DIR (default /usr/local), below $DESTDIR when set (for packaging):
  DIR/bin/svcmgr                                     the launcher (the same JVM options as ./svcmgr)
  DIR/lib/svcmgr/svcmgr.jar, classes.lst             the program, and the class list of its start-up archive
  DIR/share/man/man1/svcmgr*.1, man5/svcmgr.unit.5   man svcmgr, man svcmgr-start, man svcmgr.unit, ...
  DIR/share/bash-completion/completions/svcmgr       bash completion (bash-completion loads it)
  DIR/share/zsh/site-functions/_svcmgr               zsh completion (a directory of zsh's $fpath)
  DIR/share/fish/vendor_completions.d/svcmgr.fish    fish completion
  DIR/share/svcmgr/svcmgr-unit.schema.json           the JSON Schema of unit files, for editors
--uninstall removes those files again. Exit codes: 0 done, 1 failed, 2 usage error.
USAGE
}
prefix=/usr/local
uninstall=""
while [ $# -gt 0 ]; do
    case $1 in
        --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --uninstall) uninstall=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument '$1' (expected --prefix DIR or --uninstall; see --help)" >&2; exit 2 ;;
    esac
done
case $prefix in
    /*) ;;
    *) echo "install.sh: --prefix must be an absolute path, not '$prefix'" >&2; exit 2 ;;
esac
src=$(cd "$(dirname "$0")" && pwd -P)
dest="${DESTDIR:-}$prefix"
[ -f "$src/lib/svcmgr.jar" ] || { echo "install.sh: $src/lib/svcmgr.jar is missing: run install.sh from the distribution (mvn package makes it in cli/target/svcmgr-VERSION)" >&2; exit 1; }

files() { # SOURCE TARGET MODE, one a line, for every installed file
    echo "bin/svcmgr bin/svcmgr 755"
    echo "lib/svcmgr.jar lib/svcmgr/svcmgr.jar 644"
    [ ! -f "$src/lib/classes.lst" ] || echo "lib/classes.lst lib/svcmgr/classes.lst 644"
    [ ! -f "$src/lib/daemon.lst" ] || echo "lib/daemon.lst lib/svcmgr/daemon.lst 644"
    [ ! -f "$src/lib/svcmgr-client" ] || echo "lib/svcmgr-client lib/svcmgr/svcmgr-client 755"
    [ ! -f "$src/lib/jffi/libjffi-1.2.so" ] || echo "lib/jffi/libjffi-1.2.so lib/svcmgr/jffi/libjffi-1.2.so 644"
    for f in "$src"/share/man/man1/*.1 "$src"/share/man/man5/*.5; do
        f=${f#"$src/"}
        echo "$f $f 644"
    done
    for f in share/bash-completion/completions/svcmgr share/zsh/site-functions/_svcmgr \
             share/fish/vendor_completions.d/svcmgr.fish share/svcmgr/svcmgr-unit.schema.json; do
        echo "$f $f 644"
    done
}

if [ -n "$uninstall" ]; then
    files | while read -r from to mode; do rm -f "$dest/$to"; done
    rm -f "$dest/lib/svcmgr/svcmgr.jsa" "$dest/lib/svcmgr/svcmgr-daemon.jsa" "$dest/lib/svcmgr/svcmgr-client" "$dest/lib/svcmgr/jffi/libjffi-1.2.so"
    rmdir "$dest/lib/svcmgr/jffi" 2>/dev/null || :
    rmdir "$dest/lib/svcmgr" "$dest/share/svcmgr" 2>/dev/null || :
    echo "svcmgr removed from $dest"
    exit 0
fi
# a native client of an older installation must not answer for this jar (a build without a C compiler has none)
rm -f "$dest/lib/svcmgr/svcmgr-client" "$dest/lib/svcmgr/jffi/libjffi-1.2.so"
files | while read -r from to mode; do
    mkdir -p "$dest/$(dirname "$to")"
    cp "$src/$from" "$dest/$to.new.$$"
    chmod "$mode" "$dest/$to.new.$$"
    mv -f "$dest/$to.new.$$" "$dest/$to"
done
# the start-up archive of the old jar is stale; a new one is made now, or on the first run where
# lib/svcmgr is writable (else in the user's ~/.cache/svcmgr). Not under DESTDIR: the archive records
# the jar's final path.
rm -f "$dest/lib/svcmgr/svcmgr.jsa" "$dest/lib/svcmgr/svcmgr-daemon.jsa"
if [ -z "${DESTDIR:-}" ]; then
    "$dest/bin/svcmgr" --version >/dev/null 2>&1 || echo "install.sh: warning: $dest/bin/svcmgr --version failed (is Java 17 installed?)" >&2
    "$dest/bin/svcmgr" daemon --help >/dev/null 2>&1 || : # the daemon's own archive
fi
echo "svcmgr installed in $dest: $prefix/bin/svcmgr, man svcmgr, man svcmgr.unit, completions for bash, zsh and fish"
case ":${PATH:-}:" in
    *":$prefix/bin:"*) ;;
    *) echo "note: $prefix/bin is not on your PATH" ;;
esac
