#!/bin/sh
# tests/layers.sh — the include graph follows DESIGN §2, or this fails.
#
# Each stage may include only what the table below allows (its own folder
# always). base/ knows nothing else; config/ and input/ use base/;
# pipeline/ uses input/, config/, base/; output/ and charts/ take the
# result types of pipeline/, the cell model (input/cell.h) and the
# configuration, never a reader; only cli/ includes output/ and charts/, and
# nothing includes cli/. Then no file may include itself through a cycle
# (module A includes module B, which includes A back; a module's _private.h
# is part of it).
# Run from the top folder: sh tests/layers.sh
set -u
cd "$(dirname "$0")/.." || exit 2

allowed() { # allowed STAGE -> space-separated prefixes (folder/ or file)
    case $1 in
    base)     echo "base/" ;;
    input)    echo "base/ input/" ;;
    config)   echo "base/ config/" ;;
    pipeline) echo "base/ input/ config/ pipeline/" ;;
    output)   echo "base/ config/ output/ input/cell.h pipeline/results.h pipeline/planres.h pipeline/planvs.h pipeline/figures.h pipeline/indicators.h" ;;
    charts)   echo "base/ config/ charts/ input/cell.h pipeline/results.h pipeline/planres.h pipeline/planvs.h pipeline/figures.h pipeline/indicators.h" ;;
    cli)      echo "base/ input/ config/ pipeline/ output/ charts/ cli/" ;;
    esac
}

bad=0
edges=$(mktemp) || exit 2
trap 'rm -f "$edges"' EXIT
for stage in base input config pipeline output charts cli; do
    [ -d "$stage" ] || { echo "layers: missing stage folder $stage/"; bad=1; continue; }
    ok=$(allowed "$stage")
    for f in "$stage"/*.c "$stage"/*.h; do
        [ -f "$f" ] || continue
        for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
            case $inc in
            */*) ;;
            *) echo "layers: $f includes \"$inc\": name the folder (\"$stage/$inc\")"; bad=1; continue ;;
            esac
            [ -f "$inc" ] || [ "${inc#gen/}" != "$inc" ] || { echo "layers: $f includes a missing \"$inc\""; bad=1; continue; }
            echo "$f $inc" >> "$edges"
            pass=0
            for p in $ok; do
                case $inc in "$p"*) pass=1 ;; esac
            done
            [ $pass = 1 ] || { echo "layers: $f includes $inc: $stage/ may not include it (DESIGN §2)"; bad=1; }
        done
    done
done

# Cycles among modules (a module is a .c with its .h: "input/xlsx"), so a
# dispatcher whose .c includes a reader whose header includes the dispatcher
# back is a cycle: depth-first search over the edges.
awk '
    { sub(/(_private)?\.[ch]$/, "", $1); sub(/(_private)?\.[ch]$/, "", $2); if ($1 == $2) next
      n[$1]++; to[$1, n[$1]] = $2; nodes[$1] = 1; nodes[$2] = 1 }
    function visit(v,   i, w) {
        state[v] = 1; stack[++depth] = v
        for (i = 1; i <= n[v]; i++) {
            w = to[v, i]
            if (state[w] == 1) {
                line = w; for (k = depth; k >= 1 && stack[k] != w; k--) line = stack[k] " -> " line
                print "layers: include cycle: " w " -> " line; found = 1
            } else if (state[w] == 0) visit(w)
        }
        depth--; state[v] = 2
    }
    END { for (v in nodes) if (state[v] == 0) visit(v); exit found }
' "$edges" || bad=1

[ $bad = 0 ] && echo "layers: the include graph follows DESIGN §2 (no arrow up, no cycle)"
exit $bad
