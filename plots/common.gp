# common.gp — loaded first by every plots/<name>.gp.
#
# The Makefile runs each script twice, once with fmt='png' (cairo) and once with
# fmt='svg', as   gnuplot -e "in='results/x.json'; out='plots/x'; fmt='png'" plots/x.gp
# A script reads the results document only through bin/nn-json2dat (the JSON is the one
# source of truth) and starts each figure with   call 'plots/figure.gp' 'NAME' W H
# which writes <out>-NAME.<fmt>. Values that were NaN/Inf in a run (JSON null) arrive as
# NaN, which gnuplot leaves out of a curve: a diverged run simply stops.

if (!exists("in") || !exists("out") || !exists("fmt")) {
    print "usage: gnuplot -e \"in='results/NAME.json'; out='plots/NAME'; fmt='png'\" plots/NAME.gp"
    exit status 2
}
J = exists("json2dat") ? json2dat : 'bin/nn-json2dat'
# The results path and the converter reach a shell (system() and the '<' pipe) only in single quotes, which
# neither may hold: a path with spaces, ';', '`' or '$(…)' is a path, never a command.
if (strstrt(in, "'") || strstrt(J, "'")) {
    print sprintf("common.gp: the path '%s' or '%s' holds a single quote, which the figures cannot pass to their converter", in, J)
    exit status 2
}
INQ = "'" . in . "'"
JQ = "'" . J . "'"
# A path into the document is often built from the document's own values (an activation's name from
# config.activations): each one reaches the shell as one single-quoted word, and a word holding a quote as ''
# (no such path: the converter says so), never as shell syntax.
sq(s) = strstrt(s, "'") ? "''" : "'" . s . "'"
qw(p, i) = i > words(p) ? "" : " " . sq(word(p, i)) . qw(p, i + 1)
jdata(paths) = sprintf("< %s %s%s", JQ, INQ, qw(paths, 1))
jval(path) = system(sprintf("%s --value %s %s", JQ, INQ, sq(path)))
jlist(path) = system(sprintf("%s --list %s %s", JQ, INQ, sq(path)))
# A document of the grid frame (lab/nn_grid.h): tools/figures has written its measures as files in mdir
# (bin/nn-json2dat --measures): conditions.gp defines NCOND, NSEEDS, COND_NAME/LABEL/GROUP/X[1..NCOND], GROUPS,
# NDIV, NRUNS and cfg_KEY for the config's values; a measure is read by name, with no shell:
#   M('train_loss')                one row per condition: i x mean std min max n
#   M('history.test_acc')          a series: one block per condition (index i): t mean std min max
#   MS('history.train_loss')       one block per cell (index i·NSEEDS + r): t value
# A figure that names a measure no cell recorded stops: gnuplot cannot open '<mdir>/<name>.dat' (the test
# of every figure sees it).
if (exists("mdir")) {
    load mdir . '/conditions.gp'
    M(name) = mdir . '/' . name . '.dat'
    MS(name) = mdir . '/' . name . '.seeds.dat'
} else {
    # runs that stopped on NaN/Inf: plots/figure.gp puts a notice on every figure when there are any
    DIVERGED = system(sprintf("%s --diverged %s", JQ, INQ))
    NDIV = int(word(DIVERGED, 1))
    NRUNS = int(word(DIVERGED, 2))
}

# one palette for the lab (colour-blind safe, Okabe & Ito)
array C[9] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442", "#999999"]
set style line 1 lc rgb C[1] lw 2
set style line 2 lc rgb C[2] lw 2
set style line 3 lc rgb C[3] lw 2
set style line 4 lc rgb C[4] lw 2
set style line 5 lc rgb C[5] lw 2
set style line 6 lc rgb C[6] lw 2
set style line 7 lc rgb C[7] lw 2
set style line 8 lc rgb C[8] lw 2
set grid lc rgb '#dddddd'
set key box opaque noenhanced   # names like glorot_normal are not subscripts
set style fill transparent solid 0.2 noborder
# a multi-panel canvas never narrower than its title needs (a run with one arm keeps a long title)
wide(w) = w < 1000 ? 1000 : w
