# batchnorm.gp — figures of results/batchnorm.json (experiment: experiments/batchnorm.c)
# Four conditions per init of config.inits, in this order: no BN (group plain) then BN (group bn) at
# the base rate, the same at lr × lr_factor; x is the rate. Their series (test_acc, test_acc_batch_stats,
# p15/p50/p85) have one point every eval_every steps from step 0.
load 'plots/common.gp'

NI = words(cfg_inits)
step(t) = (t - 1) * cfg_eval_every
ct(i) = sprintf('%s, η = %g', COND_GROUP[i] eq 'bn' ? 'batch norm' : 'no BN', COND_X[i])
# the net as the config gives it: "3 x 100 sigmoid" when every layer is alike
alike(l, i) = i > words(l) ? 1 : word(l, i) eq word(l, 1) ? alike(l, i + 1) : 0
join(l, sep, i) = i > words(l) ? '' : (i > 1 ? sep : '') . word(l, i) . join(l, sep, i + 1)
NET = (alike(cfg_hidden, 1) ? sprintf('%d x %s', words(cfg_hidden), word(cfg_hidden, 1)) : join(cfg_hidden, '-', 1)) . ' ' . \
      (alike(cfg_activation, 1) ? word(cfg_activation, 1) : join(cfg_activation, '/', 1))
OPT = cfg_optimizer eq 'sgd' ? 'SGD' : cfg_optimizer

# 1. test accuracy against steps
call 'plots/figure.gp' 'accuracy' (wide(560*NI+40)) 480
set multiplot layout 1,NI title sprintf('%s, mini-batch %d, %s: test accuracy (running averages; dashed: batch statistics at test time), mean ± std over %d seeds', NET, cfg_batch, OPT, NSEEDS)
set xlabel 'training step'
set ylabel 'test accuracy (%)'
set yrange [0:100]
set key bottom right
do for [n=0:NI-1] {
    set title sprintf('init %s', word(cfg_inits, n+1)) noenhanced
    plot for [j=0:3] M('test_acc') index (4*n+j) u (step($1)):(100*($2-$3)):(100*($2+$3)) w filledcurves lc rgb C[j+1] notitle, \
         for [j=0:3] M('test_acc') index (4*n+j) u (step($1)):(100*$2) w l ls j+1 title ct(4*n+j+1), \
         for [j=1:3:2] M('test_acc_batch_stats') index (4*n+j) u (step($1)):(100*$2) w l ls j+1 dt 2 notitle
}
unset multiplot

# 2. the input of one last-layer sigmoid: 15th, 50th and 85th percentiles over training (the first init, base rate)
call 'plots/figure.gp' 'percentiles' 1100 460
set multiplot layout 1,2 title sprintf("Input of last-hidden-layer sigmoid unit %d over %d training images: 15th / 50th / 85th percentiles (init %s, η = %g)", \
    cfg_unit, cfg_probe, word(cfg_inits, 1), COND_X[1]) noenhanced
set ylabel 'sigmoid input z'
set key bottom left
# one y range for both panels, so the two drifts can be compared by eye (stats honours the
# current ranges, so they are reset first)
set xrange [*:*]
set yrange [*:*]
lo = 1e300; hi = -1e300
do for [j=0:1] {
    stats M('p15') index j u 2 nooutput
    lo = STATS_min < lo ? STATS_min : lo
    stats M('p85') index j u 2 nooutput
    hi = STATS_max > hi ? STATS_max : hi
}
pad = (hi - lo) * 0.05
set yrange [lo - pad:hi + pad]
do for [j=0:1] {
    set title j == 0 ? 'without batch norm' : 'with batch norm'
    plot M('p15') index j u (step($1)):2 w l ls 1 dt 2 title '15th', M('p50') index j u (step($1)):2 w l ls 1 title '50th', \
         M('p85') index j u (step($1)):2 w l ls 1 dt 3 title '85th'
}
unset multiplot
