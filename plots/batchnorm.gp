# batchnorm.gp — figures of results/batchnorm.json (experiment: experiments/batchnorm.c)
load 'plots/common.gp'

inits = jlist('config.inits')
NI = words(inits)
# curves are stored per init as: base rate plain, base rate BN, high rate plain, high rate BN
cv(i, key) = jdata(sprintf('summary.curves.%d.step summary.curves.%d.%s.mean summary.curves.%d.%s.std', i, i, key, i, key))
ct(i) = sprintf('%s, η = %s', jval(sprintf('summary.curves.%d.batchnorm', i)) eq '1' ? 'batch norm' : 'no BN', jval(sprintf('summary.curves.%d.lr', i)))

# 1. test accuracy against steps
call 'plots/figure.gp' 'accuracy' (wide(560*NI+40)) 480
set multiplot layout 1,NI title sprintf('3 x 100 sigmoid, mini-batch %s, SGD: test accuracy (running averages; dashed: batch statistics at test time), mean ± std over %s seeds', jval('config.batch'), jval('config.seeds'))
set xlabel 'training step'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set key bottom right
do for [n=0:NI-1] {
    set title sprintf('init %s', word(inits, n+1)) noenhanced
    plot for [j=0:3] cv(4*n+j, 'test_acc') u 1:(100*($2-$3)):(100*($2+$3)) w filledcurves lc rgb C[j+1] notitle, \
         for [j=0:3] cv(4*n+j, 'test_acc') u 1:(100*$2) w l ls j+1 title ct(4*n+j), \
         for [j=1:3:2] cv(4*n+j, 'test_acc_batch_stats') u 1:(100*$2) w l ls j+1 dt 2 notitle
}
unset multiplot

# 2. the input of one last-layer sigmoid: 15th, 50th and 85th percentiles over training
call 'plots/figure.gp' 'percentiles' 1100 460
set multiplot layout 1,2 title sprintf("Input of last-hidden-layer sigmoid unit %s over %s training images: 15th / 50th / 85th percentiles (init %s, η = %s)", \
    jval('config.unit'), jval('config.probe'), word(inits, 1), jval('summary.curves.0.lr')) noenhanced
set ylabel 'sigmoid input z'
set key bottom left
P(j, q) = jdata(sprintf('summary.curves.%d.step summary.curves.%d.unit_input_percentiles.%s.mean', j, j, q))
# one y range for both panels, so the two drifts can be compared by eye (stats honours the
# current ranges, so they are reset first)
set xrange [*:*]
set yrange [*:*]
lo = 1e300; hi = -1e300
do for [j=0:1] {
    stats P(j, 'p15') u 2 nooutput
    lo = STATS_min < lo ? STATS_min : lo
    stats P(j, 'p85') u 2 nooutput
    hi = STATS_max > hi ? STATS_max : hi
}
pad = (hi - lo) * 0.05
set yrange [lo - pad:hi + pad]
do for [j=0:1] {
    set title j == 0 ? 'without batch norm' : 'with batch norm'
    plot P(j, 'p15') u 1:2 w l ls 1 dt 2 title '15th', P(j, 'p50') u 1:2 w l ls 1 title '50th', P(j, 'p85') u 1:2 w l ls 1 dt 3 title '85th'
}
unset multiplot
