# skips.gp — figures of results/skips.json (experiment: experiments/skips.c)
load 'plots/common.gp'
SEEDS = jval('config.seeds')

# 1. learning the identity
call 'plots/figure.gp' 'identity' 800 480
set title sprintf("Learning the identity: %s ReLU layers of %s on x ~ N(0, I) of %s dimensions, Adam at %s\nmean squared error per coordinate on 1,000 held-out samples (mean over %s seeds)", \
    jval('config.id_depth'), jval('config.id_width'), jval('config.id_dim'), jval('config.id_lr'), SEEDS) noenhanced
set xlabel 'Adam step'
set ylabel 'mean squared error'
set logscale y
set key top right
plot for [k in "plain residual"] jdata(sprintf('summary.identity.step summary.identity.%s', k)) u 1:2 w lp ls (k eq 'plain' ? 1 : 2) pt 7 ps 0.6 title k
unset logscale y

# 2. the concatenation skip
call 'plots/figure.gp' 'concat' 800 480
set title sprintf("Clean binarized digits from noisy ones (noise %s), 784 → %s → 784, %s epochs:\ntest pixel error, mean ± std over %s seeds (the last bar: %s hidden units, as many parameters as the skip net)", \
    jval('config.noise'), jval('config.cat_hidden'), jval('config.cat_epochs'), SEEDS, jval('summary.concatenation.wide_hidden'))
set style fill solid 0.6 noborder
set boxwidth 0.6
unset key
unset xlabel
set xtics () noenhanced
do for [i=1:3] { set xtics add (system(sprintf("%s --value %s 'summary.concatenation.name.%d'", JQ, INQ, i - 1)) i - 1) }
set xrange [-0.6:2.6]
set yrange [0:*]
set ylabel 'wrong pixels (%)'
plot jdata('summary.concatenation.index summary.concatenation.pixel_error summary.concatenation.pixel_error_std') u 1:2 w boxes lc rgb C[1], \
     '' u 1:2:3 w yerrorbars lc rgb '#333333' pt -1
set xrange [*:*]
set yrange [*:*]
set xtics autofreq

# 3. the loss landscape, plain and residual (first seed)
G = int(jval('config.ls_grid'))
call 'plots/figure.gp' 'landscape' 1100 500
set multiplot layout 1,2 title sprintf("Training loss on a filter-normalized random plane around the trained %s-layer net (width %s, batch norm), first seed", jval('config.ls_depth'), jval('config.ls_width'))
set view map
set size ratio -1
set xlabel 'α'
set ylabel 'β'
set xrange [-1:1]
set yrange [-1:1]
set cblabel 'training loss'
set logscale cb
set palette defined (0 '#0072B2', 1 '#56B4E9', 2 '#F0E442', 3 '#E69F00', 4 '#D55E00')
set contour base
set cntrparam levels auto 8
unset clabel
set style fill solid 1.0 noborder
do for [k in "plain residual"] {
    set title k
    splot jdata(sprintf('summary.landscape.surface.%s', k)) u (-1 + 2.0 * (int($0) % G) / (G - 1)):(-1 + 2.0 * int(int($0) / G) / (G - 1)):1 \
          w image notitle
}
unset multiplot
