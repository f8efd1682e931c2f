# skips.gp — figures of results/skips.json (experiment: experiments/skips.c)
# Conditions: groups identity and permutation (x 0 plain, 1 residual: 'mse' at 21 marks, mark t at Adam step
# (t − 1)·id_steps/20), concatenation (x 0 no skip, 1 the concatenation skip, 2 no skip as many parameters:
# 'pixel_error_pct', 'hidden'), landscape (x 0 plain, 1 residual: 'surface', G × G values, β-major).
load 'plots/common.gp'

arch(i) = COND_X[i] == 0 ? 'plain' : 'residual'
WIDE = 0
do for [i=1:NCOND] { if (COND_NAME[i] eq 'no-skip-wide') { WIDE = i } }

# 1. learning the identity
call 'plots/figure.gp' 'identity' 800 480
set title sprintf("Learning the identity: %d ReLU layers of %d on x ~ N(0, I) of %d dimensions, Adam at %g\nmean squared error per coordinate on 1,000 held-out samples (mean over %d seeds)", \
    cfg_id_depth, cfg_id_width, cfg_id_dim, cfg_id_lr, NSEEDS) noenhanced
set xlabel 'Adam step'
set ylabel 'mean squared error'
set logscale y
set key top right
plot for [i=1:NCOND] M('mse') index (i - 1) u (COND_GROUP[i] eq 'identity' ? ($1 - 1) * cfg_id_steps / 20.0 : NaN):2 \
     w lp ls (COND_X[i] + 1) pt 7 ps 0.6 title (COND_GROUP[i] eq 'identity' ? arch(i) : '')
unset logscale y

# 2. the concatenation skip
call 'plots/figure.gp' 'concat' 800 480
set title sprintf("Clean binarized digits from noisy ones (noise %g), 784 → %d → 784, %d epochs:\ntest pixel error, mean ± std over %d seeds (the last bar: %d hidden units, as many parameters as the skip net)", \
    cfg_noise, cfg_cat_hidden, cfg_cat_epochs, NSEEDS, mean_hidden[WIDE])
set style fill solid 0.6 noborder
set boxwidth 0.6
unset key
unset xlabel
set xtics () noenhanced
do for [i=1:NCOND] { if (COND_GROUP[i] eq 'concatenation') { set xtics add (COND_LABEL[i] COND_X[i]) } }
set xrange [-0.6:2.6]
set yrange [0:*]
set ylabel 'wrong pixels (%)'
cat(i) = COND_GROUP[int(i) + 1] eq 'concatenation'
plot M('pixel_error_pct') u (cat($1) ? $2 : NaN):3 w boxes lc rgb C[1], \
     '' u (cat($1) ? $2 : NaN):3:4 w yerrorbars lc rgb '#333333' pt -1
set xrange [*:*]
set yrange [*:*]
set xtics autofreq

# 3. the loss landscape, plain and residual (first seed)
G = cfg_ls_grid
call 'plots/figure.gp' 'landscape' 1100 500
set multiplot layout 1,2 title sprintf("Training loss on a filter-normalized random plane around the trained %d-layer net (width %d, batch norm), first seed", cfg_ls_depth, cfg_ls_width)
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
do for [i=1:NCOND] {
    if (COND_GROUP[i] eq 'landscape') {
        set title arch(i)
        splot MS('surface') index ((i - 1) * NSEEDS) u (-1 + 2.0 * ((int($1) - 1) % G) / (G - 1)):(-1 + 2.0 * int((int($1) - 1) / G) / (G - 1)):2 \
              w image notitle
    }
}
unset multiplot
