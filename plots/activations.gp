# activations.gp — figures of results/activations.json (experiment: experiments/activations.c)
# Conditions: group activations (declared first, in the order of config.activations, named by the
# activation), then maxout and sigmoid_rates (x the rate), which these figures do not draw.
load 'plots/common.gp'

NA = 0
RELU = 0
do for [i = 1:NCOND] {
    if (COND_GROUP[i] eq 'activations') { NA = NA + 1 }
    if (COND_GROUP[i] eq 'activations' && COND_NAME[i] eq 'relu') { RELU = i }
}
stats M('hidden_layers') u 3 nooutput
OPT = cfg_optimizer eq 'sgd' ? 'SGD' : cfg_optimizer

call 'plots/figure.gp' 'loss' 760 500
set title sprintf('Training loss per epoch, same %d-layer net, init %s, %s η = %g (mean ± std over %d seeds)', \
    STATS_max, cfg_init, OPT, cfg_lr, cfg_seeds) noenhanced
set xlabel 'epoch'
set ylabel 'training loss (cross-entropy)'
set logscale y
set format y '10^{%L}'
set key top right
set arrow 1 from graph 0, first cfg_target_loss to graph 1, first cfg_target_loss nohead dt 2 lc rgb '#888888'
set label 1 sprintf('target %g', cfg_target_loss) at graph 0.02, first cfg_target_loss offset 0,0.7 tc rgb '#666666'
plot for [a=1:NA] M('history.train_loss') index (a - 1) u 1:($2-$3 > 0 ? $2-$3 : $2):($2+$3) w filledcurves lc rgb C[a] notitle, \
     for [a=1:NA] M('history.train_loss') index (a - 1) u 1:2 w lp ls a pt 7 title COND_NAME[a]
unset arrow 1
unset label 1
unset logscale y
set format y '% g'

if (RELU == 0) { exit }   # no ReLU net: no dead units to show
call 'plots/figure.gp' 'dead' 700 460
set title sprintf('Dead ReLU units: hidden units that output 0 on all %d probe images', cfg_probe)
set xlabel 'epoch (0 = initialization)'
set ylabel 'dead units (% of all hidden units)'
set yrange [0:*]
set key top left
plot M('dead_fraction') index (RELU - 1) u ($1 - 1):(100*$2):(100*$3) w yerrorlines ls 1 pt 7 title 'ReLU'
